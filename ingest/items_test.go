package ingest

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/sanitize"
)

var (
	testPolicy = sanitize.New()
	testNow    = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
)

func testSource() *feedrelay.Source {
	return &feedrelay.Source{ID: 7, URL: testFeedURL.String()}
}

// mapFixture parses and maps a fixture and checks every article it gives.
func mapFixture(t *testing.T, name string, src *feedrelay.Source, m *feedrelay.Matcher) (ParsedFeed, int) {
	t.Helper()
	f, err := ParseFeed(readFixture(t, name), "", testFeedURL)
	if err != nil {
		t.Fatal(err)
	}
	pf, filtered := MapItems(f, src, testFeedURL, testPolicy, m, testNow)
	for _, it := range pf.Items {
		checkArticle(t, src, pf, it)
	}
	return pf, filtered
}

var keyPattern = regexp.MustCompile(`^upstream/7/[0-9a-f]{20}$`)

// checkArticle validates an article and reads its parts back: the key and
// GUID follow from the identity, the HTML is a fixed point of the policy
// and of URL resolution, and every URL is absolute http(s).
func checkArticle(t *testing.T, src *feedrelay.Source, pf ParsedFeed, it Item) {
	t.Helper()
	a := it.Article
	if err := a.Validate(); err != nil {
		t.Errorf("%q: %v", a.Title, err)
	}
	again := a
	if again.Clean(); !reflect.DeepEqual(again, a) {
		t.Errorf("%q: not clean", a.Title)
	}
	if !keyPattern.MatchString(a.Key) || a.Key != ItemKey(src.ID, it.Identity) || a.GUID != feedrelay.GUIDForKey(a.Key) {
		t.Errorf("%q: key %q, guid %q for identity %q", a.Title, a.Key, a.GUID, it.Identity)
	}
	base, _ := url.Parse(a.Link)
	if testPolicy.HTML(a.ContentHTML) != a.ContentHTML || sanitize.ResolveURLs(a.ContentHTML, base) != a.ContentHTML {
		t.Errorf("%q: content is not sanitized and resolved: %q", a.Title, a.ContentHTML)
	}
	for _, s := range []string{a.Link, a.Image, a.Thumbnail, a.Source.URL, a.Source.OriginalLink} {
		if u, err := url.Parse(s); s != "" && (err != nil || !u.IsAbs() || u.Host == "" || !strings.HasPrefix(u.Scheme, "http")) {
			t.Errorf("%q: bad URL %q", a.Title, s)
		}
	}
	want := feedrelay.Attribution{Title: cmp.Or(src.Title, pf.Title), URL: src.URL, OriginalLink: a.Link, OriginalAuthor: a.Author}
	if a.Source != want {
		t.Errorf("%q: source %+v, want %+v", a.Title, a.Source, want)
	}
}

func hashID(basis string) string {
	sum := sha256.Sum256([]byte(basis))
	return "hash:" + hex.EncodeToString(sum[:])
}

type wantItem struct {
	id, title, link, published string // published "" means undated
	author, summary, image     string // checked when set
	has, hasNot                []string
}

