package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay"
)

// The checks below restate rules from the RSS 2.0 specification, RFC 4287,
// JSON Feed 1.1 and the W3C Feed Validation Service, so a regression shows
// up here with the rule's name rather than only as a golden-file diff.

// wellFormed decodes every token; encoding/xml rejects malformed markup,
// undeclared-entity references and characters outside XML 1.0's Char.
func wellFormed(t *testing.T, doc []byte) {
	t.Helper()
	if !bytes.HasPrefix(doc, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("missing XML declaration with encoding UTF-8: %.60q", doc)
	}
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
	}
}

// onlyXMLChars checks the raw bytes: valid UTF-8 and no character XML 1.0
// forbids (a CDATA section would carry one through unnoticed by encoders).
func onlyXMLChars(t *testing.T, doc []byte) {
	t.Helper()
	if !utf8.Valid(doc) {
		t.Error("output is not valid UTF-8")
	}
	for i, r := range string(doc) {
		if !isXMLChar(r) {
			t.Errorf("forbidden character %U at byte %d", r, i)
		}
	}
}

// rfc822Date is the validator's strict RFC 2822 date pattern (anything
// else is at best "problematical"): optional day name, one- or two-digit
// day, four-digit year, numeric zone or a named one.
var rfc822Date = regexp.MustCompile(`^((Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d\d? (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d(:\d\d)? ([+-]\d{4}|UT|GMT|[ECMP][SD]T|Z)$`)

type rssCheckDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Attrs   []xml.Attr `xml:",any,attr"`
	Channel struct {
		Title         string         `xml:"title"`
		Description   string         `xml:"description"`
		PubDate       string         `xml:"pubDate"`
		LastBuildDate string         `xml:"lastBuildDate"`
		AtomLinks     []attrsElement `xml:"http://www.w3.org/2005/Atom link"`
		Items         []struct {
			Title       string   `xml:"title"`
			Description string   `xml:"description"`
			Content     string   `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			Creator     string   `xml:"http://purl.org/dc/elements/1.1/ creator"`
			Author      []string `xml:"author"` // matches <author> in any namespace
			GUID        struct {
				ID          string `xml:",chardata"`
				IsPermaLink string `xml:"isPermaLink,attr"`
			} `xml:"guid"`
			PubDate    string         `xml:"pubDate"`
			Enclosures []attrsElement `xml:"enclosure"`
			Categories []struct {
				Domain string `xml:"domain,attr"`
				Name   string `xml:",chardata"`
			} `xml:"category"`
			Source *struct {
				URL   *string `xml:"url,attr"`
				Title string  `xml:",chardata"`
			} `xml:"source"`
		} `xml:"item"`
	} `xml:"channel"`
}

type attrsElement struct {
	Attrs []xml.Attr `xml:",any,attr"`
	Text  string     `xml:",chardata"`
}

func (e attrsElement) attr(name string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func TestRSSRules(t *testing.T) {
	m := testMeta("/feed.xml")
	articles := testArticles()
	doc, err := RSS(m, articles)
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, doc)
	onlyXMLChars(t, doc)

	var rss rssCheckDoc
	if err := xml.Unmarshal(doc, &rss); err != nil {
		t.Fatal(err)
	}
	if rss.Version != "2.0" {
		t.Errorf("rss version %q", rss.Version)
	}
	declared := map[string]string{}
	for _, a := range rss.Attrs {
		if a.Name.Space == "xmlns" {
			declared[a.Name.Local] = a.Value
		}
	}
	for prefix, ns := range map[string]string{"atom": nsAtom, "dc": nsDC, "content": nsContent} {
		if declared[prefix] != ns {
			t.Errorf("xmlns:%s = %q, want %q", prefix, declared[prefix], ns)
		}
	}
	ch := rss.Channel
	if ch.Title == "" || ch.Description == "" {
		t.Error("channel title and description are required")
	}
	var self, hub bool
	for _, l := range ch.AtomLinks {
		rel, _ := l.attr("rel")
		href, _ := l.attr("href")
		typ, _ := l.attr("type")
		switch rel {
		case "self":
			self = href == m.SelfURL && typ == "application/rss+xml"
		case "hub":
			hub = href == m.HubURL
		}
	}
	if !self {
		t.Errorf("no <atom:link rel=self href=%q type=application/rss+xml>: %+v", m.SelfURL, ch.AtomLinks)
	}
	if !hub {
		t.Errorf("no <atom:link rel=hub href=%q>", m.HubURL)
	}
	for _, d := range []string{ch.PubDate, ch.LastBuildDate} {
		if !rfc822Date.MatchString(d) {
			t.Errorf("channel date %q is not strict RFC 822", d)
		}
	}
	if len(ch.Items) != len(articles) {
		t.Fatalf("%d items, want %d", len(ch.Items), len(articles))
	}
	guids := map[string]bool{}
	for i, it := range ch.Items {
		a := articles[i]
		if it.Title == "" {
			t.Errorf("item %d: empty title", i)
		}
		if it.GUID.ID == "" || it.GUID.ID != a.GUID {
			t.Errorf("item %d: guid %q, want %q", i, it.GUID.ID, a.GUID)
		}
		if guids[it.GUID.ID] {
			t.Errorf("item %d: duplicate guid", i)
		}
		guids[it.GUID.ID] = true
		wantPerma := "false"
		if a.GUID == a.URL(m.BaseURL) && strings.HasPrefix(a.GUID, "https://") {
			wantPerma = "true"
		}
		if it.GUID.IsPermaLink != wantPerma {
			t.Errorf("item %d: isPermaLink %q, want %q", i, it.GUID.IsPermaLink, wantPerma)
		}
		if !rfc822Date.MatchString(it.PubDate) {
			t.Errorf("item %d: pubDate %q is not strict RFC 822", i, it.PubDate)
		}
		if pd, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil || !pd.Equal(a.Published) {
			t.Errorf("item %d: pubDate %q parses to %v (%v), want %v", i, it.PubDate, pd, err, a.Published)
		}
		// description is read as HTML: the plain-text summary must arrive
		// entity-encoded, with no raw markup.
		if strings.ContainsAny(it.Description, "<>") || unescapeHTMLText(it.Description) != a.Summary {
			t.Errorf("item %d: description %q is not the HTML-escaped summary %q", i, it.Description, a.Summary)
		}
		if len(it.Author) != 0 {
			t.Errorf("item %d: <author> must be an e-mail address; names go in dc:creator", i)
		}
		if want := a.Author; want != "" && it.Creator != want {
			t.Errorf("item %d: dc:creator %q, want %q", i, it.Creator, want)
		}
		if want := xmlText(a.ContentHTML); it.Content != want {
			t.Errorf("item %d: content:encoded\n got %q\nwant %q", i, it.Content, want)
		}
		if len(it.Enclosures) > 1 {
			t.Errorf("item %d: more than one enclosure", i)
		}
		for _, e := range it.Enclosures {
			u, _ := e.attr("url")
			l, hasLen := e.attr("length")
			typ, _ := e.attr("type")
			if n, err := strconv.Atoi(l); !hasLen || err != nil || n < 0 {
				t.Errorf("item %d: enclosure length %q must be a non-negative integer", i, l)
			}
			if mt, _, err := mime.ParseMediaType(typ); err != nil || !strings.HasPrefix(mt, "image/") {
				t.Errorf("item %d: enclosure type %q", i, typ)
			}
			if u != a.Image {
				t.Errorf("item %d: enclosure url %q, want %q", i, u, a.Image)
			}
		}
		for _, c := range it.Categories {
			if strings.TrimSpace(c.Name) == "" {
				t.Errorf("item %d: blank category", i)
			}
			if c.Domain != "" && !strings.HasPrefix(c.Domain, testBase+"/categories/") {
				t.Errorf("item %d: category domain %q is not a category page", i, c.Domain)
			}
		}
		if a.Source.IsZero() != (it.Source == nil) {
			t.Errorf("item %d: <source> present = %v, attribution set = %v", i, it.Source != nil, !a.Source.IsZero())
		}
		if it.Source != nil && (it.Source.URL == nil || *it.Source.URL != a.Source.URL || it.Source.Title != a.Source.Title) {
			t.Errorf("item %d: source %+v, want url=%q %q", i, it.Source, a.Source.URL, a.Source.Title)
		}
	}
	// The "]]>" in the first article must come back intact.
	if got := ch.Items[0].Content; got != trickyClean {
		t.Errorf("content with ]]> did not survive:\n got %q\nwant %q", got, trickyClean)
	}
	checkXMLOrder(t, doc, "channel", "item")
	checkItemOrder(t, doc)
}

// checkXMLOrder fails if, inside parent, a child other than repeat follows
// the first repeat (the W3C validator's MisplacedItem/MisplacedMetadata).
func checkXMLOrder(t *testing.T, doc []byte, parent, repeat string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	depth, parentDepth := 0, -1
	seen := false
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			if tok.Name.Local == parent && parentDepth < 0 {
				parentDepth = depth
				continue
			}
			if parentDepth >= 0 && depth == parentDepth+1 {
				if tok.Name.Local == repeat {
					seen = true
				} else if seen {
					t.Errorf("<%s> after the first <%s> in <%s>", tok.Name.Local, repeat, parent)
				}
			}
		case xml.EndElement:
			if depth == parentDepth {
				parentDepth = -1
			}
			depth--
		}
	}
}

// checkItemOrder: the validator wants <description> before content:encoded.
func checkItemOrder(t *testing.T, doc []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var inItem, sawDesc bool
	n := 0
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch {
			case tok.Name.Local == "item":
				inItem, sawDesc = true, false
				n++
			case inItem && tok.Name.Local == "description":
				sawDesc = true
			case inItem && tok.Name.Local == "encoded" && !sawDesc:
				t.Errorf("item %d: content:encoded before description", n)
			}
		case xml.EndElement:
			if tok.Name.Local == "item" {
				inItem = false
			}
		}
	}
}

type atomCheckFeed struct {
	XMLName xml.Name        `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string          `xml:"id"`
	Title   string          `xml:"title"`
	Updated string          `xml:"updated"`
	Authors []atomCheckName `xml:"author"`
	Links   []attrsElement  `xml:"link"`
	Entries []struct {
		ID         string          `xml:"id"`
		Title      string          `xml:"title"`
		Updated    string          `xml:"updated"`
		Published  string          `xml:"published"`
		Authors    []atomCheckName `xml:"author"`
		Links      []attrsElement  `xml:"link"`
		Summary    attrsElement    `xml:"summary"`
		Content    attrsElement    `xml:"content"`
		Categories []attrsElement  `xml:"category"`
		Source     *struct {
			ID      string         `xml:"id"`
			Title   string         `xml:"title"`
			Updated string         `xml:"updated"`
			Links   []attrsElement `xml:"link"`
		} `xml:"source"`
	} `xml:"entry"`
}

type atomCheckName struct {
	Name string `xml:"name"`
}

func TestAtomRules(t *testing.T) {
	m := testMeta("/atom.xml")
	articles := testArticles()
	doc, err := Atom(m, articles)
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, doc)
	onlyXMLChars(t, doc)
	var f atomCheckFeed
	if err := xml.Unmarshal(doc, &f); err != nil {
		t.Fatal(err)
	}
	if f.ID == "" || f.Title == "" {
		t.Error("feed id and title are required (4.1.1)")
	}
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
		t.Errorf("feed updated %q: %v", f.Updated, err)
	}
	if len(f.Authors) == 0 || f.Authors[0].Name == "" {
		t.Error("feed has no author; entries without one would be invalid (4.1.1)")
	}
	rels := map[string]string{}
	for _, l := range f.Links {
		rel, _ := l.attr("rel")
		href, _ := l.attr("href")
		typ, _ := l.attr("type")
		rels[rel] = href + " " + typ
		if strings.TrimSpace(l.Text) != "" {
			t.Errorf("atom:link must be empty: %q", l.Text)
		}
	}
	if rels["self"] != m.SelfURL+" application/atom+xml" {
		t.Errorf("self link %q", rels["self"])
	}
	if rels["alternate"] != m.PageURL+" text/html" {
		t.Errorf("alternate link %q", rels["alternate"])
	}
	if rels["hub"] != m.HubURL+" " {
		t.Errorf("hub link %q", rels["hub"])
	}
	if len(f.Entries) != len(articles) {
		t.Fatalf("%d entries, want %d", len(f.Entries), len(articles))
	}
	for i, e := range f.Entries {
		a := articles[i]
		if e.ID != a.GUID {
			t.Errorf("entry %d: id %q, want the GUID %q", i, e.ID, a.GUID)
		}
		if strings.HasPrefix(e.ID, "urn:uuid:") {
			t.Errorf("entry %d: random id %q", i, e.ID)
		}
		if up, err := time.Parse(time.RFC3339, e.Updated); err != nil || !up.Equal(a.Modified()) {
			t.Errorf("entry %d: updated %q (%v), want %v", i, e.Updated, err, a.Modified())
		}
		if pub, err := time.Parse(time.RFC3339, e.Published); err != nil || !pub.Equal(a.Published) {
			t.Errorf("entry %d: published %q (%v), want %v", i, e.Published, err, a.Published)
		}
		var alternate, enclosure string
		for _, l := range e.Links {
			rel, _ := l.attr("rel")
			href, _ := l.attr("href")
			typ, _ := l.attr("type")
			switch rel {
			case "alternate":
				alternate = href + " " + typ
			case "enclosure":
				enclosure = href + " " + typ
			}
		}
		if want := a.URL(m.BaseURL) + " text/html"; alternate != want {
			t.Errorf("entry %d: alternate %q, want %q", i, alternate, want)
		}
		if a.Image != "" && enclosure != a.Image+" "+imageType(a.Image) {
			t.Errorf("entry %d: enclosure %q", i, enclosure)
		}
		if typ, _ := e.Content.attr("type"); typ != "html" || e.Content.Text != xmlText(a.ContentHTML) {
			t.Errorf("entry %d: content type %q text %q", i, typ, e.Content.Text)
		}
		if a.Summary != "" {
			if typ, _ := e.Summary.attr("type"); typ != "text" || e.Summary.Text != a.Summary {
				t.Errorf("entry %d: summary type %q text %q", i, typ, e.Summary.Text)
			}
		}
		if len(e.Authors) > 1 || (len(e.Authors) == 1 && e.Authors[0].Name == "") {
			t.Errorf("entry %d: authors %+v", i, e.Authors)
		}
		for _, c := range e.Categories {
			term, ok := c.attr("term")
			if !ok || term == "" {
				t.Errorf("entry %d: category without term attribute", i)
			}
			if strings.TrimSpace(c.Text) != "" {
				t.Errorf("entry %d: category has element text %q; the name belongs in term", i, c.Text)
			}
		}
		if a.Source.IsZero() != (e.Source == nil) {
			t.Errorf("entry %d: atom:source present = %v", i, e.Source != nil)
		}
		if s := e.Source; s != nil {
			if s.ID != a.Source.URL || s.Title != a.Source.Title || s.Updated == "" || len(s.Links) != 1 {
				t.Errorf("entry %d: source %+v", i, s)
			}
		}
	}
	if got := f.Entries[0].Content.Text; got != trickyClean {
		t.Errorf("content with ]]> did not survive:\n got %q\nwant %q", got, trickyClean)
	}
	checkXMLOrder(t, doc, "feed", "entry")
}

