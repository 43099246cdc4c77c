package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/handlers"
	"github.com/feedrelay/feedrelay/sanitize"
	"github.com/feedrelay/feedrelay/storage"
	"github.com/feedrelay/feedrelay/storage/storagetest"
)

type cursorPage struct {
	Articles   []struct{ ID, Title, Cursor string }
	NextCursor string `json:"next_cursor"`
}

func getPage(t *testing.T, ts *testServer, query string) cursorPage {
	t.Helper()
	resp, b := ts.do(t, "GET", "/api/v1/articles?"+query, "")
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("GET ?%s: %d %v %s", query, resp.StatusCode, resp.Header, b)
	}
	var p cursorPage
	if err := json.Unmarshal(b, &p); err != nil || p.Articles == nil || p.NextCursor == "" {
		t.Fatalf("GET ?%s: %v %s", query, err, b)
	}
	return p
}

func article(key string, cats ...feedrelay.CategoryPath) feedrelay.Article {
	return feedrelay.Article{Key: key, GUID: feedrelay.GUIDForKey(key), Title: "T " + key, Published: time.Now(), Categories: cats}
}

func storeArticle(t testing.TB, store *storage.Store, key string, cats ...feedrelay.CategoryPath) {
	t.Helper()
	if _, err := store.CreateArticle(context.Background(), article(key, cats...)); err != nil {
		t.Fatalf("create %s: %v", key, err)
	}
}

func TestCursorPaging(t *testing.T) {
	ts := newTestServer(t, nil)
	for i := range 120 {
		storeArticle(t, ts.store, fmt.Sprintf("a%03d", i))
	}
	var seen []string
	after, pages := "", 0
	for ; pages < 10; pages++ {
		p := getPage(t, ts, "limit=50&after="+after)
		if len(p.Articles) == 0 || len(p.Articles) > 50 {
			if p.NextCursor != after {
				t.Errorf("page of %d moved the cursor from %q to %q", len(p.Articles), after, p.NextCursor)
			}
			break
		}
		for _, a := range p.Articles {
			seen = append(seen, a.ID)
		}
		if last := p.Articles[len(p.Articles)-1].Cursor; p.NextCursor != last {
			t.Errorf("next_cursor %q, want the last article's %q", p.NextCursor, last)
		}
		after = p.NextCursor
	}
	if pages != 3 || len(seen) != 120 {
		t.Fatalf("%d articles in %d pages, want 120 in 3", len(seen), pages)
	}
	for i, id := range seen {
		if want := fmt.Sprintf("a%03d", i); id != want {
			t.Fatalf("article %d is %s, want %s (stored order, each once)", i, id, want)
		}
	}
	if p := getPage(t, ts, ""); len(p.Articles) != 50 || p.Articles[0].ID != "a000" {
		t.Errorf("default page: %d articles from %v", len(p.Articles), p.Articles[:1])
	}
	if p := getPage(t, ts, "limit=100000"); len(p.Articles) != 120 {
		t.Errorf("huge limit: %d articles, want MaxLimit's 120 of 200", len(p.Articles))
	}
	if resp, b := ts.do(t, "HEAD", "/api/v1/articles?wait=30s", ""); resp.StatusCode != 200 || len(b) != 0 {
		t.Errorf("HEAD: %d %q", resp.StatusCode, b)
	}
}

