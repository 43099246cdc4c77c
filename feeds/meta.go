// Package feeds renders articles as RSS 2.0, Atom 1.0 and JSON Feed 1.1 documents.
//
// The element and field structs come from github.com/gorilla/feeds (v1.2):
// feeds.RssFeed, RssItem, RssGuid, RssContent, RssEnclosure, AtomFeed,
// AtomEntry, AtomLink, AtomAuthor, AtomSummary, AtomContent, JSONFeed,
// JSONItem, JSONAuthor and JSONHub. Its translators from the generic
// feeds.Feed/feeds.Item model (Rss.RssFeed, Atom.AtomFeed, JSON.JSONFeed) are
// not used, because that model cannot carry what these feeds need and the
// translators get several things wrong for us:
//
//   - feeds.Item has no categories at all, and its XML structs hold a single
//     category string (Atom writes it as element text, RFC 4287 section 4.2.2
//     wants <category term="..."/>);
//   - an Atom entry without an id gets a fresh random urn:uuid on every
//     render, which would break byte-for-byte determinism and reader dedup;
//   - the RSS item author is written into <author>, which the RSS 2.0 spec
//     defines as an e-mail address, and the channel managingEditor becomes
//     " (name)" when there is no e-mail;
//   - the RSS <enclosure> is dropped unless both type and length are known;
//   - Atom summaries are always type="html" (ours are plain text) and the
//     entry's <published> is never written;
//   - item sources are a bare string (RSS needs <source url="...">, Atom a
//     structured atom:source).
//
// So each renderer fills gorilla's structs directly and embeds them in small
// wrapper structs of its own for the parts gorilla cannot express; see the
// comments in rss.go, atom.go and jsonfeed.go. The wrappers rely on the
// standard Go embedding rule, which both encoding/xml and encoding/json
// follow: a field of the outer struct shadows an embedded field that maps to
// the same element or key.
//
// Output is a pure function of the input: no clock, no randomness, no map
// iteration, so the bytes (and the ETags hashed from them) are stable.
package feeds

import (
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
)

// Meta describes the feed as a whole.
type Meta struct {
	Title       string
	Description string
	Language    string // optional, e.g. "zh-CN"
	// BaseURL is absolute, without a trailing slash; article and category
	// URLs derive from it.
	BaseURL string
	// SelfURL is the absolute URL of this feed document. Each format has its
	// own, so the caller passes the right one.
	SelfURL string
	// PageURL is the absolute URL of the HTML page the feed represents.
	PageURL string
	// Updated is the feed's updated time, normally the newest article's
	// Modified(). If zero, the newest Modified() of the items is used, and
	// with no items the Unix epoch: never the current time, so rendering
	// stays deterministic.
	Updated   time.Time
	HubURL    string // optional WebSub hub
	Generator string // e.g. "feedrelay 0.1.0"
	// ContentIsClean says every item's ContentHTML already passed
	// feedrelay.CleanXMLText (articles from the store do: it cleans on
	// write), so the renderers skip scanning it again. Scanning the full
	// HTML of 50 articles was a fifth of rendering a feed. Other fields are
	// short and always cleaned.
	ContentIsClean bool
}

// text cleans an item's content unless the caller vouched for it.
func (m Meta) text(content string) string {
	if m.ContentIsClean {
		return content
	}
	return xmlText(content)
}

// updated resolves Meta.Updated as documented there.
func (m Meta) updated(items []feedrelay.Article) time.Time {
	if !m.Updated.IsZero() {
		return m.Updated
	}
	var newest time.Time
	for i := range items {
		if t := items[i].Modified(); t.After(newest) {
			newest = t
		}
	}
	if newest.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return newest
}

// pageURL is the feed's HTML page, falling back to the site root.
func (m Meta) pageURL() string {
	if m.PageURL != "" {
		return m.PageURL
	}
	return strings.TrimRight(m.BaseURL, "/") + "/"
}

// Date layouts. RFC 1123 with a numeric zone is the RFC 822 form with a
// four-digit year that the W3C validator accepts without comment.
const (
	rfc822Layout  = time.RFC1123Z
	rfc3339Layout = time.RFC3339
)

func formatTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(layout)
}

// entry is one article with every value the three formats share worked out
// once and cleaned for XML.
type entry struct {
	title     string
	link      string
	guid      string
	summary   string // plain text
	content   string // HTML
	author    string
	image     string
	imageType string
	published time.Time
	modified  time.Time // never zero
	cats      []category
	source    feedrelay.Attribution
}

func newEntry(m Meta, a *feedrelay.Article, feedUpdated time.Time, urls categoryURLs) entry {
	e := entry{
		title:     xmlText(a.Title),
		link:      xmlText(a.URL(m.BaseURL)),
		guid:      xmlText(a.GUID),
		summary:   xmlText(a.Summary),
		content:   m.text(a.ContentHTML),
		author:    xmlText(strings.TrimSpace(a.Author)),
		image:     xmlText(a.Image),
		published: a.Published.Truncate(time.Second),
		modified:  a.Modified().Truncate(time.Second),
		cats:      itemCategories(m.BaseURL, a, urls),
		source: feedrelay.Attribution{
			Title:          xmlText(strings.TrimSpace(a.Source.Title)),
			URL:            xmlText(a.Source.URL),
			OriginalLink:   xmlText(a.Source.OriginalLink),
			OriginalAuthor: xmlText(strings.TrimSpace(a.Source.OriginalAuthor)),
		},
	}
	if e.guid == "" { // Validate forbids this; keep ids stable anyway
		e.guid = e.link
	}
	if e.author == "" {
		// A re-syndicated article is still written by its original author.
		e.author = e.source.OriginalAuthor
	}
	if e.image != "" {
		e.imageType = imageType(e.image)
	}
	if e.modified.IsZero() {
		e.modified = feedUpdated
	}
	return e
}

// isHTTPURL reports whether s is an absolute http or https URL.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// imageType guesses an image's MIME type from its URL's extension. Head
// images are nearly always JPEG when the extension says nothing.
func imageType(raw string) string {
	p := raw
	if u, err := url.Parse(raw); err == nil {
		p = u.Path
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".svg":
		return "image/svg+xml"
	case ".avif":
		return "image/avif"
	default: // .jpg, .jpeg and anything unknown
		return "image/jpeg"
	}
}
