package handlers_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/handlers"
)

const newsFeed = "/categories/%E6%96%B0%E5%AA%92%E4%BD%93/%E9%AB%98%E7%A7%91%E6%8A%80%E8%A1%8C%E4%B8%9A%E9%97%A8%E6%88%B7/%E6%96%B0%E9%97%BB/feed.atom"

func TestFeedHeadersAndContentTypes(t *testing.T) {
	forEachTransport(t, testFeedHeadersAndContentTypes)
}

func testFeedHeadersAndContentTypes(t *testing.T, newServer serverMaker) {
	ts := newServer(t, func(c *handlers.Config) { c.CacheMaxAge = 120 * time.Second })
	ts.importExamples(t)
	for path, ct := range map[string]string{
		"/feed.rss":  "application/rss+xml; charset=utf-8",
		"/feed.atom": "application/atom+xml; charset=utf-8",
		"/feed.json": "application/feed+json; charset=utf-8",
		newsFeed:     "application/atom+xml; charset=utf-8",
	} {
		resp, body := ts.do(t, "GET", path, "")
		h := resp.Header
		if resp.StatusCode != 200 || h.Get("Content-Type") != ct {
			t.Errorf("%s: status %d content-type %q, want 200 %q", path, resp.StatusCode, h.Get("Content-Type"), ct)
		}
		etag := h.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 10 {
			t.Errorf("%s: ETag %q is not a strong entity tag", path, etag)
		}
		if _, err := http.ParseTime(h.Get("Last-Modified")); err != nil {
			t.Errorf("%s: Last-Modified %q: %v", path, h.Get("Last-Modified"), err)
		}
		if h.Get("Cache-Control") != "public, max-age=120" || h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s: Cache-Control %q Vary %q", path, h.Get("Cache-Control"), h.Get("Vary"))
		}
		if h.Get("Content-Encoding") != "" || len(body) == 0 {
			t.Errorf("%s: identity response has Content-Encoding %q, %d bytes", path, h.Get("Content-Encoding"), len(body))
		}
	}
}

func TestRawUTF8CategoryPathServesSameFeed(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.importExamples(t)
	_, encoded := ts.do(t, "GET", newsFeed, "")
	// Go's client escapes a raw path; a client sending raw UTF-8 octets
	// ends up at the same handler after the server parses the URL.
	resp, raw := ts.do(t, "GET", "/categories/新媒体/高科技行业门户/新闻/feed.atom", "")
	if resp.StatusCode != 200 || !bytes.Equal(encoded, raw) {
		t.Errorf("raw UTF-8 path: status %d, same body %v", resp.StatusCode, bytes.Equal(encoded, raw))
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range feed.Items {
		if !strings.Contains(strings.Join(it.Categories, ","), "新闻") {
			t.Errorf("item %q in 新闻 feed lacks the 新闻 category: %q", it.Title, it.Categories)
		}
	}
}

func TestConditionalGet(t *testing.T) { forEachTransport(t, testConditionalGet) }

func testConditionalGet(t *testing.T, newServer serverMaker) {
	ts := newServer(t, nil)
	ts.importExamples(t)
	resp, _ := ts.do(t, "GET", "/feed.rss", "")
	etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	lm, _ := http.ParseTime(lastMod)

	cases := []struct {
		name   string
		header []string
		want   int
	}{
		{"matching If-None-Match", []string{"If-None-Match", etag}, 304},
		{"weak form of the tag", []string{"If-None-Match", "W/" + etag}, 304},
		{"tag in a list", []string{"If-None-Match", `"other", ` + etag}, 304},
		{"star", []string{"If-None-Match", "*"}, 304},
		{"other tag", []string{"If-None-Match", `"nope"`}, 200},
		{"If-Modified-Since equal", []string{"If-Modified-Since", lastMod}, 304},
		{"If-Modified-Since later", []string{"If-Modified-Since", lm.Add(time.Hour).Format(http.TimeFormat)}, 304},
		{"If-Modified-Since earlier", []string{"If-Modified-Since", lm.Add(-time.Second).Format(http.TimeFormat)}, 200},
		{"If-None-Match wins over If-Modified-Since", []string{"If-None-Match", `"nope"`, "If-Modified-Since", lastMod}, 200},
		{"garbage date", []string{"If-Modified-Since", "yesterday"}, 200},
	}
	for _, c := range cases {
		resp, body := ts.do(t, "GET", "/feed.rss", "", c.header...)
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.want)
		}
		if c.want == 304 {
			if len(body) != 0 {
				t.Errorf("%s: 304 with a %d-byte body", c.name, len(body))
			}
			if resp.Header.Get("ETag") != etag || resp.Header.Get("Cache-Control") == "" {
				t.Errorf("%s: 304 lacks validators: %v", c.name, resp.Header)
			}
		}
	}
}