func TestJSONRules(t *testing.T) {
	m := testMeta("/feed.json")
	articles := testArticles()
	doc, err := JSON(m, articles)
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(doc) {
		t.Error("not valid UTF-8")
	}
	for _, bad := range []string{`"banner_"`, `\u003c`, `\u0026`, `\u0000`, `\u000b`} {
		if bytes.Contains(doc, []byte(bad)) {
			t.Errorf("output contains %s", bad)
		}
	}
	var f map[string]any
	if err := json.Unmarshal(doc, &f); err != nil {
		t.Fatal(err)
	}
	if f["version"] != "https://jsonfeed.org/version/1.1" {
		t.Errorf("version %v", f["version"])
	}
	for k, want := range map[string]string{"title": m.Title, "home_page_url": m.PageURL, "feed_url": m.SelfURL, "description": m.Description, "language": m.Language} {
		if f[k] != want {
			t.Errorf("%s = %v, want %q", k, f[k], want)
		}
	}
	hubs, _ := f["hubs"].([]any)
	if len(hubs) != 1 || hubs[0].(map[string]any)["url"] != m.HubURL || hubs[0].(map[string]any)["type"] == "" {
		t.Errorf("hubs %v", f["hubs"])
	}
	items, ok := f["items"].([]any)
	if !ok || len(items) != len(articles) {
		t.Fatalf("items %v", f["items"])
	}
	for i, raw := range items {
		it := raw.(map[string]any)
		a := articles[i]
		if it["id"] != a.GUID {
			t.Errorf("item %d: id %v, want %q", i, it["id"], a.GUID)
		}
		if it["url"] != a.URL(m.BaseURL) {
			t.Errorf("item %d: url %v", i, it["url"])
		}
		if it["content_html"] != xmlText(a.ContentHTML) {
			t.Errorf("item %d: content_html %v", i, it["content_html"])
		}
		for _, k := range []string{"date_published", "date_modified"} {
			s, _ := it[k].(string)
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				t.Errorf("item %d: %s %q: %v", i, k, s, err)
			}
		}
		if pub, _ := time.Parse(time.RFC3339, it["date_published"].(string)); !pub.Equal(a.Published) {
			t.Errorf("item %d: date_published %v, want %v", i, pub, a.Published)
		}
		if a.Image != "" && it["image"] != a.Image {
			t.Errorf("item %d: image %v", i, it["image"])
		}
		ext, has := it["_feedrelay"].(map[string]any)
		if has != !a.Source.IsZero() {
			t.Errorf("item %d: _feedrelay present = %v, attribution set = %v", i, has, !a.Source.IsZero())
		}
		if has {
			want := map[string]any{
				"source_title":    a.Source.Title,
				"source_url":      a.Source.URL,
				"original_link":   a.Source.OriginalLink,
				"original_author": a.Source.OriginalAuthor,
			}
			for k, v := range want {
				if ext[k] != v {
					t.Errorf("item %d: _feedrelay.%s = %v, want %v", i, k, ext[k], v)
				}
			}
		}
		for k := range it {
			if strings.HasPrefix(k, "_") && k != "_feedrelay" {
				t.Errorf("item %d: unexpected extension %q", i, k)
			}
		}
		tags, _ := it["tags"].([]any)
		seen := map[any]bool{}
		for _, tag := range tags {
			if seen[tag] {
				t.Errorf("item %d: duplicate tag %v", i, tag)
			}
			seen[tag] = true
		}
	}
	tags := items[0].(map[string]any)["tags"].([]any)
	var names []string
	for _, tag := range tags {
		names = append(names, tag.(string))
	}
	if got, want := strings.Join(names, ","), "新媒体,高科技行业门户,新闻,观察,RSS,Go"; got != want {
		t.Errorf("tags %q, want %q", got, want)
	}
}