func TestMapItemsFixtures(t *testing.T) {
	unsafe := []string{"<script", "alert(", "onerror", "onclick", "javascript:", "evil()"}
	tests := []struct {
		fixture, title, site string
		dups, skipped        int
		items                []wantItem
	}{
		{"rss2.xml", "Example & Co Blog", "https://blog.example.com/", 1, 1, []wantItem{
			{"guid:tag:blog.example.com,2024:1", "Hello World", "https://blog.example.com/posts/hello/", "2024-03-05T09:30:00-05:00",
				"Jane Doe", "A short excerpt of the first post.", "https://blog.example.com/images/cover.jpg",
				[]string{`<a href="https://blog.example.com/p/1" rel="nofollow">post</a>`, `<img src="https://blog.example.com/posts/hello/img/a.png" alt="a"`, "<p>Click me.</p>"}, unsafe},
			{"link:https://blog.example.com/posts/second.html", "No guid here", "https://blog.example.com/posts/second.html", "2024-03-07T08:00:00+08:00",
				"", "Second post, only a description.", "https://blog.example.com/media/second.png", []string{"<p>Second post, <em>only</em> a description.</p>"}, nil},
			{hashID("Neither guid nor link\x00Tues, 32 Foo 2024 25:00:00 GMT"), "Neither guid nor link", "", "", "", "Identity comes from a hash.", "", nil, nil},
			{"link:https://blog.example.com/posts/empty-date/", "Empty date", "https://blog.example.com/posts/empty-date/", "", "", "", "", nil, nil},
			{"guid:https://blog.example.com/posts/2922/", "Far future", "https://blog.example.com/posts/2922/", "", "", "", "", nil, nil},
		}},
		{"rss1.rdf", "Example News (RDF)", "https://news.example.org/", 0, 0, []wantItem{
			{"link:https://news.example.org/a/1", "RDF item one", "https://news.example.org/a/1", "2023-11-20T14:15:00+01:00", "News Desk", "First RDF item.", "", nil, nil},
			{"link:https://news.example.org/a/2", "RDF item two", "https://news.example.org/a/2", "2023-11-21T09:00:00Z", "", "Second RDF item.", "", nil, nil},
		}},
		{"rss091.xml", "Old School 0.91", "http://old.example.net/", 0, 0, []wantItem{
			{"link:http://old.example.net/cafe.html", "Café opening", "http://old.example.net/cafe.html", "", "", "The café opens on Monday.", "", []string{"The café opens on Monday."}, nil},
			{"link:http://old.example.net/second.html", "Second 0.91 item", "http://old.example.net/second.html", "", "", "", "", nil, nil},
		}},
		{"atom.xml", "Atom Example", "https://atom.example.com/", 0, 0, []wantItem{
			{"guid:urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", "Atom entry one", "https://atom.example.com/2024/05/one", "2024-05-01T08:00:00-07:00",
				"Alice, Bob", "Entry one in short.", "https://atom.example.com/2024/05/pic.jpg",
				[]string{`<a href="https://atom.example.com/2024/about" rel="nofollow">about</a>`, `<img src="https://atom.example.com/2024/05/pic.jpg"`}, unsafe},
			{"guid:tag:atom.example.com,2024:two", "Only updated", "https://atom.example.com/2024/05/two", "2024-05-02T10:00:00+02:00",
				"Feed Author", "XHTML content.", "", []string{"<p>XHTML <strong>content</strong>.</p>"}, nil},
		}},
		{"feed.json", "JSON Example", "https://json.example.com/", 0, 0, []wantItem{
			{"guid:1", "JSON item with HTML", "https://json.example.com/posts/1", "2024-02-10T12:00:00+09:00",
				"Jason", "A summary in plain text.", "https://json.example.com/i/cover.png", []string{`<p>Hello <b>JSON</b> <img src="https://json.example.com/i/1.png"`}, nil},
			{"guid:2", "Plain text with <tags> & ampersands. Second paragraph with a break.", "https://json.example.com/posts/2", "2024-02-09T08:00:00Z",
				"Jason", "", "https://json.example.com/posts/banner.png",
				[]string{"<p>Plain text with &lt;tags&gt; &amp; ampersands.</p><p>Second paragraph<br>with a break.</p>"}, nil},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			pf, filtered := mapFixture(t, tt.fixture, testSource(), nil)
			if pf.Title != tt.title || pf.SiteURL != tt.site || pf.Duplicates != tt.dups || pf.Skipped != tt.skipped || filtered != 0 || len(pf.Items) != len(tt.items) {
				t.Fatalf("feed %q %q, dups %d, skipped %d %q, filtered %d, %d items", pf.Title, pf.SiteURL, pf.Duplicates, pf.Skipped, pf.Problems, filtered, len(pf.Items))
			}
			if pf.Total != len(tt.items)+tt.dups+tt.skipped {
				t.Errorf("total %d", pf.Total)
			}
			for i, w := range tt.items {
				it, a := pf.Items[i], pf.Items[i].Article
				pub := ""
				if it.Dated {
					pub = a.Published.Format(time.RFC3339)
				} else if !a.Published.Equal(testNow) {
					t.Errorf("%q: undated item published %s", a.Title, a.Published)
				}
				if it.Identity != w.id || a.Title != w.title || a.Link != w.link || pub != w.published {
					t.Errorf("item %d: got %q %q %q %q\nwant %q %q %q %q", i, it.Identity, a.Title, a.Link, pub, w.id, w.title, w.link, w.published)
				}
				for _, c := range [][2]string{{a.Author, w.author}, {a.Summary, w.summary}, {a.Image, w.image}} {
					if c[1] != "" && c[0] != c[1] {
						t.Errorf("item %d: got %q, want %q", i, c[0], c[1])
					}
				}
				for _, s := range w.has {
					if !strings.Contains(a.ContentHTML, s) {
						t.Errorf("item %d: content lacks %q: %s", i, s, a.ContentHTML)
					}
				}
				for _, s := range w.hasNot {
					if strings.Contains(a.ContentHTML, s) {
						t.Errorf("item %d: content has %q: %s", i, s, a.ContentHTML)
					}
				}
			}
		})
	}
}

