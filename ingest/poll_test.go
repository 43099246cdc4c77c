package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/ingest"
	"github.com/feedrelay/feedrelay/safehttp"
	"github.com/feedrelay/feedrelay/sanitize"
	"github.com/feedrelay/feedrelay/storage"
	"github.com/feedrelay/feedrelay/storage/storagetest"
)

var ctx = context.Background()

func rssFeed(title string, items ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>` + title +
		`</title><link>https://up.example/</link><description>d</description>` + strings.Join(items, "") + `</channel></rss>`
}

func rssItem(guid, title, date, body string) string {
	return fmt.Sprintf(`<item><guid isPermaLink="false">%s</guid><title>%s</title><link>https://up.example/%s</link>
		<pubDate>%s</pubDate><description><![CDATA[%s]]></description></item>`, guid, title, guid, date, body)
}

type env struct {
	store  *storage.Store
	poller *ingest.Poller
	svc    *ingest.Service
	stored atomic.Int32
}

func newEnv(t *testing.T, opts safehttp.Options) *env {
	t.Helper()
	e := &env{store: storagetest.Open(t)}
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	client := safehttp.New(opts)
	e.poller = ingest.NewPoller(e.store, client, sanitize.New(), ingest.Options{OnStored: func() { e.stored.Add(1) }})
	e.svc = &ingest.Service{Store: e.store, Poller: e.poller}
	return e
}

func (e *env) add(t *testing.T, url string, cats ...feedrelay.CategoryPath) (feedrelay.Source, feedrelay.PollResult) {
	t.Helper()
	src, res, err := e.svc.AddSource(ctx, feedrelay.Source{URL: url, Enabled: true, Interval: 10 * time.Minute, Categories: cats})
	if err != nil {
		t.Fatalf("add source %s: %v", url, err)
	}
	return src, res
}

func (e *env) source(t *testing.T, id int64) feedrelay.Source {
	t.Helper()
	src, err := e.store.Source(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

const date1 = "Tue, 05 Mar 2024 09:30:00 GMT"

func TestConditionalRepollStoresNothingNew(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	body := rssFeed("Up", rssItem("a", "A", date1, "<p>a</p>"), rssItem("b", "B", date1, "<p>b</p>"))
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 05 Mar 2024 10:00:00 GMT")
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, body)
	}))
	defer up.Close()
	e := newEnv(t, safehttp.Options{AllowPrivate: true, UserAgent: "feedrelay/test (+http://relay.example)"})
	src, first := e.add(t, up.URL+"/feed", feedrelay.CategoryPath{"新闻"})
	if len(first.Created) != 2 {
		t.Fatalf("first poll created %d, want 2", len(first.Created))
	}
	mu.Lock()
	if len(seen) != 1 {
		t.Errorf("adding a source asked the upstream %d times, want once (the check's answer is the first poll)", len(seen))
	}
	mu.Unlock()
	a := first.Created[0]
	if a.Source.Title != "Up" || a.Source.URL != up.URL+"/feed" || a.Link != "https://up.example/a" || a.Source.OriginalLink != a.Link {
		t.Errorf("attribution %+v link %q", a.Source, a.Link)
	}
	res := e.poller.Poll(ctx, e.source(t, src.ID))
	if res.Err != nil || !res.NotModified || len(res.Created) != 0 {
		t.Fatalf("second poll: %+v", res)
	}
	mu.Lock()
	last := seen[len(seen)-1]
	mu.Unlock()
	if last.Get("If-None-Match") != `"v1"` || last.Get("If-Modified-Since") != "Tue, 05 Mar 2024 10:00:00 GMT" {
		t.Errorf("second poll sent validators %q / %q", last.Get("If-None-Match"), last.Get("If-Modified-Since"))
	}
	if ua := last.Get("User-Agent"); !strings.Contains(ua, "feedrelay") || !strings.Contains(ua, "relay.example") {
		t.Errorf("User-Agent %q does not name feedrelay and its base URL", ua)
	}
	if n, _ := e.store.CountArticles(ctx); n != 2 {
		t.Errorf("articles stored %d, want 2", n)
	}
	if got := e.source(t, src.ID); got.State.Failures != 0 || got.State.LastSuccess.IsZero() || got.State.ItemCount != 2 {
		t.Errorf("state after 304: %+v", got.State)
	}
}

