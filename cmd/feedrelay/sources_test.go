package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/ingest"
	"github.com/feedrelay/feedrelay/storage"
)

// upstream is a real feed server on 127.0.0.1: /feed.xml (RSS with an
// ETag, items counts how many it lists), /a.xml and /b.xml (small feeds),
// /page.html, /missing (404) and /slow (answers after 5 s or on cancel).
type upstream struct {
	*httptest.Server
	items atomic.Int32
	hits  atomic.Int32
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{}
	u.items.Store(3)
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		u.hits.Add(1)
		n := int(u.items.Load())
		etag := fmt.Sprintf(`"v%d"`, n)
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rss("Go 周报", n))
	})
	for _, name := range []string{"a", "b"} {
		mux.HandleFunc("/"+name+".xml", func(w http.ResponseWriter, r *http.Request) {
			u.hits.Add(1)
			fmt.Fprint(w, rss("Feed "+name, 1))
		})
	}
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Home</title></head><body>hi</body></html>")
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	u.Server = httptest.NewServer(mux) // 404 for anything else
	t.Cleanup(u.Close)
	return u
}

func rss(title string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>https://example.com/</link>`, title)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<item><title>%s 第%d期</title><link>https://example.com/%s/%d</link><guid>%s-%d</guid>
			<pubDate>Tue, 04 Mar 2025 0%d:00:00 GMT</pubDate><description>第%d期内容</description></item>`, title, i, title, i, title, i, i%10, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

func listSources(t *testing.T, db string) []sourceView {
	t.Helper()
	code, out, errs := runCmd(t, t.Context(), "sources", "list", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("sources list --json: %d %s", code, errs)
	}
	var list []sourceView
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	return list
}

func TestSourcesAddStoresItemsAndListShowsState(t *testing.T) {
	up := newUpstream(t)
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errs := runCmd(t, t.Context(), "sources", "add", up.URL+"/feed.xml", "--db", db, "--allow-private-upstreams",
		"--category", "技术 > Go", "--category", "新闻", "--every", "15m")
	if code != 0 {
		t.Fatalf("add: %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"added source 1: Go 周报", "categories: 技术 > Go, 新闻", "every:      15m", "first poll: 3 new, 0 updated"} {
		if !strings.Contains(out, want) {
			t.Errorf("add output lacks %q:\n%s", want, out)
		}
	}
	list := listSources(t, db)
	if len(list) != 1 {
		t.Fatalf("%d sources", len(list))
	}
	s := list[0]
	if s.Items != 3 || s.Failures != 0 || s.LastSuccess.IsZero() || !s.Enabled || s.EverySeconds != 900 ||
		fmt.Sprint(s.Categories) != "[[技术 Go] [新闻]]" {
		t.Errorf("stored source %+v", s)
	}
	store, err := storage.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := store.CountArticles(t.Context())
	store.Close()
	if n != 3 {
		t.Errorf("%d articles stored, want 3", n)
	}
	code, out, _ = runCmd(t, t.Context(), "sources", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "LAST SUCCESS") || !strings.Contains(out, "技术 > Go, 新闻") ||
		!strings.Contains(out, "enabled") || !regexp.MustCompile(`in 1[45]m \(`).MatchString(out) {
		t.Errorf("list table: %d\n%s", code, out)
	}
	// The same URL again is refused as a duplicate.
	code, _, errs = runCmd(t, t.Context(), "sources", "add", up.URL+"/feed.xml", "--db", db, "--allow-private-upstreams")
	if code != 1 || !strings.Contains(errs, "already") {
		t.Errorf("duplicate add: %d %s", code, errs)
	}
}

func TestSourcesAddRefusesWhatIsNotAFeed(t *testing.T) {
	up := newUpstream(t)
	db := filepath.Join(t.TempDir(), "f.db")
	for _, c := range []struct {
		path  string
		flags []string
		want  []string
	}{
		{"/page.html", []string{"--allow-private-upstreams"}, []string{"feedrelay sources add:", "/page.html", "not a feed", "HTML page"}},
		{"/missing", []string{"--allow-private-upstreams"}, []string{"HTTP 404", "no feed at this URL"}},
		{"/slow", []string{"--allow-private-upstreams", "--fetch-timeout", "200ms"}, []string{"timed out", "--fetch-timeout"}},
		{"/feed.xml", nil, []string{"refusing to connect", "loopback", "--allow-private-upstreams"}},
	} {
		start := time.Now()
		args := append([]string{"sources", "add", up.URL + c.path, "--db", db, "--category", "新闻"}, c.flags...)
		code, out, errs := runCmd(t, t.Context(), args...)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1\n%s%s", c.path, code, out, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", c.path, w, errs)
			}
		}
		if d := time.Since(start); d > 4*time.Second {
			t.Errorf("%s took %s", c.path, d)
		}
	}
	if list := listSources(t, db); len(list) != 0 {
		t.Errorf("refused URLs were saved: %+v", list)
	}
	if code, _, _ := runCmd(t, t.Context(), "sources", "add", "--db", db); code != 2 {
		t.Errorf("add without URL: exit %d, want 2", code)
	}
	if code, _, errs := runCmd(t, t.Context(), "sources", "add", up.URL+"/feed.xml", "--db", db, "--every", "10s"); code != 2 || !strings.Contains(errs, "below the minimum of 1m") {
		t.Errorf("add --every 10s: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, t.Context(), "sources", "add", "--help"); code != 0 || !strings.Contains(errs, "FEEDRELAY_CATEGORY") || !strings.Contains(errs, "Examples:") {
		t.Errorf("add --help: %d\n%s", code, errs)
	}
	if code, _, _ := runCmd(t, t.Context(), "sources", "frobnicate"); code != 2 {
		t.Errorf("unknown subcommand: exit %d, want 2", code)
	}
}

func TestSourcesFetchShowsNotModifiedThenNewItems(t *testing.T) {
	up := newUpstream(t)
	db := filepath.Join(t.TempDir(), "f.db")
	if code, out, errs := runCmd(t, t.Context(), "sources", "add", up.URL+"/feed.xml", "--db", db, "--allow-private-upstreams"); code != 0 {
		t.Fatalf("add: %d %s %s", code, out, errs)
	}
	code, out, errs := runCmd(t, t.Context(), "sources", "fetch", "--db", db, "--allow-private-upstreams")
	if code != 0 || !strings.Contains(out, "source 1 Go 周报: HTTP 304, not modified") {
		t.Errorf("second poll: %d\n%s%s", code, out, errs)
	}
	up.items.Store(5)
	code, out, errs = runCmd(t, t.Context(), "sources", "fetch", "1", "--db", db, "--allow-private-upstreams")
	if code != 0 || !strings.Contains(out, "2 new, 0 updated, 3 unchanged, 0 filtered") ||
		!strings.Contains(out, "+ Go 周报 第4期") || !strings.Contains(out, "+ Go 周报 第5期") {
		t.Errorf("poll after new items: %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCmd(t, t.Context(), "sources", "fetch", "99", "--db", db); code != 1 || !strings.Contains(errs, "no source with ID 99") {
		t.Errorf("fetch of an unknown ID: %d %s", code, errs)
	}
}

func TestSourcesImportExportAndRemove(t *testing.T) {
	up := newUpstream(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	if code, _, errs := runCmd(t, t.Context(), "sources", "add", up.URL+"/feed.xml", "--db", db, "--allow-private-upstreams"); code != 0 {
		t.Fatalf("add: %s", errs)
	}
	opml := filepath.Join(dir, "subs.opml")
	os.WriteFile(opml, []byte(`<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>订阅</title></head><body>
  <outline text="技术">
    <outline text="A" type="rss" xmlUrl="`+up.URL+`/a.xml"/>
    <outline text="周报" type="rss" xmlUrl="`+up.URL+`/feed.xml"/>
  </outline>
  <outline text="B" type="rss" xmlUrl="`+up.URL+`/b.xml" category="/新闻/国际"/>
  <outline text="Not a feed" type="rss" xmlUrl="`+up.URL+`/page.html"/>
  <outline text="Bad" type="rss" xmlUrl="gopher://example.com/feed"/>
</body></opml>`), 0o644)
	code, out, errs := runCmd(t, t.Context(), "sources", "import", opml, "--db", db, "--allow-private-upstreams", "--category", "订阅")
	if code != 1 || !strings.Contains(out, "added 2, duplicates skipped 1, failed 2") {
		t.Errorf("import: %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{`line 9, outline "Bad"`, "/page.html", "HTML page"} {
		if !strings.Contains(errs, want) {
			t.Errorf("import stderr lacks %q:\n%s", want, errs)
		}
	}
	list := listSources(t, db)
	if len(list) != 3 || fmt.Sprint(list[1].Categories) != "[[技术] [订阅]]" || fmt.Sprint(list[2].Categories) != "[[新闻 国际] [订阅]]" || list[1].Items != 1 {
		t.Errorf("after import: %+v", list)
	}

	code, out, errs = runCmd(t, t.Context(), "sources", "export", "--db", db)
	if code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	back, err := ingest.ParseOPML(strings.NewReader(out))
	if err != nil || len(back) != 3 {
		t.Fatalf("parse export: %v %d\n%s", err, len(back), out)
	}
	for i, s := range back {
		if s.URL != list[i].URL || fmt.Sprint(pathsJSON(s.Categories)) != fmt.Sprint(list[i].Categories) {
			t.Errorf("export %d: %s %v, want %s %v", i, s.URL, s.Categories, list[i].URL, list[i].Categories)
		}
	}

	// --no-check saves without fetching.
	hits := up.hits.Load()
	os.WriteFile(opml, []byte(`<opml version="1.0"><body><outline text="C" xmlUrl="`+up.URL+`/c.xml"/></body></opml>`), 0o644)
	if code, out, errs := runCmd(t, t.Context(), "sources", "import", opml, "--db", db, "--no-check"); code != 0 || !strings.Contains(out, "added 1, duplicates skipped 0, failed 0") {
		t.Errorf("import --no-check: %d %s %s", code, out, errs)
	}
	if up.hits.Load() != hits {
		t.Error("import --no-check fetched")
	}

	code, out, errs = runCmd(t, t.Context(), "sources", "remove", "1", "--purge", "--db", db)
	if code != 0 || !strings.Contains(out, "removed source 1 (Go 周报) and deleted its 3 articles") {
		t.Errorf("remove --purge: %d %s %s", code, out, errs)
	}
	code, out, _ = runCmd(t, t.Context(), "sources", "remove", "2", "--db", db)
	if code != 0 || !strings.Contains(out, "its 1 articles stay") {
		t.Errorf("remove: %d %s", code, out)
	}
	if list := listSources(t, db); len(list) != 2 {
		t.Errorf("%d sources left, want 2", len(list))
	}
	if code, _, errs := runCmd(t, t.Context(), "sources", "remove", "1", "--db", db); code != 1 || !strings.Contains(errs, "no source with ID 1") {
		t.Errorf("remove again: %d %s", code, errs)
	}
}
