package feeds

import (
	"bytes"
	"encoding/xml"
	"strings"

	"github.com/feedrelay/feedrelay"
	"github.com/gorilla/feeds"
)

const (
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsAtom    = "http://www.w3.org/2005/Atom"
	rssDocs   = "https://www.rssboard.org/rss-specification"
)

// rssDoc replaces feeds.RssFeedXml, which declares only the content
// namespace. We also need xmlns:atom for <atom:link rel="self"> (the W3C
// validator's MissingAtomSelfLink recommendation) and rel="hub", and
// xmlns:dc for <dc:creator>.
type rssDoc struct {
	XMLName   xml.Name    `xml:"rss"`
	Version   string      `xml:"version,attr"`
	NSContent string      `xml:"xmlns:content,attr"`
	NSDC      string      `xml:"xmlns:dc,attr"`
	NSAtom    string      `xml:"xmlns:atom,attr"`
	Channel   *rssChannel `xml:"channel"`
}

// rssChannel is gorilla's channel plus the atom:link elements it has no
// field for. Items shadows feeds.RssFeed.Items to hold our item type. Field
// order matters: the validator flags channel metadata after the first
// <item> (MisplacedItem), so the links come before the items.
type rssChannel struct {
	feeds.RssFeed
	AtomLinks []rssAtomLink `xml:"atom:link"`
	Items     []*rssItem    `xml:"item"`
}

// rssItem is gorilla's item (title, link, description, content:encoded as
// CDATA, enclosure, guid, pubDate) with three fields replaced or added:
//
//   - Creator: <dc:creator>. RSS <author> must be an e-mail address, ours
//     are names; gorilla's Author field is left empty.
//   - Categories shadows the single-string RssItem.Category: one
//     <category domain="page URL"> per level and tag.
//   - Source shadows the bare-string RssItem.Source: RSS 2.0 requires the
//     url attribute, <source url="feed URL">feed title</source>.
type rssItem struct {
	feeds.RssItem
	Creator    string        `xml:"dc:creator,omitempty"`
	Categories []rssCategory `xml:"category"`
	Source     *rssSource    `xml:"source"`
}

type rssAtomLink struct {
	XMLName xml.Name `xml:"atom:link"`
	Href    string   `xml:"href,attr"`
	Rel     string   `xml:"rel,attr"`
	Type    string   `xml:"type,attr,omitempty"`
}

type rssCategory struct {
	XMLName xml.Name `xml:"category"`
	Domain  string   `xml:"domain,attr,omitempty"`
	Name    string   `xml:",chardata"`
}

type rssSource struct {
	XMLName xml.Name `xml:"source"`
	URL     string   `xml:"url,attr"`
	Title   string   `xml:",chardata"`
}

// htmlText escapes plain text for an element whose content is HTML. RSS
// <description> is read as HTML by practically every reader, so a summary
// mentioning "<video>" or "AT&T" must be entity-encoded once more or it
// would be rendered as markup. Quotes need no escaping outside attributes.
var htmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// RSS renders items as an RSS 2.0 document.
func RSS(m Meta, items []feedrelay.Article) ([]byte, error) {
	updated := m.updated(items)
	title := xmlText(m.Title)
	desc := xmlText(m.Description)
	if desc == "" { // required by RSS 2.0
		desc = title
	}
	ch := &rssChannel{
		RssFeed: feeds.RssFeed{
			Title:         title,
			Link:          xmlText(m.pageURL()),
			Description:   desc,
			Language:      xmlText(m.Language),
			PubDate:       formatTime(updated, rfc822Layout),
			LastBuildDate: formatTime(updated, rfc822Layout),
			Generator:     xmlText(m.Generator),
			Docs:          rssDocs,
		},
		Items: make([]*rssItem, 0, len(items)),
	}
	if m.SelfURL != "" {
		ch.AtomLinks = append(ch.AtomLinks, rssAtomLink{Href: xmlText(m.SelfURL), Rel: "self", Type: "application/rss+xml"})
	}
	if m.HubURL != "" {
		ch.AtomLinks = append(ch.AtomLinks, rssAtomLink{Href: xmlText(m.HubURL), Rel: "hub"})
	}
	size := 0
	urls := categoryURLs{}
	for i := range items {
		e := newEntry(m, &items[i], updated, urls)
		ch.Items = append(ch.Items, newRSSItem(&e))
		size += len(e.content) + len(e.summary) + 1024
	}
	return encodeXML(&rssDoc{
		Version:   "2.0",
		NSContent: nsContent,
		NSDC:      nsDC,
		NSAtom:    nsAtom,
		Channel:   ch,
	}, size)
}

func newRSSItem(e *entry) *rssItem {
	it := &rssItem{
		RssItem: feeds.RssItem{
			Title: e.title,
			Link:  e.link,
			// Always present, even when empty: the validator wants a
			// description before content:encoded (NeedDescriptionBeforeContent),
			// and gorilla's struct never omits it.
			Description: htmlText.Replace(e.summary),
			Guid:        rssGUID(e.guid, e.link),
			PubDate:     formatTime(e.published, rfc822Layout),
		},
		Creator: e.author,
	}
	if e.content != "" {
		// encoding/xml splits a "]]>" inside the text across two CDATA
		// sections, so any content stays well-formed.
		it.Content = &feeds.RssContent{Content: e.content}
	}
	if e.image != "" {
		// Length is required; 0 is the RSS Best Practices Profile's value
		// for "unknown" and the W3C validator accepts it.
		it.Enclosure = &feeds.RssEnclosure{Url: e.image, Length: "0", Type: e.imageType}
	}
	for _, c := range e.cats {
		it.Categories = append(it.Categories, rssCategory{Domain: c.url, Name: c.name})
	}
	if e.source.URL != "" {
		t := e.source.Title
		if t == "" {
			t = e.source.URL
		}
		it.Source = &rssSource{URL: e.source.URL, Title: t}
	}
	return it
}

// rssGUID marks the guid as a permalink only when it is the item's own
// http(s) link; urn: and other ids are isPermaLink="false".
func rssGUID(guid, link string) *feeds.RssGuid {
	perma := "false"
	if guid == link && isHTTPURL(guid) {
		perma = "true"
	}
	return &feeds.RssGuid{Id: guid, IsPermaLink: perma}
}

// encodeXML writes the XML declaration and v, indented. gorilla's
// feeds.WriteXML does the same but leaves no newline after the declaration.
func encodeXML(v any, sizeHint int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(sizeHint + 4096)
	buf.WriteString(xml.Header) // <?xml version="1.0" encoding="UTF-8"?>
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