func TestItemChangedUpstreamIsUpdatedInPlace(t *testing.T) {
	var version atomic.Int32
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		title := "Original"
		if version.Load() > 0 {
			title = "Corrected"
		}
		// The same item twice (duplicated GUID) and one without any GUID.
		fmt.Fprint(w, rssFeed("Up", rssItem("a", title, date1, "<p>x</p>"), rssItem("a", "Dup", date1, "<p>y</p>"),
			`<item><title>No guid</title><link>https://up.example/noguid</link><description>z</description></item>`))
	}))
	defer up.Close()
	e := newEnv(t, safehttp.Options{AllowPrivate: true})
	src, first := e.add(t, up.URL)
	if len(first.Created) != 2 {
		t.Fatalf("created %d, want 2 (duplicate GUID stored once)", len(first.Created))
	}
	var undated feedrelay.Article
	for _, a := range first.Created {
		if a.Title == "No guid" {
			undated = a
		}
	}
	version.Store(1)
	time.Sleep(10 * time.Millisecond)
	res := e.poller.Poll(ctx, e.source(t, src.ID))
	if res.Err != nil || len(res.Created) != 0 || res.Updated != 1 || res.Unchanged != 1 {
		t.Fatalf("re-poll: created %d updated %d unchanged %d err %v", len(res.Created), res.Updated, res.Unchanged, res.Err)
	}
	key := first.Created[0].Key
	got, _ := e.store.ArticleByKey(ctx, key)
	if got.Title != "Corrected" || got.GUID != first.Created[0].GUID {
		t.Errorf("updated item: %q guid %q (was %q)", got.Title, got.GUID, first.Created[0].GUID)
	}
	again, _ := e.store.ArticleByKey(ctx, undated.Key)
	if !again.Published.Equal(undated.Published) {
		t.Errorf("undated item's date moved from %v to %v: it must keep the time first seen", undated.Published, again.Published)
	}
}

func TestFailuresBackOffAndRecover(t *testing.T) {
	var mode atomic.Value
	mode.Store("ok")
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch mode.Load().(string) {
		case "500":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "429":
			w.Header().Set("Retry-After", "7200")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		case "410":
			http.Error(w, "gone", http.StatusGone)
		default:
			fmt.Fprint(w, rssFeed("Up", rssItem("a", "A", date1, "a")))
		}
	}))
	defer up.Close()
	e := newEnv(t, safehttp.Options{AllowPrivate: true})
	src, _ := e.add(t, up.URL)

	mode.Store("500")
	var waits []time.Duration
	for i := 1; i <= 4; i++ {
		before := time.Now()
		res := e.poller.Poll(ctx, e.source(t, src.ID))
		got := e.source(t, src.ID)
		if res.Err == nil || got.State.Failures != i || !strings.Contains(got.State.LastError, "500") {
			t.Fatalf("failure %d: err %v state %+v", i, res.Err, got.State)
		}
		waits = append(waits, got.State.NextPoll.Sub(before))
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] <= waits[i-1] {
			t.Errorf("backoff did not grow: %v", waits)
		}
	}
	if waits[0] < 15*time.Minute || waits[3] > ingest.MaxBackoff+time.Hour {
		t.Errorf("backoff waits %v: want interval-doubling from 20m, capped", waits)
	}
	mode.Store("ok")
	e.poller.Poll(ctx, e.source(t, src.ID))
	if got := e.source(t, src.ID); got.State.Failures != 0 || got.State.LastError != "" || got.State.NextPoll.Sub(time.Now()) > 11*time.Minute {
		t.Errorf("after success: %+v", got.State)
	}

	mode.Store("429")
	e.poller.Poll(ctx, e.source(t, src.ID))
	if got := e.source(t, src.ID); time.Until(got.State.NextPoll) < 119*time.Minute {
		t.Errorf("429 Retry-After 7200 not honoured: next poll in %v", time.Until(got.State.NextPoll))
	}

	mode.Store("410")
	e.poller.Poll(ctx, e.source(t, src.ID))
	got := e.source(t, src.ID)
	if got.Enabled || !strings.Contains(got.State.DisabledReason, "410") {
		t.Errorf("after 410: enabled=%v reason %q", got.Enabled, got.State.DisabledReason)
	}
	if due, _ := e.store.DueSources(ctx, time.Now().Add(48*time.Hour), 10); len(due) != 0 {
		t.Errorf("a gone source is still polled")
	}
}

