package handlers_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/sanitize"
)

// feedparserPython is Debian's python3 with python3-feedparser, which
// .ci/run installs.
const feedparserPython = "/usr/bin/python3"

// TestFeedsParseWithPythonFeedparser checks every feed with a second,
// independent parser: Universal Feed Parser must read them without a
// well-formedness complaint (bozo) and see the same ids, titles, links,
// dates and content as gofeed does.
func TestFeedsParseWithPythonFeedparser(t *testing.T) {
	if err := exec.Command(feedparserPython, "-c", "import feedparser").Run(); err != nil {
		t.Skip("python3-feedparser not installed (apt-get install python3-feedparser); .ci/run installs it")
	}
	ts := newTestServer(t, nil)
	ts.importExamples(t)
	want, err := ts.store.Articles(context.Background(), feedrelay.ArticleQuery{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var files []string
	for _, ext := range []string{"rss", "atom", "json"} {
		resp, body := ts.do(t, "GET", "/feed."+ext, "")
		if resp.StatusCode != 200 {
			t.Fatalf("/feed.%s: %d", ext, resp.StatusCode)
		}
		if ext == "json" {
			continue // feedparser does not read JSON Feed
		}
		f := filepath.Join(dir, "feed."+ext)
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out, err := exec.Command(feedparserPython, append([]string{filepath.Join("testdata", "feedparser_check.py")}, files...)...).Output()
	if err != nil {
		t.Fatalf("feedparser: %v", err)
	}
	var parsed []struct {
		Path, Version, Title string
		Bozo                 bool
		BozoException        string `json:"bozo_exception"`
		Entries              []struct {
			ID, Title, Link, Content string
			Published                []int
			Tags                     []string
		}
	}
	if err := json.Unmarshal(out, &parsed); err != nil {
		t.Fatalf("feedparser output: %v\n%s", err, out)
	}
	for _, p := range parsed {
		if p.Bozo {
			t.Errorf("%s: feedparser reports a malformed feed: %s", filepath.Base(p.Path), p.BozoException)
		}
		if p.Version != "rss20" && p.Version != "atom10" {
			t.Errorf("%s: feedparser sees version %q", filepath.Base(p.Path), p.Version)
		}
		if len(p.Entries) != len(want) {
			t.Fatalf("%s: %d entries, want %d", filepath.Base(p.Path), len(p.Entries), len(want))
		}
		for i, e := range p.Entries {
			w := want[i]
			pub := w.Published.UTC()
			wantPub := []int{pub.Year(), int(pub.Month()), pub.Day(), pub.Hour(), pub.Minute(), pub.Second()}
			// feedparser runs its own HTML sanitizer over content, so the
			// markup differs; the text must arrive whole.
			sameText := sanitize.PlainText(e.Content) == sanitize.PlainText(w.ContentHTML)
			if e.ID != w.GUID || e.Title != w.Title || e.Link != w.URL(ts.URL) || !sameText {
				t.Errorf("%s entry %d: id %q title %q link %q (same text: %v), want %q %q %q",
					filepath.Base(p.Path), i, e.ID, e.Title, e.Link, sameText, w.GUID, w.Title, w.URL(ts.URL))
			}
			if len(e.Published) != 6 || [6]int(e.Published) != [6]int(wantPub) {
				t.Errorf("%s entry %d: published %v, want %v", filepath.Base(p.Path), i, e.Published, wantPub)
			}
			if len(e.Tags) == 0 && len(w.Categories)+len(w.Tags) > 0 {
				t.Errorf("%s entry %d: no categories seen", filepath.Base(p.Path), i)
			}
		}
	}
}