func TestGzipAndHead(t *testing.T) { forEachTransport(t, testGzipAndHead) }

func testGzipAndHead(t *testing.T, newServer serverMaker) {
	ts := newServer(t, nil)
	ts.importExamples(t)
	_, plain := ts.do(t, "GET", "/feed.json", "")
	resp, zipped := ts.do(t, "GET", "/feed.json", "", "Accept-Encoding", "br, gzip;q=0.8")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip response headers: %v", resp.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unzipped, plain) {
		t.Fatalf("gzip body does not decompress to the identity body (%v)", err)
	}
	if len(zipped) >= len(plain) {
		t.Errorf("gzip body %d bytes, identity %d", len(zipped), len(plain))
	}
	gzTag := resp.Header.Get("ETag")
	idResp, _ := ts.do(t, "GET", "/feed.json", "")
	if gzTag == idResp.Header.Get("ETag") {
		t.Errorf("gzip and identity representations share the strong ETag %s", gzTag)
	}
	if r, _ := ts.do(t, "GET", "/feed.json", "", "If-None-Match", gzTag, "Accept-Encoding", "gzip"); r.StatusCode != 304 {
		t.Errorf("gzip ETag revalidation: %d", r.StatusCode)
	}
	if r, _ := ts.do(t, "GET", "/feed.json", "", "Accept-Encoding", "gzip;q=0"); r.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 still got gzip")
	}

	head, body := ts.do(t, "HEAD", "/feed.json", "", "Accept-Encoding", "gzip")
	if head.StatusCode != 200 || len(body) != 0 || head.Header.Get("Content-Length") != resp.Header.Get("Content-Length") ||
		head.Header.Get("ETag") != gzTag {
		t.Errorf("HEAD: status %d, body %d bytes, headers %v", head.StatusCode, len(body), head.Header)
	}
}

func TestErrorsForUnknownAndWrongMethod(t *testing.T) {
	forEachTransport(t, testErrorsForUnknownAndWrongMethod)
}

func testErrorsForUnknownAndWrongMethod(t *testing.T, newServer serverMaker) {
	ts := newServer(t, nil)
	ts.importExamples(t)
	for _, c := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/categories/no-such-category/feed.rss", 404},
		{"GET", "/categories/no-such-category/", 404},
		{"GET", "/articles/no-such-article", 404},
		{"POST", "/feed.rss", 405},
		{"DELETE", newsFeed, 405},
		{"PUT", "/", 405},
		{"GET", "/feed.rss?limit=abc", 400},
		{"GET", "/feed.rss?limit=0", 400},
	} {
		resp, body := ts.do(t, c.method, c.path, "")
		if resp.StatusCode != c.want {
			t.Errorf("%s %s: status %d, want %d (%s)", c.method, c.path, resp.StatusCode, c.want, body)
		}
		if c.want == 404 && (len(body) == 0 || len(body) > 200) {
			t.Errorf("%s %s: 404 body %q should be a short message", c.method, c.path, body)
		}
	}
}

func TestLimit(t *testing.T) {
	ts := newTestServer(t, func(c *handlers.Config) { c.DefaultLimit, c.MaxLimit = 3, 5 })
	n := ts.importExamples(t)
	for _, c := range []struct {
		query string
		want  int
	}{{"", 3}, {"?limit=2", 2}, {"?limit=100", min(5, n)}} {
		_, body := ts.do(t, "GET", "/feed.json"+c.query, "")
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if len(feed.Items) != c.want {
			t.Errorf("/feed.json%s: %d items, want %d", c.query, len(feed.Items), c.want)
		}
	}
}