func TestPermanentRedirectUpdatesURL(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, rssFeed("Up", rssItem("a", "A", date1, "a")))
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusMovedPermanently) })
	mux.HandleFunc("/temp", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusFound) })
	up := httptest.NewServer(mux)
	defer up.Close()
	e := newEnv(t, safehttp.Options{AllowPrivate: true})
	src, _ := e.add(t, up.URL+"/temp")
	if src.URL != up.URL+"/temp" {
		t.Errorf("302 changed the stored URL to %s", src.URL)
	}
	moved, err := e.store.CreateSource(ctx, feedrelay.Source{URL: up.URL + "/old", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	// /new is not stored yet under its own URL for this source; the 301
	// moves it there.
	e.poller.Poll(ctx, moved)
	if got := e.source(t, moved.ID); got.URL != up.URL+"/new" {
		t.Errorf("after 301: URL %s, want %s/new", got.URL, up.URL)
	}
}

func TestHostileUpstreamsAreBounded(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		chunk := strings.Repeat("x", 1<<20)
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>`)
		for range 20 {
			if _, err := fmt.Fprint(w, chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>slow`)
		for {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
				fmt.Fprint(w, " ")
				w.(http.Flusher).Flush()
			}
		}
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!DOCTYPE html><html><body>hi</body></html>")
	})
	mux.HandleFunc("/evil", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, rssFeed("Evil", rssItem("e", "E", date1, `<p>hi<script>alert(1)</script><img src="/x.png" onerror="alert(2)"></p>`)))
	})
	up := httptest.NewServer(mux)
	defer up.Close()
	e := newEnv(t, safehttp.Options{AllowPrivate: true, Timeout: 500 * time.Millisecond})

	for _, c := range []struct{ path, want string }{
		{"/huge", "10 MiB"}, {"/endless", "within"}, {"/page", "HTML"}, {"/missing", "404"},
	} {
		start := time.Now()
		_, _, err := e.svc.AddSource(ctx, feedrelay.Source{URL: up.URL + c.path, Enabled: true})
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, feedrelay.ErrInvalid) {
			t.Errorf("add %s: %v, want an invalid-input error mentioning %q", c.path, err, c.want)
		}
		if time.Since(start) > 3*time.Second {
			t.Errorf("add %s took %v", c.path, time.Since(start))
		}
	}
	if list, _ := e.store.Sources(ctx); len(list) != 0 {
		t.Errorf("%d sources saved from failed adds", len(list))
	}
	_, res := e.add(t, up.URL+"/evil")
	got, _ := e.store.ArticleByKey(ctx, res.Created[0].Key)
	if strings.Contains(got.ContentHTML, "script") || strings.Contains(got.ContentHTML, "onerror") || !strings.Contains(got.ContentHTML, `src="https://up.example/x.png"`) {
		t.Errorf("stored content %q: script/onerror must be gone and the image absolute against the item link", got.ContentHTML)
	}
}

func TestPrivateAddressesRefusedByDefault(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, rssFeed("Up", rssItem("a", "A", date1, "a")))
	}))
	defer up.Close()
	e := newEnv(t, safehttp.Options{})
	_, _, err := e.svc.AddSource(ctx, feedrelay.Source{URL: up.URL, Enabled: true})
	if !errors.Is(err, safehttp.ErrBlocked) || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("add of a loopback feed: %v, want a refusal naming 127.0.0.1", err)
	}
	// A stored source (from an OPML import, say) is refused at poll time.
	src, err := e.store.CreateSource(ctx, feedrelay.Source{URL: up.URL, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	res := e.poller.Poll(ctx, src)
	if !errors.Is(res.Err, safehttp.ErrBlocked) {
		t.Errorf("poll: %v", res.Err)
	}
	if got := e.source(t, src.ID); !strings.Contains(got.State.LastError, "refusing") {
		t.Errorf("last error %q", got.State.LastError)
	}
}

func TestGBKFeedDeclaredOnlyInContentType(t *testing.T) {
	raw := rssFeed("新闻中心", rssItem("g", "智慧农业无人机", date1, "<p>中文内容</p>"))
	raw = strings.Replace(raw, `<?xml version="1.0" encoding="UTF-8"?>`, `<?xml version="1.0"?>`, 1)
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(raw)
	if err != nil {
		t.Fatal(err)
	}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=GBK")
		fmt.Fprint(w, gbk)
	}))
	defer up.Close()
	e := newEnv(t, safehttp.Options{AllowPrivate: true})
	src, res := e.add(t, up.URL)
	if len(res.Created) != 1 || res.Created[0].Title != "智慧农业无人机" || src.State.FeedTitle != "新闻中心" {
		t.Fatalf("GBK feed: %+v title %q", res.Created, src.State.FeedTitle)
	}
}