func TestMapItemsIdentityStable(t *testing.T) {
	first, _ := mapFixture(t, "rss2.xml", testSource(), nil)
	again, _ := mapFixture(t, "rss2.xml", testSource(), nil)
	if !reflect.DeepEqual(first, again) {
		t.Fatal("two parses of one body differ")
	}
	if first.Problems[0] != `item 7 "": no title, text or link` || first.Items[0].Article.Thumbnail != "https://cdn.example.com/thumb.jpg" {
		t.Errorf("problems %q, thumbnail %q", first.Problems, first.Items[0].Article.Thumbnail)
	}
	other := testSource()
	other.ID = 8
	if k7, k8 := ItemKey(7, first.Items[2].Identity), ItemKey(8, first.Items[2].Identity); k7 == k8 || !strings.HasPrefix(k8, "upstream/8/") {
		t.Errorf("keys of two sources: %q %q", k7, k8)
	}
}

func TestMapItemsRules(t *testing.T) {
	tests := []struct {
		include, exclude []string
		want             []string
	}{
		{nil, nil, []string{"Hello World", "No guid here", "Neither guid nor link", "Empty date", "Far future"}},
		{[]string{"WORLD"}, nil, []string{"Hello World"}},
		{[]string{`/^(no|neither)\b/i`}, nil, []string{"No guid here", "Neither guid nor link"}},
		{nil, []string{"date"}, []string{"Hello World", "No guid here", "Neither guid nor link", "Far future"}},
		{[]string{"/HASH/"}, nil, nil},
		{[]string{"/hash/i", "typo"}, []string{"far"}, []string{"Neither guid nor link"}},
		{[]string{"click me"}, nil, []string{"Hello World"}}, // matches the content's text
	}
	for _, tt := range tests {
		m, err := feedrelay.Rules{Include: tt.include, Exclude: tt.exclude}.Compile("rules")
		if err != nil {
			t.Fatal(err)
		}
		pf, filtered := mapFixture(t, "rss2.xml", testSource(), m)
		var got []string
		for _, it := range pf.Items {
			got = append(got, it.Article.Title)
		}
		if !slices.Equal(got, tt.want) || filtered != 5-len(tt.want) {
			t.Errorf("include %q exclude %q: got %q, filtered %d", tt.include, tt.exclude, got, filtered)
		}
	}
}