// TestWritesFromAnotherProcessInvalidateFeeds writes through the store
// directly, as feedrelay import beside a running server does, and checks
// that the affected feed's ETag changes after the server's refresh step
// while an unaffected feed keeps its ETag.
func TestWritesFromAnotherProcessInvalidateFeeds(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.importExamples(t)
	other := "/categories/Programming/feed.rss"
	before, _ := ts.do(t, "GET", newsFeed, "")
	otherBefore, _ := ts.do(t, "GET", other, "")

	a := feedrelay.Article{Key: "fresh", GUID: feedrelay.GUIDForKey("fresh"), Title: "刚刚发布", ContentHTML: "<p>新</p>",
		Published: time.Now().UTC().Truncate(time.Second), Categories: []feedrelay.CategoryPath{{"新媒体", "高科技行业门户", "新闻"}}}
	if _, err := ts.store.CreateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if err := ts.srv.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	after, body := ts.do(t, "GET", newsFeed, "", "If-None-Match", before.Header.Get("ETag"))
	if after.StatusCode != 200 || after.Header.Get("ETag") == before.Header.Get("ETag") {
		t.Fatalf("after a write: status %d, ETag %s (was %s)", after.StatusCode, after.Header.Get("ETag"), before.Header.Get("ETag"))
	}
	if !strings.Contains(string(body), "刚刚发布") {
		t.Errorf("new article missing from its category feed")
	}
	otherAfter, _ := ts.do(t, "GET", other, "")
	if otherAfter.Header.Get("ETag") != otherBefore.Header.Get("ETag") {
		t.Errorf("an unrelated category's ETag changed")
	}
}

// TestRunNoticesWrites checks the background refresh loop picks up a write
// made behind the server's back, within a bounded wait.
func TestRunNoticesWrites(t *testing.T) {
	ts := newTestServer(t, func(c *handlers.Config) { c.RefreshInterval = 20 * time.Millisecond })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ts.srv.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	before, _ := ts.do(t, "GET", "/feed.atom", "")
	a := feedrelay.Article{Key: "late", GUID: "urn:x:late", Title: "Late", Published: time.Now()}
	if _, err := ts.store.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		r, _ := ts.do(t, "GET", "/feed.atom", "")
		if r.Header.Get("ETag") != before.Header.Get("ETag") {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the refresh loop did not notice a write within 5s")
}

func TestPagesCarryAutodiscovery(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.importExamples(t)
	for _, c := range []struct{ path, must string }{
		{"/", `href="` + ts.URL + `/feed.atom"`},
		{"/", "新媒体"},
		{"/categories/%E6%96%B0%E5%AA%92%E4%BD%93/", `href="` + ts.URL + `/categories/%E6%96%B0%E5%AA%92%E4%BD%93/feed.rss"`},
		{"/articles/000_003725e72fda6c0c", `referrerpolicy="no-referrer"`},
		{"/articles/000_003725e72fda6c0c", `/categories/%E6%96%B0%E5%AA%92%E4%BD%93/%E9%AB%98%E7%A7%91%E6%8A%80%E8%A1%8C%E4%B8%9A%E9%97%A8%E6%88%B7/%E6%96%B0%E9%97%BB/feed.atom`},
		{"/categories.opml", `xmlUrl="` + ts.URL + `/categories/%E6%96%B0%E5%AA%92%E4%BD%93/feed.atom"`},
	} {
		if c.path == "/articles/000_003725e72fda6c0c" {
			if _, err := ts.store.ArticleByKey(context.Background(), "000_003725e72fda6c0c"); err != nil {
				continue // the shared seed is not beside this checkout
			}
		}
		resp, body := ts.do(t, "GET", c.path, "")
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", c.path, resp.StatusCode)
			continue
		}
		if c.path != "/categories.opml" && !strings.Contains(string(body), `<link rel="alternate" type="application/atom+xml"`) {
			t.Errorf("%s: no Atom autodiscovery link", c.path)
		}
		if !strings.Contains(string(body), c.must) {
			t.Errorf("%s: missing %s", c.path, c.must)
		}
	}
	if r, _ := ts.do(t, "GET", "/categories/%E6%96%B0%E5%AA%92%E4%BD%93", ""); r.StatusCode != 301 {
		t.Errorf("category page without trailing slash: %d, want 301", r.StatusCode)
	}
}

func TestEmptyDatabaseServesValidEmptyFeeds(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, ext := range []string{"rss", "atom", "json"} {
		resp, body := ts.do(t, "GET", "/feed."+ext, "")
		if resp.StatusCode != 200 {
			t.Fatalf("/feed.%s: %d", ext, resp.StatusCode)
		}
		lm, err := http.ParseTime(resp.Header.Get("Last-Modified"))
		if err != nil || lm.Year() < 1970 {
			t.Errorf("/feed.%s: Last-Modified %q", ext, resp.Header.Get("Last-Modified"))
		}
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil || len(feed.Items) != 0 {
			t.Errorf("/feed.%s: %v, %d items", ext, err, len(feed.Items))
		}
	}
	if resp, body := ts.do(t, "GET", "/", ""); resp.StatusCode != 200 || !strings.Contains(string(body), "No articles yet") {
		t.Errorf("index of an empty site: %d", resp.StatusCode)
	}
}

