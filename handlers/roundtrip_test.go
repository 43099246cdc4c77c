package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/feedrelay/feedrelay"
)

// TestRoundTripEveryFeed imports examples/posts, fetches every feed in every
// format, parses it back with gofeed and compares it with what was stored.
func TestRoundTripEveryFeed(t *testing.T) {
	ts := newTestServer(t, nil)
	n := ts.importExamples(t)
	ctx := context.Background()
	cats, err := ts.store.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	type feedCase struct {
		path  string
		catID int64
	}
	cases := []feedCase{{"/", feedrelay.AllArticles}}
	for _, c := range cats {
		cases = append(cases, feedCase{"/categories/" + c.Slug + "/", c.ID})
	}
	parser := gofeed.NewParser()
	for _, fc := range cases {
		want, err := ts.store.Articles(ctx, feedrelay.ArticleQuery{CategoryID: fc.catID, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if fc.catID == feedrelay.AllArticles && len(want) != n {
			t.Fatalf("all-articles feed holds %d articles, imported %d", len(want), n)
		}
		for _, ext := range []string{"rss", "atom", "json"} {
			path := fc.path + "feed." + ext
			t.Run(path, func(t *testing.T) {
				resp, body := ts.do(t, "GET", path, "")
				if resp.StatusCode != 200 {
					t.Fatalf("status %d: %s", resp.StatusCode, body)
				}
				feed, err := parser.Parse(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("gofeed cannot parse %s: %v", path, err)
				}
				if len(feed.Items) != len(want) {
					t.Fatalf("%d items, want %d", len(feed.Items), len(want))
				}
				if !strings.HasSuffix(feed.FeedLink, path) {
					t.Errorf("self link %q does not end in %q", feed.FeedLink, path)
				}
				for i, item := range feed.Items {
					compareItem(t, ts.URL, ext, item, want[i])
				}
			})
		}
	}
}

func compareItem(t *testing.T, base, ext string, got *gofeed.Item, want feedrelay.Article) {
	t.Helper()
	id := fmt.Sprintf("item %q", want.Key)
	if got.Title != want.Title {
		t.Errorf("%s: title %q, want %q", id, got.Title, want.Title)
	}
	if got.Link != want.URL(base) {
		t.Errorf("%s: link %q, want %q", id, got.Link, want.URL(base))
	}
	if got.GUID != want.GUID {
		t.Errorf("%s: guid %q, want %q", id, got.GUID, want.GUID)
	}
	if got.PublishedParsed == nil || !got.PublishedParsed.Equal(want.Published.Truncate(time.Second)) {
		t.Errorf("%s: published %v, want %v", id, got.PublishedParsed, want.Published)
	}
	if ext != "rss" && (got.UpdatedParsed == nil || !got.UpdatedParsed.Equal(want.Updated.Truncate(time.Second))) {
		t.Errorf("%s: updated %v, want %v", id, got.UpdatedParsed, want.Updated)
	}
	if got.Content != want.ContentHTML {
		t.Errorf("%s: content differs:\n got %.200q\nwant %.200q", id, got.Content, want.ContentHTML)
	}
	if want.Summary != "" && got.Description != want.Summary {
		t.Errorf("%s: summary %q, want %q", id, got.Description, want.Summary)
	}
	var wantCats []string
	for _, p := range want.Categories {
		for _, l := range p.Levels() {
			wantCats = append(wantCats, l[len(l)-1])
		}
	}
	wantCats = append(wantCats, want.Tags...)
	// A tag that repeats a category name (case aside) is written once.
	wantCats = foldSet(wantCats)
	gotCats := foldSet(got.Categories)
	if !slices.Equal(gotCats, wantCats) {
		t.Errorf("%s: categories %q, want %q", id, gotCats, wantCats)
	}
	if want.Author != "" && (len(got.Authors) == 0 || got.Authors[0].Name != want.Author) {
		t.Errorf("%s: authors %+v, want %q", id, got.Authors, want.Author)
	}
	if want.Image != "" {
		found := got.Image != nil && got.Image.URL == want.Image
		for _, e := range got.Enclosures {
			found = found || (e.URL == want.Image && strings.HasPrefix(e.Type, "image/"))
		}
		if !found {
			t.Errorf("%s: head image %q missing (image %+v, enclosures %+v)", id, want.Image, got.Image, got.Enclosures)
		}
	}
}

func foldSet(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToLower(s)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
