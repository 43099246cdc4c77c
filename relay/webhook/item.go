package webhook

import (
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
)

// feedItem is a JSON Feed 1.1 item as the feeds package writes it
// (https://www.jsonfeed.org/version/1.1/), without the deprecated
// "author" that feed readers of 1.0 still look for.
type feedItem struct {
	ID            string     `json:"id"`
	URL           string     `json:"url,omitempty"`
	Title         string     `json:"title,omitempty"`
	ContentHTML   string     `json:"content_html,omitempty"`
	ContentText   string     `json:"content_text,omitempty"`
	Summary       string     `json:"summary,omitempty"`
	Image         string     `json:"image,omitempty"`
	DatePublished string     `json:"date_published,omitempty"`
	DateModified  string     `json:"date_modified,omitempty"`
	Authors       []author   `json:"authors,omitempty"`
	Tags          []string   `json:"tags,omitempty"`
	Feedrelay     *extension `json:"_feedrelay,omitempty"`
}

type author struct {
	Name string `json:"name"`
}

// extension is the feeds package's "_feedrelay" object.
type extension struct {
	SourceTitle    string `json:"source_title,omitempty"`
	SourceURL      string `json:"source_url,omitempty"`
	OriginalLink   string `json:"original_link,omitempty"`
	OriginalAuthor string `json:"original_author,omitempty"`
}

// newFeedItem renders it.Article; an item built without its article (a
// test, a preview) falls back to the item's own fields.
func newFeedItem(it *platform.Item) feedItem {
	a := &it.Article
	c := feedrelay.CleanXMLText
	link := it.URL
	if a.Link != "" || a.Key != "" {
		link = a.URL(it.BaseURL)
	}
	f := feedItem{
		ID:          c(first(a.GUID, link)),
		URL:         c(link),
		Title:       c(first(a.Title, it.Title)),
		ContentHTML: c(first(a.ContentHTML, it.ContentHTML)),
		Summary:     c(first(a.Summary, it.Summary)),
		Image:       c(first(a.Image, it.Image)),
		Tags:        tags(a, it),
	}
	if f.ContentHTML == "" { // one of content_html and content_text is required
		f.ContentText = first(f.Summary, f.Title)
	}
	published := a.Published
	if published.IsZero() {
		published = it.Published
	}
	f.DatePublished = date(published)
	f.DateModified = date(a.Modified())
	src := a.Source
	if name := c(strings.TrimSpace(first(a.Author, src.OriginalAuthor, it.Author))); name != "" {
		f.Authors = []author{{Name: name}}
	}
	x := extension{
		SourceTitle:    c(strings.TrimSpace(first(src.Title, it.SourceTitle))),
		SourceURL:      c(first(src.URL, it.SourceURL)),
		OriginalLink:   c(src.OriginalLink),
		OriginalAuthor: c(strings.TrimSpace(src.OriginalAuthor)),
	}
	if x != (extension{}) {
		f.Feedrelay = &x
	}
	return f
}

// tags are the names of every category level, then the tags, each name
// once (tags compared without case), as the feeds package lists them.
func tags(a *feedrelay.Article, it *platform.Item) []string {
	var out []string
	seen := map[string]bool{}
	seenFold := map[string]bool{}
	for _, p := range categories(a, it) {
		for _, name := range p {
			if name = feedrelay.CleanXMLText(strings.TrimSpace(name)); name != "" && !seen[name] {
				seen[name], seenFold[strings.ToLower(name)] = true, true
				out = append(out, name)
			}
		}
	}
	for _, t := range a.Tags {
		if t = feedrelay.CleanXMLText(strings.TrimSpace(t)); t != "" && !seenFold[strings.ToLower(t)] {
			seenFold[strings.ToLower(t)] = true
			out = append(out, t)
		}
	}
	return out
}

// categories are the article's paths, or the item's "A > B" names split.
func categories(a *feedrelay.Article, it *platform.Item) [][]string {
	out := [][]string{}
	for _, p := range a.Categories {
		out = append(out, cleanPath(p))
	}
	if len(a.Categories) == 0 {
		for _, s := range it.Categories {
			out = append(out, cleanPath(strings.Split(s, " > ")))
		}
	}
	return out
}

func cleanPath(p []string) []string {
	out := make([]string, 0, len(p))
	for _, name := range p {
		if name = feedrelay.CleanXMLText(strings.TrimSpace(name)); name != "" {
			out = append(out, name)
		}
	}
	return out
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Truncate(time.Second).Format(time.RFC3339)
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
