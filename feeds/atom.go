package feeds

import (
	"encoding/xml"

	"github.com/feedrelay/feedrelay"
	"github.com/gorilla/feeds"
)

// atomFeed is gorilla's feed plus what it lacks: more than one link (self,
// alternate, hub; Links shadows the single feeds.AtomFeed.Link), a
// <generator>, xml:lang, and entries of our own type (shadowing
// feeds.AtomFeed.Entries). Field order matters: RFC 4287 does not care,
// but the W3C validator reports feed metadata after an entry as
// MisplacedMetadata, so everything precedes Entries.
type atomFeed struct {
	feeds.AtomFeed
	Lang      string           `xml:"xml:lang,attr,omitempty"`
	Links     []feeds.AtomLink `xml:"link"`
	Generator *atomGenerator   `xml:"generator"`
	Entries   []*atomEntry     `xml:"entry"`
}

// atomEntry is gorilla's entry (title, id, updated, published, links,
// summary, content, author) with its single-string Category and Source
// shadowed: RFC 4287 section 4.2.2 puts the category in a term attribute
// and section 4.2.11 makes atom:source a container of feed metadata.
type atomEntry struct {
	feeds.AtomEntry
	Content    *atomContent   `xml:"content"`
	Categories []atomCategory `xml:"category"`
	Source     *atomSource    `xml:"source"`
}

// atomContent shadows gorilla's AtomContent, whose chardata field makes
// encoding/xml escape every "<" of the HTML: a CDATA section carries the
// same text (RFC 4287 4.1.3.3 only asks for escaped HTML as character
// data, and CDATA is character data) at about half the rendering cost of
// a 50-item feed. encoding/xml splits any "]]>" in it into two sections,
// so content cannot end the section early.
type atomContent struct {
	Type    string `xml:"type,attr"`
	Content string `xml:",cdata"`
}

type atomCategory struct {
	XMLName xml.Name `xml:"category"`
	Term    string   `xml:"term,attr"`
	Scheme  string   `xml:"scheme,attr,omitempty"`
	Label   string   `xml:"label,attr,omitempty"`
}

// atomSource carries id, title and updated because the W3C validator checks
// atom:source like a feed head and reports each missing one, and a
// rel="self" link to avoid its MissingSelf warning.
type atomSource struct {
	XMLName xml.Name         `xml:"source"`
	ID      string           `xml:"id"`
	Title   string           `xml:"title"`
	Updated string           `xml:"updated"`
	Links   []feeds.AtomLink `xml:"link"`
}

type atomGenerator struct {
	XMLName xml.Name `xml:"generator"`
	Name    string   `xml:",chardata"`
}

// Atom renders items as an Atom 1.0 (RFC 4287) document.
func Atom(m Meta, items []feedrelay.Article) ([]byte, error) {
	updated := m.updated(items)
	page := xmlText(m.pageURL())
	title := xmlText(m.Title)
	f := &atomFeed{
		AtomFeed: feeds.AtomFeed{
			Xmlns: nsAtom,
			Title: title,
			// The page URL, not the self URL: it names what the feed is
			// about and stays the same whichever format or address serves
			// it.
			Id:       page,
			Updated:  formatTime(updated, rfc3339Layout),
			Subtitle: xmlText(m.Description),
		},
		Lang:    xmlText(m.Language),
		Entries: make([]*atomEntry, 0, len(items)),
	}
	// RFC 4287 4.1.1: a feed needs an author unless every entry has one.
	// A feed-level author is always there; entry authors override it for
	// their entry (4.2.1).
	name := title
	if name == "" {
		name = page
	}
	f.Author = &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: name}}
	if m.SelfURL != "" {
		f.Links = append(f.Links, feeds.AtomLink{Href: xmlText(m.SelfURL), Rel: "self", Type: "application/atom+xml"})
	}
	f.Links = append(f.Links, feeds.AtomLink{Href: page, Rel: "alternate", Type: "text/html"})
	if m.HubURL != "" {
		f.Links = append(f.Links, feeds.AtomLink{Href: xmlText(m.HubURL), Rel: "hub"})
	}
	if g := xmlText(m.Generator); g != "" {
		f.Generator = &atomGenerator{Name: g}
	}
	size := 0
	urls := categoryURLs{}
	for i := range items {
		e := newEntry(m, &items[i], updated, urls)
		f.Entries = append(f.Entries, newAtomEntry(&e))
		size += len(e.content)*5/4 + len(e.summary) + 1024
	}
	return encodeXML(f, size)
}

func newAtomEntry(e *entry) *atomEntry {
	x := &atomEntry{
		AtomEntry: feeds.AtomEntry{
			Title:     e.title,
			Id:        e.guid,
			Updated:   formatTime(e.modified, rfc3339Layout),
			Published: formatTime(e.published, rfc3339Layout),
			Links:     []feeds.AtomLink{{Href: e.link, Rel: "alternate", Type: "text/html"}},
		},
	}
	if e.summary != "" {
		x.Summary = &feeds.AtomSummary{Content: e.summary, Type: "text"}
	}
	if e.content != "" {
		x.Content = &atomContent{Type: "html", Content: e.content}
	}
	if e.author != "" {
		x.Author = &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: e.author}}
	}
	if e.image != "" {
		// length is optional in Atom (4.2.7.6) and unknown here.
		x.Links = append(x.Links, feeds.AtomLink{Href: e.image, Rel: "enclosure", Type: e.imageType})
	}
	if ol := e.source.OriginalLink; ol != "" && ol != e.link {
		x.Links = append(x.Links, feeds.AtomLink{Href: ol, Rel: "via"})
	}
	for _, c := range e.cats {
		x.Categories = append(x.Categories, atomCategory{Term: c.name, Scheme: c.url, Label: labelFor(c)})
	}
	if e.source.URL != "" {
		t := e.source.Title
		if t == "" {
			t = e.source.URL
		}
		x.Source = &atomSource{
			ID:    e.source.URL,
			Title: t,
			// The source feed's own updated time is not stored; it was
			// updated no earlier than this entry was.
			Updated: x.Updated,
			Links:   []feeds.AtomLink{{Href: e.source.URL, Rel: "self"}},
		}
	}
	return x
}

// labelFor gives site categories a label (their display name, which is also
// the term); tags carry only a term.
func labelFor(c category) string {
	if c.url == "" {
		return ""
	}
	return c.name
}
