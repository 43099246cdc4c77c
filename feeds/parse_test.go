package feeds

import (
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// TestParseBack reads each rendered format with gofeed, the parser behind
// several Go readers, and checks that what a reader sees matches the input.
func TestParseBack(t *testing.T) {
	articles := testArticles()
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			m := testMeta(r.self)
			feed, err := gofeed.NewParser().ParseString(string(render(t, r)))
			if err != nil {
				t.Fatalf("gofeed: %v", err)
			}
			if feed.Title != m.Title {
				t.Errorf("feed title %q, want %q", feed.Title, m.Title)
			}
			if feed.Link != m.PageURL {
				t.Errorf("feed link %q, want %q", feed.Link, m.PageURL)
			}
			if feed.FeedLink != m.SelfURL {
				t.Errorf("feed self link %q, want %q", feed.FeedLink, m.SelfURL)
			}
			if feed.Language != "" && feed.Language != m.Language {
				t.Errorf("feed language %q, want %q", feed.Language, m.Language)
			}
			if feed.UpdatedParsed == nil || !feed.UpdatedParsed.Equal(articles[0].Modified()) {
				t.Errorf("feed updated %v, want newest Modified() %v", feed.UpdatedParsed, articles[0].Modified())
			}
			if len(feed.Items) != len(articles) {
				t.Fatalf("%d items, want %d", len(feed.Items), len(articles))
			}
			for i, it := range feed.Items {
				a := articles[i]
				if want := xmlText(a.Title); it.Title != want {
					t.Errorf("item %d title %q, want %q", i, it.Title, want)
				}
				if want := a.URL(m.BaseURL); it.Link != want {
					t.Errorf("item %d link %q, want %q", i, it.Link, want)
				}
				if it.GUID != a.GUID {
					t.Errorf("item %d guid %q, want %q", i, it.GUID, a.GUID)
				}
				if it.PublishedParsed == nil || !it.PublishedParsed.Equal(a.Published) {
					t.Errorf("item %d published %v, want %v", i, it.PublishedParsed, a.Published)
				}
				if r.name != "rss" { // RSS has no item modified date
					if it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(a.Modified()) {
						t.Errorf("item %d updated %v, want %v", i, it.UpdatedParsed, a.Modified())
					}
				}
				if want := xmlText(a.ContentHTML); it.Content != want {
					t.Errorf("item %d content\n got %q\nwant %q", i, it.Content, want)
				}
				summary := it.Description
				if r.name == "rss" {
					summary = unescapeHTMLText(summary)
				}
				if summary != a.Summary {
					t.Errorf("item %d summary %q, want %q", i, summary, a.Summary)
				}
				wantAuthor := a.Author
				if wantAuthor == "" {
					wantAuthor = a.Source.OriginalAuthor
				}
				var gotAuthor string
				if len(it.Authors) > 0 {
					gotAuthor = it.Authors[0].Name
				}
				if r.name == "atom" && gotAuthor == "" && len(feed.Authors) > 0 {
					gotAuthor = feed.Authors[0].Name // inherited (RFC 4287 4.2.1)
					if wantAuthor == "" {
						wantAuthor = m.Title
					}
				}
				if gotAuthor != wantAuthor {
					t.Errorf("item %d author %q, want %q", i, gotAuthor, wantAuthor)
				}
				wantCats := categoryNames(itemCategories(m.BaseURL, &a, categoryURLs{}))
				if strings.Join(it.Categories, "|") != strings.Join(wantCats, "|") {
					t.Errorf("item %d categories %q, want %q", i, it.Categories, wantCats)
				}
				checkImage(t, r.name, i, it, a.Image)
			}
		})
	}
}

func checkImage(t *testing.T, format string, i int, it *gofeed.Item, want string) {
	t.Helper()
	if format != "json" {
		var encl []string
		for _, e := range it.Enclosures {
			encl = append(encl, e.URL+" "+e.Type)
		}
		wantEncl := ""
		if want != "" {
			wantEncl = want + " " + imageType(want)
		}
		if strings.Join(encl, ",") != wantEncl {
			t.Errorf("%s item %d enclosures %q, want %q", format, i, encl, wantEncl)
		}
	}
	if format == "atom" {
		return // gofeed takes Atom item images only from media extensions
	}
	var got string
	if it.Image != nil {
		got = it.Image.URL
	}
	if want != "" && got != want {
		t.Errorf("%s item %d image %q, want %q", format, i, got, want)
	}
}

func unescapeHTMLText(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

func TestUpdatedFallback(t *testing.T) {
	m := testMeta("/feed.json")
	fixed := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	m.Updated = fixed
	if got := m.updated(testArticles()); !got.Equal(fixed) {
		t.Errorf("explicit Updated: got %v", got)
	}
	m.Updated = time.Time{}
	if got := m.updated(nil); !got.Equal(time.Unix(0, 0)) {
		t.Errorf("no items: got %v, want the epoch", got)
	}
	out, err := Atom(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "<updated>1970-01-01T00:00:00Z</updated>") {
		t.Errorf("empty Atom feed lacks the epoch updated:\n%s", out)
	}
	js, err := JSON(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"items":[]`) {
		t.Errorf("empty JSON feed must still have an items array:\n%s", js)
	}
}