func TestMapItemsCategories(t *testing.T) {
	media := feedrelay.CategoryPath{"新媒体", "科技"}
	tests := []struct {
		cats     []feedrelay.CategoryPath
		itemCats bool
		want     []feedrelay.CategoryPath
	}{
		{nil, false, nil},
		{nil, true, []feedrelay.CategoryPath{{"Go"}, {"Web Dev"}}},
		{[]feedrelay.CategoryPath{media}, false, []feedrelay.CategoryPath{media}},
		{[]feedrelay.CategoryPath{media, {"Other"}}, true, []feedrelay.CategoryPath{media, {"Other"}, {"新媒体", "科技", "Go"}, {"新媒体", "科技", "Web Dev"}}},
	}
	for _, tt := range tests {
		src := testSource()
		src.Categories, src.ItemCategories = tt.cats, tt.itemCats
		pf, _ := mapFixture(t, "rss2.xml", src, nil)
		if got := pf.Items[0].Article.Categories; !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v %v: got %q, want %q", tt.cats, tt.itemCats, got, tt.want)
		}
	}
	names := []string{"Go", "", "  ", strings.Repeat("x", 201), "a\x01b", "Go", " Go "}
	for i := range 30 {
		names = append(names, fmt.Sprint("c", i))
	}
	got := categories(&feedrelay.Source{ItemCategories: true, Categories: []feedrelay.CategoryPath{media}}, names)
	if len(got) != feedrelay.MaxCategories || !reflect.DeepEqual(got[:3], []feedrelay.CategoryPath{media, {"新媒体", "科技", "Go"}, {"新媒体", "科技", "c0"}}) {
		t.Errorf("got %q", got)
	}
}

func TestMapItemsTitlesAndLimits(t *testing.T) {
	long := strings.Repeat("word ", 300)
	body := fmt.Sprintf(`<rss version="2.0"><channel><title>t</title>
<item><title>%s</title><link>/a</link></item>
<item><description>&lt;p&gt;Only a &lt;b&gt;description&lt;/b&gt; here.&lt;/p&gt;</description></item>
<item><link>https://blog.example.com/just-a-link</link></item>
<item><link>javascript:alert(1)</link><title>Bad link</title></item>
</channel></rss>`, long)
	f, err := ParseFeed([]byte(body), "", testFeedURL)
	if err != nil {
		t.Fatal(err)
	}
	pf, _ := MapItems(f, testSource(), testFeedURL, testPolicy, nil, testNow)
	if len(pf.Items) != 4 {
		t.Fatalf("%d items: %q", len(pf.Items), pf.Problems)
	}
	if title := pf.Items[0].Article.Title; utf8.RuneCountInString(title) > feedrelay.MaxTitleLen || !strings.HasSuffix(title, "word…") {
		t.Errorf("long title: %d runes, %q", utf8.RuneCountInString(title), title[len(title)-20:])
	}
	for i, want := range []string{"Only a description here.", "https://blog.example.com/just-a-link", "Bad link"} {
		if a := pf.Items[i+1].Article; a.Title != want {
			t.Errorf("item %d: title %q, want %q", i+1, a.Title, want)
		}
	}
	if a := pf.Items[3].Article; a.Link != "" || !strings.HasPrefix(pf.Items[3].Identity, "hash:") {
		t.Errorf("javascript: link kept: %q %q", a.Link, pf.Items[3].Identity)
	}

	many := make([]string, MaxItems+5)
	f, err = ParseFeed(dateFeed(many...), "", testFeedURL)
	if err != nil {
		t.Fatal(err)
	}
	pf, _ = MapItems(f, testSource(), testFeedURL, testPolicy, nil, testNow)
	if len(pf.Items) != MaxItems || pf.Skipped != 5 || pf.Total != MaxItems+5 || pf.Problems[0] != "5 items past the first 1000 ignored" {
		t.Errorf("%d items, skipped %d, problems %q", len(pf.Items), pf.Skipped, pf.Problems)
	}
}
