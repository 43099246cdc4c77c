package relay_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay"
	"github.com/feedrelay/feedrelay/safehttp"
	"github.com/feedrelay/feedrelay/storage"
	"github.com/feedrelay/feedrelay/storage/storagetest"
)

// Fake platforms: real HTTP servers on 127.0.0.1 that record what arrives
// and answer the way the platform does (relay-platforms.md).

var bg = context.Background()

const baseURL = "https://feeds.example"

// Platform answers.
const (
	wecomOK      = `{"errcode":0,"errmsg":"ok"}`
	wecomBusy    = `{"errcode":-1,"errmsg":"system busy"}`
	wecomBadKey  = `{"errcode":93000,"errmsg":"invalid webhook url, hint: [1700000000_1_abc], from ip: 1.2.3.4"}`
	dingtalkOK   = `{"errcode":0,"errmsg":"ok"}`
	dingtalkSign = `{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}`
	feishuOK     = `{"code":0,"msg":"success","data":{},"StatusCode":0,"StatusMessage":"success"}`
	feishuSign   = `{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time","data":{}}`
	telegramOK   = `{"ok":true,"result":{"message_id":1}}`
	telegram429  = `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 30","parameters":{"retry_after":30}}`
)

// request is one arrival at a receiver.
type request struct {
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
	At     time.Time
	Gone   <-chan struct{} // closed when the client hangs up
}

// answer is what a receiver sends back.
type answer struct {
	Status int
	Header http.Header
	Body   string
}

func ok(body string) answer { return answer{Status: http.StatusOK, Body: body} }

// receiver is a fake platform endpoint. reply sees the 0-based arrival
// number and the request; nil answers 200 with an empty body.
type receiver struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []request
	reply func(n int, r request) answer
}

func newReceiver(t *testing.T, reply func(n int, r request) answer) *receiver {
	t.Helper()
	rc := &receiver{reply: reply}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		body, _ := io.ReadAll(hr.Body)
		r := request{Path: hr.URL.Path, Query: hr.URL.Query(), Header: hr.Header.Clone(), Body: body, At: time.Now(), Gone: hr.Context().Done()}
		rc.mu.Lock()
		n := len(rc.reqs)
		rc.reqs = append(rc.reqs, r)
		rc.mu.Unlock()
		a := answer{Status: http.StatusOK}
		if rc.reply != nil {
			a = rc.reply(n, r)
		}
		for k, vs := range a.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(a.Status)
		io.WriteString(w, a.Body)
	}))
	t.Cleanup(rc.Close)
	return rc
}

// always answers every request alike.
func always(a answer) func(int, request) answer { return func(int, request) answer { return a } }

func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.reqs...)
}

func (rc *receiver) count() int { return len(rc.requests()) }

// clock is the worker's Now: the real time, shifted by what a test adds,
// so backoffs and Retry-After can be passed without sleeping.
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *clock) shift(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// env is a store, a worker on it and the service that manages targets.
type env struct {
	t      *testing.T
	store  *storage.Store
	clock  *clock
	client *safehttp.Client
	worker *relay.Worker
	svc    *relay.Service
}

type envOption func(*relay.Options, *safehttp.Options)

func withTimeout(d time.Duration) envOption {
	return func(_ *relay.Options, o *safehttp.Options) { o.Timeout = d }
}

func withLogger(w io.Writer) envOption {
	return func(o *relay.Options, _ *safehttp.Options) { o.Logger = slog.New(slog.NewTextHandler(w, nil)) }
}

// lockedBuffer collects log output from the worker's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	return newEnvOn(t, storagetest.Open(t), opts...)
}

// openFile opens a store on path; the caller closes it.
func openFile(t *testing.T, path string) *storage.Store {
	t.Helper()
	s, err := storage.Open(bg, path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func tempDB(t *testing.T) string { return filepath.Join(t.TempDir(), "feedrelay.db") }

func newEnvOn(t *testing.T, s *storage.Store, opts ...envOption) *env {
	t.Helper()
	e := &env{t: t, store: s, clock: &clock{}}
	wo := relay.Options{BaseURL: baseURL, Now: e.clock.Now}
	ho := safehttp.Options{AllowPrivate: true, Timeout: 5 * time.Second}
	for _, o := range opts {
		o(&wo, &ho)
	}
	e.client = safehttp.New(ho)
	e.worker = relay.NewWorker(s, e.client, relay.Formatters(), wo)
	e.svc = &relay.Service{Store: s, Client: e.client, Formatters: relay.Formatters(), BaseURL: baseURL, Notify: e.worker.Notify}
	return e
}

// addTarget stores an enabled, unpaced target through the service (which
// test-builds a message for it).
func (e *env) addTarget(t feedrelay.RelayTarget) feedrelay.RelayTarget {
	e.t.Helper()
	t.Enabled = true
	if t.RatePerMinute == 0 {
		t.RatePerMinute = feedrelay.RateUnlimited
	}
	got, err := e.svc.AddTarget(bg, t)
	if err != nil {
		e.t.Fatalf("add target %q: %v", t.Name, err)
	}
	return got
}

func (e *env) target(id int64) feedrelay.RelayTarget {
	e.t.Helper()
	got, err := e.store.RelayTarget(bg, id, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return got
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newArticle(i int) feedrelay.Article {
	key := fmt.Sprintf("post-%02d", i)
	return feedrelay.Article{Key: key, GUID: feedrelay.GUIDForKey(key), Title: fmt.Sprintf("文章 %02d: title", i),
		Summary: fmt.Sprintf("summary of article %d", i), ContentHTML: fmt.Sprintf("<p>body %d</p>", i),
		Published: t0.Add(time.Duration(i) * time.Minute), Categories: []feedrelay.CategoryPath{{"Tech"}}}
}

// createArticles stores articles from..to-1 one by one, as the write API
// does; each queues its deliveries in its own transaction.
func (e *env) createArticles(from, to int) []feedrelay.Article {
	e.t.Helper()
	var out []feedrelay.Article
	for i := from; i < to; i++ {
		a, err := e.store.CreateArticle(bg, newArticle(i))
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// pass runs one DeliverDue, bounded in time.
func (e *env) pass() int {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(bg, 10*time.Second)
	defer cancel()
	n, err := e.worker.DeliverDue(ctx)
	if err != nil {
		e.t.Fatalf("deliver due: %v", err)
	}
	return n
}

// due reports whether the store would hand the target to a worker at at.
func (e *env) due(id int64, at time.Time) bool {
	e.t.Helper()
	list, err := e.store.DueRelayTargets(bg, at)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, t := range list {
		if t.ID == id {
			return true
		}
	}
	return false
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// run starts the worker's Run for at most within; stop cancels it and
// waits (bounded) for it to return, sends in flight included.
func (e *env) run(within time.Duration) (stop func(), done <-chan struct{}) {
	ctx, cancel := context.WithTimeout(bg, within)
	ch := make(chan struct{})
	go func() { defer close(ch); e.worker.Run(ctx) }()
	stop = func() {
		e.t.Helper()
		cancel()
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			e.t.Fatal("Run did not return after cancel")
		}
	}
	e.t.Cleanup(cancel)
	return stop, ch
}