func TestCursorCategoryAndLatest(t *testing.T) {
	ts := newTestServer(t, nil)
	storeArticle(t, ts.store, "go-tip", feedrelay.CategoryPath{"Go", "Tips"})
	storeArticle(t, ts.store, "news", feedrelay.CategoryPath{"News"})
	storeArticle(t, ts.store, "go", feedrelay.CategoryPath{"Go"})
	storeArticle(t, ts.store, "cjk", feedrelay.CategoryPath{"新媒体", "高科技 门户"})
	if err := ts.srv.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	ids := func(p cursorPage) string {
		var out []string
		for _, a := range p.Articles {
			out = append(out, a.ID)
		}
		return strings.Join(out, ",")
	}
	for cat, want := range map[string]string{
		"Go": "go-tip,go", "Go/Tips": "go-tip", "/Go/Tips/": "go-tip", "News": "news", // descendants included
		"%E6%96%B0%E5%AA%92%E4%BD%93/%E9%AB%98%E7%A7%91%E6%8A%80-%E9%97%A8%E6%88%B7": "cjk", // as in the URL
		"新媒体/高科技-门户": "cjk", "新媒体/高科技 门户": "cjk", "新媒体 > 高科技 门户": "cjk", // names, display path
	} {
		if got := ids(getPage(t, ts, "category="+url.QueryEscape(cat))); got != want {
			t.Errorf("category %q: %s, want %s", cat, got, want)
		}
	}
	if got := ids(getPage(t, ts, "category=Go&limit=1")); got != "go-tip" {
		t.Errorf("category Go, limit 1: %s", got)
	}
	resp, b := ts.do(t, "GET", "/api/v1/articles?category=Nope/Deeper", "")
	if resp.StatusCode != 404 || !strings.Contains(decodeJSON(t, b)["error"].(string), `"Nope/Deeper"`) {
		t.Errorf("unknown category: %d %s", resp.StatusCode, b)
	}

	all := getPage(t, ts, "")
	latest := getPage(t, ts, "after=latest")
	if len(latest.Articles) != 0 || latest.NextCursor != all.NextCursor {
		t.Errorf("after=latest: %+v, want no articles and next_cursor %s", latest, all.NextCursor)
	}
	storeArticle(t, ts.store, "later", feedrelay.CategoryPath{"Go"})
	if got := ids(getPage(t, ts, "after="+latest.NextCursor)); got != "later" {
		t.Errorf("after the latest cursor: %s, want later", got)
	}
}

func TestCursorBadParams(t *testing.T) {
	ts := newTestServer(t, nil)
	for q, field := range map[string]string{
		"limit=0": "limit", "limit=-3": "limit", "limit=ten": "limit",
		"after=xyz": "after", "after=c!": "after", "after=c-5": "after",
		"wait=soon": "wait", "wait=-1s": "wait", "wait=-2": "wait", "wait=NaN": "wait",
		"after=c99999": "after", // ahead of the newest article: from another database
	} {
		resp, b := ts.do(t, "GET", "/api/v1/articles?"+q, "")
		if m := decodeJSON(t, b); resp.StatusCode != 400 || m["field"] != field || m["error"] == "" || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("?%s: %d %v %s, want 400 naming %s, no-store", q, resp.StatusCode, resp.Header, b, field)
		}
	}
	resp, b := ts.do(t, "GET", "/api/v1/articles?category=no-such", "")
	if m := decodeJSON(t, b); resp.StatusCode != 404 || m["field"] != "category" || !strings.Contains(m["error"].(string), "no-such") {
		t.Errorf("unknown category: %d %s, want 404 naming the category field", resp.StatusCode, b)
	}
}

// TestCursorConcurrentWriters: a reader following next_cursor while
// articles are being stored sees every one exactly once, in order. The
// writer goes through the store, not this server, so the reader's long
// polls are woken by Run's refreshes, as for another process's writes.
func TestCursorConcurrentWriters(t *testing.T) {
	ts := newTestServer(t, func(c *handlers.Config) { c.RefreshInterval = 20 * time.Millisecond })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ts.srv.Run(ctx)
	const n = 200
	writeErr := make(chan error, 1)
	go func() {
		for i := range n {
			if _, err := ts.store.CreateArticle(ctx, article(fmt.Sprintf("w%03d", i))); err != nil {
				writeErr <- err
				return
			}
		}
		writeErr <- nil
	}()
	var seen []string
	after, deadline := "", time.Now().Add(30*time.Second)
	for i := 0; len(seen) < n && i < 2000 && time.Now().Before(deadline); i++ {
		p := getPage(t, ts, "limit=7&wait=2s&after="+after)
		for _, a := range p.Articles {
			seen = append(seen, a.ID)
		}
		after = p.NextCursor
	}
	if err := <-writeErr; err != nil {
		t.Fatal(err)
	}
	if p := getPage(t, ts, "after="+after); len(p.Articles) != 0 {
		t.Errorf("%d articles after the reader's last cursor", len(p.Articles))
	}
	if len(seen) != n {
		t.Fatalf("reader saw %d articles, want %d", len(seen), n)
	}
	for i, id := range seen {
		if want := fmt.Sprintf("w%03d", i); id != want {
			t.Fatalf("article %d is %s, want %s: a gap or a duplicate", i, id, want)
		}
	}
}

