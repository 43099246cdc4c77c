package feeds

import (
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/gorilla/feeds"
)

const jsonFeedVersion = "https://jsonfeed.org/version/1.1"

// jsonFeed is gorilla's top-level object with Items shadowed: gorilla tags
// items "omitempty", but JSON Feed 1.1 requires the array even when empty,
// and our items carry an extension object.
type jsonFeed struct {
	feeds.JSONFeed
	Items []jsonItem `json:"items"`
}

// jsonItem is gorilla's item plus the _feedrelay extension (JSON Feed 1.1
// extensions are keys starting with an underscore). gorilla's BannerImage
// is left empty: it is tagged "banner_" instead of the spec's
// "banner_image", and the head image is the item's main image ("image"),
// not a separate banner.
type jsonItem struct {
	feeds.JSONItem
	Feedrelay *jsonExtension `json:"_feedrelay,omitempty"`
}

// jsonExtension records where a re-syndicated item came from.
type jsonExtension struct {
	SourceTitle    string `json:"source_title,omitempty"`
	SourceURL      string `json:"source_url,omitempty"`
	OriginalLink   string `json:"original_link,omitempty"`
	OriginalAuthor string `json:"original_author,omitempty"`
}

// JSON renders items as a JSON Feed 1.1 document.
func JSON(m Meta, items []feedrelay.Article) ([]byte, error) {
	updated := m.updated(items)
	f := &jsonFeed{
		JSONFeed: feeds.JSONFeed{
			Version:     jsonFeedVersion,
			Title:       xmlText(m.Title),
			Language:    xmlText(m.Language),
			HomePageUrl: xmlText(m.pageURL()),
			FeedUrl:     xmlText(m.SelfURL),
			Description: xmlText(m.Description),
		},
		Items: make([]jsonItem, 0, len(items)),
	}
	if m.HubURL != "" {
		f.Hubs = []*feeds.JSONHub{{Type: "WebSub", Url: xmlText(m.HubURL)}}
	}
	size := 0
	urls := categoryURLs{}
	for i := range items {
		e := newEntry(m, &items[i], updated, urls)
		f.Items = append(f.Items, newJSONItem(&e))
		size += len(e.content)*11/10 + len(e.summary) + 1024
	}
	// Not indented (that doubled the rendering time, and readers don't
	// look at the bytes); "<", ">" and "&" in content_html stay readable
	// instead of \u003c. See writeJSONFeed.
	return writeJSONFeed(make([]byte, 0, size+4096), f), nil
}

func newJSONItem(e *entry) jsonItem {
	it := jsonItem{JSONItem: feeds.JSONItem{
		Id:          e.guid,
		Url:         e.link,
		Title:       e.title,
		ContentHTML: e.content,
		Summary:     e.summary,
		Image:       e.image,
		Tags:        categoryNames(e.cats),
	}}
	if e.content == "" {
		// One of content_html and content_text must be present.
		it.ContentText = e.summary
		if it.ContentText == "" {
			it.ContentText = e.title
		}
	}
	if !e.published.IsZero() {
		it.PublishedDate = timePtr(e.published)
	}
	it.ModifiedDate = timePtr(e.modified)
	if e.author != "" {
		a := &feeds.JSONAuthor{Name: e.author}
		// "authors" is 1.1; the spec lets feeds keep the deprecated
		// "author" as well for 1.0 readers, as gorilla does.
		it.Author = a
		it.Authors = []*feeds.JSONAuthor{a}
	}
	if s := e.source; !s.IsZero() {
		it.Feedrelay = &jsonExtension{
			SourceTitle:    s.Title,
			SourceURL:      s.URL,
			OriginalLink:   s.OriginalLink,
			OriginalAuthor: s.OriginalAuthor,
		}
	}
	return it
}

func timePtr(t time.Time) *time.Time { return &t }
