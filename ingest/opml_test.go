package ingest

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
)

func parseOPMLFile(t *testing.T, name string) ([]feedrelay.Source, error) {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ParseOPML(f)
}

// summary is "title|url|cat1;cat2" per source, cats written "A > B".
func summary(list []feedrelay.Source) []string {
	var out []string
	for _, s := range list {
		var cats []string
		for _, c := range s.Categories {
			cats = append(cats, c.String())
		}
		out = append(out, s.Title+"|"+s.URL+"|"+strings.Join(cats, ";"))
	}
	return out
}

func TestParseOPMLFoldersCategoriesDuplicatesAndBadURL(t *testing.T) {
	list, err := parseOPMLFile(t, "subscriptions.opml")
	var oe *OPMLError
	if !errors.As(err, &oe) || len(oe.Problems) != 1 {
		t.Fatalf("want one skipped outline, got %v", err)
	}
	p := oe.Problems[0]
	if p.Line != 27 || p.Text != "Broken FTP mirror" || !strings.Contains(p.Reason, "only http and https") {
		t.Errorf("problem %+v", p)
	}
	if !strings.Contains(err.Error(), `line 27, outline "Broken FTP mirror"`) {
		t.Errorf("error text %q", err)
	}
	want := []string{
		"The Go Blog|https://go.dev/blog/feed.atom|技术 > Go;新闻",
		"Go Weekly|https://golangweekly.com/rss/|技术 > Go;Newsletters",
		"阮一峰的网络日志|https://www.ruanyifeng.com/blog/atom.xml|技术",
		"少数派 - 高效工作，品质生活|https://sspai.com/feed|新闻",
		"Hacker News|https://news.ycombinator.com/rss|Tech > Aggregators",
	}
	if got := summary(list); !reflect.DeepEqual(got, want) {
		t.Errorf("sources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range list {
		if !s.Enabled || s.Interval != 0 {
			t.Errorf("%s: enabled %v interval %s, want enabled with the default", s.URL, s.Enabled, s.Interval)
		}
		if err := s.Validate(); err != nil {
			t.Errorf("%s does not validate: %v", s.URL, err)
		}
	}
	if list[0].State.SiteURL != "https://go.dev/blog/" {
		t.Errorf("htmlUrl not kept: %q", list[0].State.SiteURL)
	}
}

func TestParseOPMLFromOldReaders(t *testing.T) {
	list, err := parseOPMLFile(t, "google-reader.opml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Planet Debian|http://planet.debian.org/rss20.xml|",
		"LWN.net|http://lwn.net/headlines/newrss|linux",
		"Kernel Planet|http://planet.kernel.org/rss20.xml|linux", // xmlURL, as some readers spelled it
	}
	if got := summary(list); !reflect.DeepEqual(got, want) {
		t.Errorf("Google Reader OPML 1.0:\n%s", strings.Join(got, "\n"))
	}
	list, err = parseOPMLFile(t, "zhuaxia-gb2312.opml")
	if err != nil {
		t.Fatal(err)
	}
	want = []string{
		"月光博客|http://www.williamlong.info/rss.xml|博客",
		"新浪科技 & 数码|http://rss.sina.com.cn/tech/rollnews.xml|博客",
	}
	if got := summary(list); !reflect.DeepEqual(got, want) {
		t.Errorf("GB2312 OPML 1.0:\n%s", strings.Join(got, "\n"))
	}
}

func TestParseOPMLRefusesOtherDocumentsAndOversizedInput(t *testing.T) {
	if _, err := parseOPMLFile(t, "rss2.xml"); err == nil || !strings.Contains(err.Error(), "root element is <rss>") {
		t.Errorf("an RSS feed as OPML: %v", err)
	}
	if _, err := ParseOPML(strings.NewReader("")); err == nil {
		t.Error("empty input accepted")
	}
	if _, err := ParseOPML(strings.NewReader(`<opml><body><outline text="a"`)); err == nil || !strings.Contains(err.Error(), "not well-formed") {
		t.Errorf("truncated input: %v", err)
	}
	var b strings.Builder
	b.WriteString(`<opml version="2.0"><body>`)
	for range MaxOPMLOutlines + 1 {
		b.WriteString(`<outline text="x"/>`)
	}
	b.WriteString(`</body></opml>`)
	if _, err := ParseOPML(strings.NewReader(b.String())); err == nil || !strings.Contains(err.Error(), "more than 10000 outlines") {
		t.Errorf("too many outlines: %v", err)
	}
	big := `<opml version="2.0"><!--` + strings.Repeat("x", MaxOPMLBytes) + `--></opml>`
	if _, err := ParseOPML(strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than 10 MiB") {
		t.Errorf("oversized input: %v", err)
	}
}

func TestWriteOPMLRoundTrip(t *testing.T) {
	in := []feedrelay.Source{
		{ID: 1, URL: "https://go.dev/blog/feed.atom", Title: "The Go Blog", State: feedrelay.SourceState{SiteURL: "https://go.dev/blog/"},
			Categories: []feedrelay.CategoryPath{{"技术", "Go"}, {"新闻"}}},
		{ID: 2, URL: "https://example.com/a.xml?x=1&y=2", State: feedrelay.SourceState{FeedTitle: "A <&> \"B\""},
			Categories: []feedrelay.CategoryPath{{"技术", "Go"}}},
		{ID: 3, URL: "https://sspai.com/feed", Title: "少数派", Categories: []feedrelay.CategoryPath{{"技术"}}},
		{ID: 4, URL: "https://news.ycombinator.com/rss"},
	}
	var buf bytes.Buffer
	now := time.Date(2025, 3, 4, 16, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if err := WriteOPML(&buf, "feedrelay sources", in, now); err != nil {
		t.Fatal(err)
	}
	doc := buf.String()
	for _, want := range []string{`<opml version="2.0">`, `<dateCreated>Tue, 04 Mar 2025 08:00:00 GMT</dateCreated>`,
		`type="rss"`, `htmlUrl="https://go.dev/blog/"`, `category="/技术/Go,/新闻"`, `xmlUrl="https://example.com/a.xml?x=1&amp;y=2"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("OPML lacks %s:\n%s", want, doc)
		}
	}
	if n := strings.Count(doc, `text="技术"`); n != 1 {
		t.Errorf("folder 技术 written %d times, want once:\n%s", n, doc)
	}
	out, err := ParseOPML(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("%d sources back, want %d", len(out), len(in))
	}
	for i := range in {
		if out[i].URL != in[i].URL || out[i].Title != in[i].DisplayTitle() ||
			!reflect.DeepEqual(out[i].Categories, in[i].Categories) || out[i].State.SiteURL != in[i].State.SiteURL {
			t.Errorf("source %d: got %+v, want %+v", i, out[i], in[i])
		}
	}
}
