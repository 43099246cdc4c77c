package handlers_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/handlers"
	"github.com/feedrelay/feedrelay/ingest"
	"github.com/feedrelay/feedrelay/relay"
	"github.com/feedrelay/feedrelay/safehttp"
	"github.com/feedrelay/feedrelay/sanitize"
	"github.com/feedrelay/feedrelay/storage/storagetest"
)

// newServiceServer is newTestServer with the real sources and relay
// services wired the way main wires them (loopback upstreams allowed).
func newServiceServer(t *testing.T, edit func(*handlers.Config)) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	store := storagetest.Open(t)
	policy := sanitize.New()
	client := safehttp.New(safehttp.Options{AllowPrivate: true, Timeout: 5 * time.Second, UserAgent: "feedrelay-test"})
	cfg := handlers.Config{BaseURL: base, SiteTitle: "Test Site", AdminToken: testToken, Version: "test",
		Sources: &ingest.Service{Store: store, Poller: ingest.NewPoller(store, client, policy, ingest.Options{})},
		Relays:  &relay.Service{Store: store, Client: client, Formatters: relay.Formatters(), BaseURL: base}}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := handlers.New(context.Background(), cfg, store, policy)
	if err != nil {
		t.Fatal(err)
	}
	httpSrv := srv.NewHTTPServer(handlers.HTTPServerOptions{ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, MaxHeaderBytes: 16 << 10})
	done := make(chan error, 1)
	go func() { done <- httpSrv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := httpSrv.ShutdownWithContext(ctx); err != nil {
			t.Errorf("shut down test server: %v", err)
		}
		<-done
	})
	return &testServer{URL: base, srv: srv, store: store}
}

const upstreamRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Upstream &amp; Co</title><link>https://upstream.example.com/</link>
<item><title>First</title><link>https://upstream.example.com/1</link><guid>https://upstream.example.com/1</guid>
<pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><description>one</description></item>
<item><title>Second</title><link>https://upstream.example.com/2</link><guid>https://upstream.example.com/2</guid>
<pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate><description>two</description></item>
</channel></rss>`

// newUpstream serves /feed.xml (with an ETag), /page (HTML) and 404s.
func newUpstream(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, upstreamRSS)
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>")
	})
	up := httptest.NewServer(mux)
	t.Cleanup(up.Close)
	return up, &hits
}

func TestSourcesAPIAuth(t *testing.T) {
	ts := newServiceServer(t, nil)
	for _, r := range [][2]string{{"GET", "/api/v1/sources"}, {"POST", "/api/v1/sources"}, {"GET", "/api/v1/sources/1"},
		{"PUT", "/api/v1/sources/1"}, {"DELETE", "/api/v1/sources/1"}, {"POST", "/api/v1/sources/1/fetch"},
		{"GET", "/sources.opml"}, {"GET", "/api/v1/relays"}, {"POST", "/api/v1/relays/1/test"}} {
		resp, b := ts.do(t, r[0], r[1], `{}`, "Authorization", "Bearer wrong")
		if resp.StatusCode != 401 {
			t.Errorf("%s %s without the token: %d %s", r[0], r[1], resp.StatusCode, b)
		}
	}
	off := newTestServer(t, nil) // no services configured
	for _, p := range []string{"/api/v1/sources", "/api/v1/relays"} {
		resp, b := off.do(t, "GET", p, "", bearer...)
		if resp.StatusCode != 404 || !strings.Contains(string(b), "not configured on this server") {
			t.Errorf("GET %s without the service: %d %s", p, resp.StatusCode, b)
		}
	}
}

func TestSourcesAPICycle(t *testing.T) {
	ts := newServiceServer(t, nil)
	up, hits := newUpstream(t)
	body := fmt.Sprintf(`{"url":%q,"categories":["News",["Tech","Go"]],"every":"15m","include":["First","Second"]}`, up.URL+"/feed.xml")
	resp, b := ts.do(t, "POST", "/api/v1/sources", body, bearer...)
	if resp.StatusCode != 201 {
		t.Fatalf("add: %d %s", resp.StatusCode, b)
	}
	var added struct {
		Source map[string]any
		Poll   struct {
			Status  int
			Created []struct{ ID, Title, URL string }
			Error   string
		}
	}
	if err := json.Unmarshal(b, &added); err != nil {
		t.Fatal(err)
	}
	src := added.Source
	if src["feed_title"] != "Upstream & Co" || src["display_title"] != "Upstream & Co" || src["every"] != "15m0s" ||
		src["every_seconds"] != 900.0 || src["enabled"] != true || fmt.Sprint(src["categories"]) != "[[News] [Tech Go]]" {
		t.Errorf("added source: %s", b)
	}
	if added.Poll.Status != 200 || len(added.Poll.Created) != 2 || added.Poll.Error != "" || added.Poll.Created[0].URL == "" {
		t.Errorf("first poll: %s", b)
	}
	state := src["state"].(map[string]any)
	if state["has_etag"] != true || state["last_success"] == nil || state["item_count"] != 2.0 || state["failures"] != 0.0 {
		t.Errorf("state after the first poll: %v", state)
	}
	id := int(src["id"].(float64))
	if !strings.HasSuffix(resp.Header.Get("Location"), fmt.Sprintf("/api/v1/sources/%d", id)) {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	// The polled items are in the feeds and the cursor API at once.
	if _, b := ts.do(t, "GET", "/categories/Tech/Go/feed.json", ""); !strings.Contains(string(b), "Second") {
		t.Errorf("category feed lacks the polled items: %s", b)
	}

	_, b = ts.do(t, "GET", "/api/v1/sources", "", bearer...)
	var list struct{ Sources []map[string]any }
	if err := json.Unmarshal(b, &list); err != nil || len(list.Sources) != 1 || list.Sources[0]["url"] != up.URL+"/feed.xml" {
		t.Errorf("list: %v %s", err, b)
	}
	path := fmt.Sprintf("/api/v1/sources/%d", id)
	resp, b = ts.do(t, "PUT", path, fmt.Sprintf(`{"url":%q,"title":"Mine","every":3600,"enabled":false}`, up.URL+"/feed.xml"), bearer...)
	if m := decodeJSON(t, b); resp.StatusCode != 200 || m["title"] != "Mine" || m["display_title"] != "Mine" ||
		m["every"] != "1h0m0s" || m["enabled"] != false || len(m["categories"].([]any)) != 0 || len(m["include"].([]any)) != 0 {
		t.Errorf("update: %d %s", resp.StatusCode, b)
	}
	if resp, b := ts.do(t, "GET", path, "", bearer...); resp.StatusCode != 200 || decodeJSON(t, b)["title"] != "Mine" {
		t.Errorf("get after update: %d %s", resp.StatusCode, b)
	}

	before := hits.Load()
	resp, b = ts.do(t, "POST", path+"/fetch", "", bearer...)
	if m := decodeJSON(t, b); resp.StatusCode != 200 || m["not_modified"] != true || m["status"] != 304.0 || hits.Load() != before+1 {
		t.Errorf("fetch: %d %s", resp.StatusCode, b)
	}

	if resp, b := ts.do(t, "DELETE", path+"?purge=true", "", bearer...); resp.StatusCode != 204 || resp.Header.Get("X-Purged-Articles") != "2" {
		t.Errorf("delete: %d %s %v", resp.StatusCode, b, resp.Header)
	}
	if n, _ := ts.store.CountArticles(t.Context()); n != 0 {
		t.Errorf("%d articles left after purge", n)
	}
	for _, r := range [][2]string{{"GET", path}, {"DELETE", path}, {"POST", path + "/fetch"}} {
		if resp, b := ts.do(t, r[0], r[1], "", bearer...); resp.StatusCode != 404 || !strings.Contains(string(b), "no source with id") {
			t.Errorf("%s %s after delete: %d %s", r[0], r[1], resp.StatusCode, b)
		}
	}
}

func TestSourcesAPIBadInput(t *testing.T) {
	ts := newServiceServer(t, nil)
	up, _ := newUpstream(t)
	feed := up.URL + "/feed.xml"
	for _, c := range []struct {
		name, body string
		want       int
		field, msg string
	}{
		{"ftp URL", `{"url":"ftp://example.com/feed"}`, 400, "url", "only http and https"},
		{"no URL", `{}`, 400, "url", "required"},
		{"interval below 1m", `{"url":"` + feed + `","every":"30s"}`, 400, "every", "minimum"},
		{"interval not a duration", `{"url":"` + feed + `","every":"often"}`, 400, "every", "duration"},
		{"interval of wrong type", `{"url":"` + feed + `","every":true}`, 400, "every", ""},
		{"unknown field", `{"url":"` + feed + `","evry":"1h"}`, 400, "evry", "unknown field"},
		{"bad rule", `{"url":"` + feed + `","exclude":["/(/"]}`, 400, "exclude", ""},
		{"bad category", `{"url":"` + feed + `","categories":[3]}`, 400, "categories", ""},
		{"HTML page", `{"url":"` + up.URL + `/page"}`, 400, "url", "HTML"},
		{"404", `{"url":"` + up.URL + `/missing"}`, 400, "url", "404"},
		{"enabled not a bool", `{"url":"` + feed + `","enabled":"yes"}`, 400, "enabled", ""},
	} {
		resp, b := ts.do(t, "POST", "/api/v1/sources", c.body, bearer...)
		m := decodeJSON(t, b)
		if resp.StatusCode != c.want || m["field"] != c.field || !strings.Contains(fmt.Sprint(m["error"]), c.msg) {
			t.Errorf("%s: %d %s, want %d naming %q", c.name, resp.StatusCode, b, c.want, c.field)
		}
	}
	if _, b := ts.do(t, "GET", "/api/v1/sources", "", bearer...); !strings.Contains(string(b), `"sources":[]`) {
		t.Errorf("bad input stored sources: %s", b)
	}
	if resp, b := ts.do(t, "POST", "/api/v1/sources", `{"url":"`+feed+`"}`, bearer...); resp.StatusCode != 201 {
		t.Fatalf("add: %d %s", resp.StatusCode, b)
	}
	if resp, b := ts.do(t, "POST", "/api/v1/sources", `{"url":"`+feed+`"}`, bearer...); resp.StatusCode != 409 {
		t.Errorf("duplicate: %d %s", resp.StatusCode, b)
	}
	for _, p := range []string{"/api/v1/sources/abc", "/api/v1/sources/0"} {
		if resp, b := ts.do(t, "GET", p, "", bearer...); resp.StatusCode != 400 || decodeJSON(t, b)["field"] != "id" {
			t.Errorf("GET %s: %d %s", p, resp.StatusCode, b)
		}
	}
	if resp, b := ts.do(t, "DELETE", "/api/v1/sources/1?purge=maybe", "", bearer...); resp.StatusCode != 400 || decodeJSON(t, b)["field"] != "purge" {
		t.Errorf("bad purge: %d %s", resp.StatusCode, b)
	}
}

type opmlTestOutline struct {
	Text     string            `xml:"text,attr"`
	Type     string            `xml:"type,attr"`
	XMLURL   string            `xml:"xmlUrl,attr"`
	HTMLURL  string            `xml:"htmlUrl,attr"`
	Category string            `xml:"category,attr"`
	Children []opmlTestOutline `xml:"outline"`
}

func TestSourcesOPML(t *testing.T) {
	ts := newServiceServer(t, nil)
	up, _ := newUpstream(t)
	for _, body := range []string{
		`{"url":"` + up.URL + `/feed.xml","title":"A <&> \"B\"","categories":[["Tech","Go"],"News"]}`,
		`{"url":"` + up.URL + `/feed.xml?x=1&y=2","categories":["Tech"],"enabled":false}`,
		`{"url":"` + up.URL + `/feed.xml?plain"}`,
	} {
		if resp, b := ts.do(t, "POST", "/api/v1/sources", body, bearer...); resp.StatusCode != 201 {
			t.Fatalf("add: %d %s", resp.StatusCode, b)
		}
	}
	resp, b := ts.do(t, "GET", "/sources.opml", "", bearer...)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/x-opml; charset=utf-8" {
		t.Fatalf("GET /sources.opml: %d %v %s", resp.StatusCode, resp.Header, b)
	}
	var doc struct {
		Version     string            `xml:"version,attr"`
		Title       string            `xml:"head>title"`
		DateCreated string            `xml:"head>dateCreated"`
		Body        []opmlTestOutline `xml:"body>outline"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("parse OPML: %v\n%s", err, b)
	}
	if _, err := time.Parse(time.RFC1123, doc.DateCreated); doc.Version != "2.0" || doc.Title == "" || err != nil {
		t.Errorf("head: %+v %v", doc, err)
	}
	feeds := map[string]opmlTestOutline{}
	var walk func(prefix string, list []opmlTestOutline)
	walk = func(prefix string, list []opmlTestOutline) {
		for _, o := range list {
			if o.Type == "rss" {
				feeds[prefix+o.XMLURL] = o
			}
			walk(prefix+o.Text+"/", o.Children)
		}
	}
	walk("", doc.Body)
	first, ok := feeds["Tech/Go/"+up.URL+"/feed.xml"]
	if !ok || first.Text != `A <&> "B"` || first.Category != "/Tech/Go,/News" || first.HTMLURL != "https://upstream.example.com/" {
		t.Errorf("first source (in Tech/Go): %+v\nall: %v\n%s", first, feeds, b)
	}
	if o, ok := feeds["Tech/"+up.URL+"/feed.xml?x=1&y=2"]; !ok || o.Category != "/Tech" {
		t.Errorf("second source (in Tech): %+v %v", o, feeds)
	}
	if o, ok := feeds[up.URL+"/feed.xml?plain"]; !ok || o.Category != "" {
		t.Errorf("third source (top level): %+v %v", o, feeds)
	}
	if len(feeds) != 3 {
		t.Errorf("%d sources in the OPML, want 3", len(feeds))
	}
	if resp, _ := ts.do(t, "HEAD", "/sources.opml", "", bearer...); resp.StatusCode != 200 {
		t.Errorf("HEAD: %d", resp.StatusCode)
	}
}