// TestOptionalOmitted: without a hub, self URL, language or generator the
// documents carry no empty elements for them.
func TestOptionalOmitted(t *testing.T) {
	m := Meta{Title: "T", BaseURL: testBase}
	a := feedrelay.Article{Key: "k", GUID: "urn:x:k", Title: "t", ContentHTML: "<p>c</p>", Published: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, r := range renderers {
		out, err := r.fn(m, []feedrelay.Article{a})
		if err != nil {
			t.Fatal(err)
		}
		s := string(out)
		if n := strings.Count(s, "<author>"); (r.name == "atom" && n != 1) || (r.name != "atom" && n != 0) {
			t.Errorf("%s: %d <author> elements for an article without author", r.name, n)
		}
		for _, bad := range []string{`rel="hub"`, `"hubs"`, `"author"`, "<dc:creator", "<enclosure", `rel="enclosure"`, "<language", "xml:lang", `"language"`, "<generator", "<source", "_feedrelay", `"image"`, "<category", `"tags"`, `href=""`, `url=""`, "<summary", `"summary"`, `"feed_url"`, `rel="self"`} {
			if strings.Contains(s, bad) {
				t.Errorf("%s: output contains %s for an absent value:\n%s", r.name, bad, s)
			}
		}
		if r.name == "rss" && !strings.Contains(s, "<description>T</description>") {
			t.Errorf("rss: channel description should fall back to the title:\n%s", s)
		}
		if r.name == "atom" && !strings.Contains(s, "<author>\n    <name>T</name>") {
			t.Errorf("atom: feed-level author missing:\n%s", s)
		}
	}
}

func TestXMLText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"plain 中文 \t\n\r", "plain 中文 \t\n\r"},
		{"a\x00b\x0bc\x1fd", "abcd"},
		{"a\xffb", "a\ufffdb"},
		{"x\ufffey\uffffz", "xyz"},
		{"\ufffd kept", "\ufffd kept"},
		{"emoji 😀 \U0010FFFF", "emoji 😀 \U0010FFFF"},
		{"\xed\xa0\x80", "\ufffd\ufffd\ufffd"}, // an encoded surrogate is invalid UTF-8
	} {
		if got := xmlText(c.in); got != c.want {
			t.Errorf("xmlText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestImageType(t *testing.T) {
	for in, want := range map[string]string{
		"https://x/a.jpg":        "image/jpeg",
		"https://x/a.JPEG":       "image/jpeg",
		"https://x/a.png?v=2":    "image/png",
		"https://x/a.gif#frag":   "image/gif",
		"https://x/a.webp":       "image/webp",
		"https://x/a.svg":        "image/svg+xml",
		"https://x/a.avif":       "image/avif",
		"https://x/image":        "image/jpeg",
		"https://x/a.png.bak":    "image/jpeg",
		"https://x/dir.png/file": "image/jpeg",
	} {
		if got := imageType(in); got != want {
			t.Errorf("imageType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestItemCategories(t *testing.T) {
	a := &feedrelay.Article{
		Categories: []feedrelay.CategoryPath{{"A", "B", "C"}, {"A", "D"}, {"X", "C"}},
		Tags:       []string{"c", "new", "NEW", " "},
	}
	var got []string
	for _, c := range itemCategories("https://e.com", a, categoryURLs{}) {
		got = append(got, c.name+"@"+strings.TrimPrefix(c.url, "https://e.com/categories/"))
	}
	want := "A@A/ B@A/B/ C@A/B/C/ D@A/D/ X@X/ C@X/C/ new@"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	if names := strings.Join(categoryNames(itemCategories("https://e.com", a, categoryURLs{})), ","); names != "A,B,C,D,X,new" {
		t.Errorf("names %s", names)
	}
}

// TestXMLTextFindsForbiddenAtEveryOffset moves each forbidden character
// through every position of a string longer than the eight-byte words the
// scanner reads, so a word-boundary slip would show.
func TestXMLTextFindsForbiddenAtEveryOffset(t *testing.T) {
	base := "数字化，全面上云\n<p>abc\tdef</p>\r\n"
	for _, bad := range []string{"\x00", "\x0b", "\x1f", "\uFFFE", "\uFFFF"} {
		for i := 0; i <= len(base); i++ {
			if i < len(base) && !utf8.RuneStart(base[i]) {
				continue
			}
			in := base[:i] + bad + base[i:]
			if got := xmlText(in); got != base {
				t.Fatalf("xmlText(%q) = %q, want %q", in, got, base)
			}
		}
	}
	if got := xmlText(base); got != base {
		t.Errorf("clean text changed: %q", got)
	}
}

// TestJSONWriterMatchesEncodingJSON renders the fixture and a set of
// awkward strings both with writeJSONFeed and with encoding/json
// (SetEscapeHTML(false)) and demands the same bytes.
func TestJSONWriterMatchesEncodingJSON(t *testing.T) {
	awkward := "quote \" back\\slash \b\f\n\r\t \x01 \u2028 \u2029 “弯引号” <tag> & ünï \U0001F600 \xff end"
	items := testArticles()
	items[0].Title = awkward
	items[0].Summary = awkward
	items[0].Tags = append(items[0].Tags, awkward)
	for _, its := range [][]feedrelay.Article{items, nil} {
		m := testMeta("https://blog.example.com/feed.json")
		got, err := JSON(m, its)
		if err != nil {
			t.Fatal(err)
		}
		// The same value through encoding/json.
		f := &jsonFeed{}
		if err := json.Unmarshal(got, f); err != nil {
			t.Fatalf("output is not JSON: %v", err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(f); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("writeJSONFeed differs from encoding/json:\n got %s\nwant %s", got, want.Bytes())
		}
	}
	// Straight to the escaper, without xmlText's cleaning in between.
	for _, s := range []string{strings.ToValidUTF8(awkward, "\uFFFD"), "", "\x00\x1f", "\u2028", "a\u2029b\u2027", "“tail”"} {
		want, _ := json.Marshal(s)
		want = bytes.ReplaceAll(bytes.ReplaceAll(bytes.ReplaceAll(want, []byte(`\u003c`), []byte("<")), []byte(`\u003e`), []byte(">")), []byte(`\u0026`), []byte("&"))
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

// TestXMLTextMatchesReference compares xmlText's word-at-a-time check with
// a rune-by-rune reference on many generated strings: valid and broken UTF-8,
// every kind of sequence, forbidden characters at every offset.
func TestXMLTextMatchesReference(t *testing.T) {
	reference := func(s string) bool {
		if !utf8.ValidString(s) {
			return false
		}
		for _, r := range s {
			if !isXMLChar(r) {
				return false
			}
		}
		return true
	}
	pieces := []string{"a", "abcdefgh", "\n", "\t", "\x00", "\x1f", "\x7f", "é", "中文", "\U0001F600", "\uFFFD",
		"\uFFFE", "\uFFFF", "\uFF0C", "\xef\xbf", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf0\x80\x80\x80",
		"\xc0\x80", "\x80", "\xff", "\xe2\x80", "0123456789abcdef"}
	seed := uint64(1)
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		for k := 0; k < 1+n%7; k++ {
			seed = seed*6364136223846793005 + 1442695040888963407
			b.WriteString(pieces[(seed>>33)%uint64(len(pieces))])
		}
		s := b.String()
		if got, want := xmlText(s) == s, reference(s); got != want {
			t.Fatalf("xmlText(%q) kept it unchanged: %v, reference says clean: %v", s, got, want)
		}
		if c := xmlText(s); !reference(c) {
			t.Fatalf("xmlText(%q) = %q is not clean", s, c)
		}
	}
}