type fetched struct {
	p   cursorPage
	at  time.Time // when the answer came
	err error
}

// fetchPage is getPage for other goroutines: it reports, never fails.
func fetchPage(ctx context.Context, url string) (r fetched) {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if r.err = err; err == nil {
		defer resp.Body.Close()
		if r.err = fmt.Errorf("status %d", resp.StatusCode); resp.StatusCode == 200 {
			r.err = json.NewDecoder(resp.Body).Decode(&r.p)
		}
	}
	r.at = time.Now()
	return r
}

func TestLongPoll(t *testing.T) {
	ts := newTestServer(t, nil)
	from := getPage(t, ts, "after=latest").NextCursor
	done := make(chan fetched, 1)
	go func() { done <- fetchPage(context.Background(), ts.URL+"/api/v1/articles?wait=5s&after="+from) }()
	time.Sleep(300 * time.Millisecond)
	writeAt := time.Now() // an answer before this did not wait for the write
	if resp, b := ts.do(t, "POST", "/api/v1/articles", `{"id":"fresh","title":"Fresh"}`, bearer...); resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	wrote := time.Now()
	select {
	case r := <-done:
		if r.err != nil || len(r.p.Articles) != 1 || r.p.Articles[0].ID != "fresh" || r.p.NextCursor != r.p.Articles[0].Cursor {
			t.Errorf("long poll answered %+v, %v", r.p, r.err)
		}
		if r.at.Before(writeAt) || r.at.Sub(wrote) > time.Second {
			t.Errorf("long poll answered %v after the write started, %v after it ended", r.at.Sub(writeAt), r.at.Sub(wrote))
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the long poll did not answer within 3s of the write")
	}

	after := getPage(t, ts, "").NextCursor
	start := time.Now()
	p := getPage(t, ts, "wait=1&after="+after)
	if took := time.Since(start); took < 900*time.Millisecond || took > 3*time.Second || len(p.Articles) != 0 || p.NextCursor != after {
		t.Errorf("wait=1 without writes: %+v after %v, want nothing and next_cursor %s after 1s", p, took, after)
	}
}

// logSink collects the durations the access log records.
type logSink chan time.Duration

func (h logSink) Enabled(context.Context, slog.Level) bool { return true }
func (h logSink) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h logSink) WithGroup(string) slog.Handler            { return h }
func (h logSink) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "duration" {
			h <- a.Value.Duration()
		}
		return true
	})
	return nil
}

// TestLongPollEnds: a client that gives up ends the wait (net/http tells
// the handler; fasthttp cannot), and so does the server shutting down.
func TestLongPollEnds(t *testing.T) {
	logs := make(logSink, 100)
	ts := newNetHTTPTestServer(t, func(c *handlers.Config) { c.Logger = slog.New(logs) })
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if r := fetchPage(ctx, ts.URL+"/api/v1/articles?wait=60s"); r.err == nil {
		t.Fatal("the long poll answered before the client gave up")
	}
	select {
	case d := <-logs:
		if d > 3*time.Second {
			t.Errorf("the wait went on for %v after the client left at 300ms", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the handler did not end within 5s of the client leaving")
	}

	life, stop := context.WithCancel(context.Background())
	hs := httptest.NewUnstartedServer(nil)
	srv, err := handlers.New(life, handlers.Config{BaseURL: "http://" + hs.Listener.Addr().String()}, storagetest.Open(t), sanitize.New())
	if err != nil {
		t.Fatal(err)
	}
	hs.Config.Handler = srv.Handler()
	hs.Start()
	defer hs.Close()
	time.AfterFunc(300*time.Millisecond, stop)
	start := time.Now()
	r := fetchPage(context.Background(), hs.URL+"/api/v1/articles?wait=60s")
	if took := time.Since(start); r.err != nil || len(r.p.Articles) != 0 || took > 3*time.Second {
		t.Errorf("long poll during shutdown: %+v after %v", r, took)
	}
}