type serverMaker func(*testing.T, func(*handlers.Config)) *testServer

// forEachTransport runs an HTTP-behaviour test against the transport
// feedrelay serve uses (fasthttp, which answers cached feeds itself) and
// against the plain net/http Handler, so the two cannot drift apart.
func forEachTransport(t *testing.T, test func(*testing.T, serverMaker)) {
	t.Run("fasthttp", func(t *testing.T) { test(t, newTestServer) })
	t.Run("net/http", func(t *testing.T) { test(t, newNetHTTPTestServer) })
}

// TestIfModifiedSinceSeesTwoWritesInOneSecond: Last-Modified has whole
// seconds, so the second of two quick writes must still move it.
func TestIfModifiedSinceSeesTwoWritesInOneSecond(t *testing.T) {
	ts := newTestServer(t, nil)
	post := func(id string) {
		body := `{"id":"` + id + `","title":"` + id + `","categories":["Notes"]}`
		if r, b := ts.do(t, "POST", "/api/v1/articles", body, bearer...); r.StatusCode != 201 {
			t.Fatalf("create %s: %d %s", id, r.StatusCode, b)
		}
	}
	post("t1")
	first, _ := ts.do(t, "GET", "/categories/Notes/feed.rss", "")
	post("t2")
	again, _ := ts.do(t, "GET", "/categories/Notes/feed.rss", "", "If-Modified-Since", first.Header.Get("Last-Modified"))
	if again.StatusCode != 200 {
		t.Errorf("feed changed within the same second, but If-Modified-Since got %d", again.StatusCode)
	}
}

func TestAcceptEncodingVariants(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.importExamples(t)
	for ae, wantGzip := range map[string]bool{
		"gzip": true, "GZIP": true, "x-gzip": true, "*": true, "*;q=0, gzip": true, "gzip;q=0, *": false,
		"br, deflate": false, "identity": false, "gzip;q=0": false, "deflate, gzip;q=0.5": true,
	} {
		resp, _ := ts.do(t, "GET", "/feed.rss", "", "Accept-Encoding", ae)
		if got := resp.Header.Get("Content-Encoding") == "gzip"; got != wantGzip {
			t.Errorf("Accept-Encoding %q: gzip %v, want %v", ae, got, wantGzip)
		}
	}
	if resp, _ := ts.do(t, "GET", "/feed.rss?limit=99999999999999999999999", ""); resp.StatusCode != 200 {
		t.Errorf("a limit too large for an int: %d, want 200 (served as the maximum)", resp.StatusCode)
	}
	if resp, _ := ts.do(t, "HEAD", "/healthz", ""); resp.StatusCode != 200 {
		t.Errorf("HEAD /healthz: %d", resp.StatusCode)
	}
}

// TestControlCharactersNeverBreakTheXML writes content full of characters
// XML 1.0 forbids through the API and checks every XML feed stays
// well-formed (the store cleans on write; the renderers trust it).
func TestControlCharactersNeverBreakTheXML(t *testing.T) {
	ts := newTestServer(t, nil)
	body := `{"id":"ctl","title":"bad\u000b title","content_html":"<p>nul\u0000 vt\u000b fffe\ufffe ]]> end</p>","summary":"s\u0001"}`
	if r, b := ts.do(t, "POST", "/api/v1/articles", body, bearer...); r.StatusCode != 201 {
		t.Fatalf("create: %d %s", r.StatusCode, b)
	}
	for _, ext := range []string{"rss", "atom"} {
		_, feed := ts.do(t, "GET", "/feed."+ext, "")
		dec := xml.NewDecoder(bytes.NewReader(feed))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("/feed.%s is not well-formed XML: %v", ext, err)
			}
		}
		parsed, err := gofeed.NewParser().Parse(bytes.NewReader(feed))
		if err != nil || len(parsed.Items) != 1 || !strings.Contains(parsed.Items[0].Content, "]]&gt; end") {
			t.Errorf("/feed.%s: content after parsing: %v %+v", ext, err, parsed)
		}
	}
}