func TestSchedulerBoundsAndSlowUpstreams(t *testing.T) {
	var running, peak atomic.Int32
	release := make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if strings.HasPrefix(r.URL.Path, "/slow") {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		} else {
			time.Sleep(20 * time.Millisecond)
		}
		fmt.Fprint(w, rssFeed("Up", rssItem(r.URL.Path[1:], "T"+r.URL.Path, date1, "x")))
	}))
	defer up.Close()
	defer close(release)
	s := storagetest.Open(t)
	// Two host names for one server: per-host bounds apply to each.
	hosts := []string{strings.Replace(up.URL, "127.0.0.1", "localhost", 1), up.URL}
	for i := range 12 {
		if _, err := s.CreateSource(ctx, feedrelay.Source{URL: fmt.Sprintf("%s/s%d", hosts[i%2], i), Enabled: true}); err != nil {
			t.Fatal(err)
		}
	}
	slow, err := s.CreateSource(ctx, feedrelay.Source{URL: up.URL + "/slow", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	p := ingest.NewPoller(s, safehttp.New(safehttp.Options{AllowPrivate: true, Timeout: 10 * time.Second}), sanitize.New(),
		ingest.Options{Concurrency: 3, PerHost: 2, Tick: 20 * time.Millisecond})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { p.Run(runCtx); close(done) }()

	// Everything but the slow source is stored while it still hangs.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if n, _ := s.CountArticles(ctx); n == 12 {
			break
		}
		if time.Now().After(deadline) {
			n, _ := s.CountArticles(ctx)
			t.Fatalf("only %d of 12 sources polled while one upstream hangs", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if pk := peak.Load(); pk > 3 {
		t.Errorf("peak concurrent polls %d, want at most 3", pk)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop after cancel")
	}
	if got, _ := s.Source(ctx, slow.ID); got.State.Failures != 0 || !got.State.LastSuccess.IsZero() {
		t.Errorf("a poll cut short by shutdown was recorded: %+v", got.State)
	}
}

func TestAtomAndJSONFeedUpstreams(t *testing.T) {
	mux := http.NewServeMux()
	for path, file := range map[string]string{"/atom": "testdata/atom.xml", "/json": "testdata/feed.json"} {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(file, ".json") {
				w.Header().Set("Content-Type", "application/feed+json")
			} else {
				w.Header().Set("Content-Type", "application/atom+xml")
			}
			http.ServeFile(w, r, file)
		})
	}
	up := httptest.NewServer(mux)
	defer up.Close()
	e := newEnv(t, safehttp.Options{AllowPrivate: true})
	for _, c := range []struct{ path, feedTitle, firstTitle, link, author string }{
		{"/atom", "Atom Example", "Atom entry one", "https://atom.example.com/2024/05/one", "Alice, Bob"},
		{"/json", "JSON Example", "JSON item with HTML", "https://json.example.com/posts/1", "Jason"},
	} {
		src, res := e.add(t, up.URL+c.path, feedrelay.CategoryPath{"Tech"})
		if src.State.FeedTitle != c.feedTitle || len(res.Created) < 2 {
			t.Fatalf("%s: title %q, %d created", c.path, src.State.FeedTitle, len(res.Created))
		}
		var a *feedrelay.Article
		for i := range res.Created {
			if res.Created[i].Link == c.link {
				a = &res.Created[i]
			}
		}
		if a == nil {
			t.Fatalf("%s: no article linking to %s", c.path, c.link)
		}
		if a.Title != c.firstTitle || a.Source.Title != c.feedTitle || a.Source.URL != up.URL+c.path ||
			a.Source.OriginalLink != c.link || a.Source.OriginalAuthor != c.author || strings.Contains(a.ContentHTML, "script") {
			t.Errorf("%s: article %q source %+v content %q", c.path, a.Title, a.Source, a.ContentHTML)
		}
		if len(a.Categories) != 1 || a.Categories[0][0] != "Tech" {
			t.Errorf("%s: categories %v", c.path, a.Categories)
		}
	}
}

func TestNewItemsAreStoredOldestFirst(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, rssFeed("Up", // newest first, as feeds list them
			rssItem("c", "C", "Thu, 07 Mar 2024 09:30:00 GMT", "c"),
			rssItem("b", "B", "Wed, 06 Mar 2024 09:30:00 GMT", "b"),
			rssItem("a", "A", "Tue, 05 Mar 2024 09:30:00 GMT", "a")))
	}))
	defer up.Close()
	e := newEnv(t, safehttp.Options{AllowPrivate: true})
	e.add(t, up.URL)
	list, err := e.store.ArticlesAfter(ctx, 0, feedrelay.AllArticles, 10)
	if err != nil || len(list) != 3 {
		t.Fatalf("%d articles, %v", len(list), err)
	}
	if list[0].Title != "A" || list[1].Title != "B" || list[2].Title != "C" {
		t.Errorf("stored order %s %s %s, want A B C (oldest first: the order relays and cursor pollers see)", list[0].Title, list[1].Title, list[2].Title)
	}
}
