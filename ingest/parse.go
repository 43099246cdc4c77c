package ingest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"mime"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"

	"github.com/feedrelay/feedrelay/sanitize"
)

// ErrNotFeed is what every ParseFeed error wraps: the body is no feed we can
// read (an HTML page, other JSON, an empty body, or a feed too broken to
// parse). errors.Is(err, ErrNotFeed) tells it from a transport failure.
var ErrNotFeed = errors.New("not a feed")

// parseError is a body that looked like a feed but did not parse. Its
// message starts "parse feed:" and it matches ErrNotFeed.
type parseError struct{ err error }

func (e *parseError) Error() string        { return "parse feed: " + e.err.Error() }
func (e *parseError) Unwrap() error        { return e.err }
func (e *parseError) Is(target error) bool { return target == ErrNotFeed }

func notFeed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrNotFeed}, args...)...)
}

// ParseFeed parses body (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed) with
// gofeed. contentType is the response's Content-Type header; its charset
// matters when the body is not UTF-8 (see toUTF8). feedURL is not used:
// relative links are resolved by MapItems. Every error wraps ErrNotFeed.
func ParseFeed(body []byte, contentType string, feedURL *url.URL) (*gofeed.Feed, error) {
	body = toUTF8(body, contentType)
	isJSON, err := sniff(body)
	if err != nil {
		return nil, err
	}
	p := gofeed.NewParser()
	// We pick the image ourselves from the sanitized content (see MapItems),
	// so gofeed's scan of the raw HTML would be wasted work.
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	// Only the JSON original tells content_text from content_html.
	p.KeepOriginalFeed = isJSON
	f, err := p.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, &parseError{err}
	}
	return f, nil
}

// xmlEncoding finds the encoding pseudo-attribute of an XML declaration
// at the start of the body; submatch 1 is the value.
var xmlEncoding = regexp.MustCompile(`\A\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"'>]*)["']`)

// toUTF8 returns body as UTF-8 with any XML declaration saying so, so gofeed
// (which decodes by the declaration alone) reads it right. The encoding is,
// in order: a byte order mark; UTF-8 if the body is valid UTF-8 (GBK and
// Big5 text is practically never valid UTF-8, while a declaration left at
// "gbk" on a site converted to UTF-8 is common); else the XML declaration;
// else the HTTP charset. A body that is still not valid UTF-8 has its bad
// bytes replaced by U+FFFD rather than failing the whole feed.
func toUTF8(body []byte, contentType string) []byte {
	switch {
	case bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")):
		body = body[3:]
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}), bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		if out, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(body); err == nil {
			body = out
		}
	}
	if !utf8.Valid(body) {
		decoded := false
		for _, label := range []string{declaredEncoding(body), httpCharset(contentType)} {
			enc, name := charset.Lookup(label)
			if enc == nil || name == "utf-8" {
				continue
			}
			if out, err := enc.NewDecoder().Bytes(body); err == nil {
				body, decoded = out, true
				break
			}
		}
		if !decoded || !utf8.Valid(body) {
			body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
		}
	}
	if m := xmlEncoding.FindSubmatchIndex(body); m != nil && !strings.EqualFold(string(body[m[2]:m[3]]), "utf-8") {
		body = slices.Concat(body[:m[2]], []byte("UTF-8"), body[m[3]:])
	}
	return body
}

func declaredEncoding(body []byte) string {
	if m := xmlEncoding.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}

func httpCharset(contentType string) string {
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return params["charset"]
	}
	// Lenient fallback for headers mime rejects ("text/xml; charset=gbk;").
	if _, rest, ok := strings.Cut(strings.ToLower(contentType), "charset="); ok {
		rest, _, _ = strings.Cut(rest, ";")
		return strings.Trim(strings.TrimSpace(rest), `"'`)
	}
	return ""
}

// sniff rejects bodies that are plainly not feeds, with a message saying
// what they are, and reports whether the body is JSON.
func sniff(body []byte) (isJSON bool, err error) {
	s := bytes.TrimLeft(body, " \t\r\n")
	if len(s) == 0 {
		return false, notFeed("empty body")
	}
	switch s[0] {
	case '{':
		var probe struct {
			Version any               `json:"version"`
			Items   []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(s, &probe); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return true, notFeed("JSON but not a JSON Feed (%q is not what JSON Feed 1.1 says it is)", te.Field)
			}
			return true, &parseError{fmt.Errorf("invalid JSON: %w", err)}
		}
		// JSON Feed 1.1 section "JSON Feed": version is required.
		if v, _ := probe.Version.(string); !strings.Contains(v, "jsonfeed.org/version/") {
			return true, notFeed("JSON but not a JSON Feed (no \"version\": \"https://jsonfeed.org/version/1.1\")")
		}
		if len(probe.Items) > MaxParsedItems {
			return true, notFeed("a JSON Feed of %d items, more than the %d feedrelay reads", len(probe.Items), MaxParsedItems)
		}
		for i, it := range probe.Items {
			if len(it) == 0 || it[0] != '{' {
				return true, notFeed("JSON Feed item %d is not an object", i+1)
			}
		}
		return true, nil
	case '[':
		return true, notFeed("JSON but not a JSON Feed (an array)")
	case '<':
		root, isHTML := rootElement(s)
		local := strings.ToLower(root)
		switch {
		case local == "rss" || local == "rdf" || local == "feed":
			return false, checkXMLShape(s)
		case isHTML && root == "":
			return false, notFeed("looks like an HTML page (<!DOCTYPE html>)")
		case isHTML || local == "html" || local == "head" || local == "body":
			return false, notFeed("looks like an HTML page (<%s>)", local)
		case root == "":
			return false, notFeed("no root element (cut off, or not XML)")
		}
		return false, notFeed("XML document with root element <%s>, not <rss>, <rdf:RDF> or <feed>", root)
	}
	head := s[:min(len(s), 16)]
	return false, notFeed("starts with %q, neither XML nor JSON", strings.ToValidUTF8(string(head), "?"))
}

// rootElement returns the local name of the first element of s (UTF-8
// by now) and whether a DOCTYPE before it names html.
func rootElement(s []byte) (name string, htmlDoctype bool) {
	d := xml.NewDecoder(bytes.NewReader(s))
	d.Strict = false
	for {
		tok, err := d.RawToken()
		if err != nil {
			return "", htmlDoctype
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t.Name.Local, htmlDoctype
		case xml.Directive:
			htmlDoctype = htmlDoctype || bytes.HasPrefix(bytes.ToLower(t), []byte("doctype html"))
		}
	}
}

// htmlInText spots markup in a field that ought to be text (titles, names):
// a common tag or an entity. Only then is it read as HTML, so a literal
// "Use <T> in Go" survives.
var htmlInText = regexp.MustCompile(`(?i)</?(?:a|b|i|u|s|em|strong|span|font|br|p|div|sup|sub|small|big|code|mark|q|cite|abbr|img|strike|del|ins)\b[^<>]*>|&(?:[a-z][a-z0-9]{1,31}|#[0-9]{1,7}|#x[0-9a-f]{1,6});`)

// plainTitle is s as plain text on one line: tags and entities dropped if
// it has any, white space collapsed, trimmed.
func plainTitle(s string) string {
	if htmlInText.MatchString(s) {
		return sanitize.PlainText(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// truncateBytes cuts s to at most n bytes at a rune boundary.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") // drops a rune cut in half
}

// absHTTP returns the first candidate that, resolved against base (nil:
// it must be absolute), is an absolute http(s) URL, or "".
func absHTTP(base *url.URL, cands ...string) string {
	for _, c := range cands {
		u, err := url.Parse(strings.TrimSpace(c))
		if err != nil || strings.TrimSpace(c) == "" {
			continue
		}
		if base != nil {
			u = base.ResolveReference(u)
		}
		if (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return u.String()
		}
	}
	return ""
}

// textHTML turns plain text into paragraphs: blank lines separate them,
// single line breaks become <br>.
func textHTML(text string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>")
		}
	}
	return b.String()
}

// firstImg is the src of the first <img> in sanitized HTML.
func firstImg(s string) string {
	if !strings.Contains(s, "<img") {
		return ""
	}
	z := xhtml.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return ""
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			if t := z.Token(); t.Data == "img" {
				for _, a := range t.Attr {
					if a.Key == "src" {
						return a.Val
					}
				}
			}
		}
	}
}

// images picks the head image and thumbnail: Media RSS content of an image
// type (also inside media:group), media:thumbnail, an image enclosure, the
// image gofeed found (itunes:image, JSON image or banner_image), else the
// first image left in the sanitized content. Each must resolve to absolute
// http(s) against base.
func images(it *gofeed.Item, base *url.URL, content string) (image, thumb string) {
	var cands, thumbs []string
	media := it.Extensions["media"]
	groups := []map[string][]ext.Extension{media}
	for _, g := range media["group"] {
		groups = append(groups, g.Children)
	}
	for _, g := range groups {
		for _, c := range g["content"] {
			if strings.HasPrefix(c.Attrs["type"], "image/") || c.Attrs["medium"] == "image" {
				cands = append(cands, c.Attrs["url"])
			}
		}
		for _, t := range g["thumbnail"] {
			thumbs = append(thumbs, t.Attrs["url"])
		}
	}
	cands = append(cands, thumbs...)
	for _, e := range it.Enclosures {
		if e != nil && strings.HasPrefix(e.Type, "image/") {
			cands = append(cands, e.URL)
		}
	}
	if it.Image != nil {
		cands = append(cands, it.Image.URL)
	}
	cands = append(cands, firstImg(content))
	image, thumb = absHTTP(base, cands...), absHTTP(base, thumbs...)
	if thumb == "" {
		thumb = image
	}
	return image, thumb
}

// Bounds on what is handed to gofeed. A body under the size cap can still
// cost far more to parse than its size: 100,000 tiny items, or elements
// nested a million deep, took hundreds of MB and tens of seconds in gofeed
// and the sanitizer. No real feed comes near these.
const (
	MaxParsedItems = 10000 // items (or entries) in one feed body
	MaxXMLDepth    = 256   // element nesting outside CDATA
)

// checkXMLShape scans the XML once, without building anything, and
// refuses bodies nested deeper than MaxXMLDepth or with more than
// MaxParsedItems items. Comments, CDATA, processing instructions and the
// DOCTYPE are skipped; quoted attribute values may hold '>'.
func checkXMLShape(s []byte) error {
	depth, items := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		rest := s[i+1:]
		switch {
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			i += skipPast(rest, "]]>")
		case bytes.HasPrefix(rest, []byte("!--")):
			i += skipPast(rest, "-->")
		case len(rest) > 0 && (rest[0] == '!' || rest[0] == '?'):
			i += skipPast(rest, ">")
		case len(rest) > 0 && rest[0] == '/':
			depth--
			i += skipPast(rest, ">")
		default:
			end, selfClosing := tagEnd(rest)
			name := rest[:nameLen(rest)]
			if j := bytes.IndexByte(name, ':'); j >= 0 {
				name = name[j+1:]
			}
			if string(name) == "item" || string(name) == "entry" {
				if items++; items > MaxParsedItems {
					return notFeed("a feed of more than %d items, more than feedrelay reads", MaxParsedItems)
				}
			}
			if !selfClosing {
				if depth++; depth > MaxXMLDepth {
					return notFeed("elements nested more than %d deep", MaxXMLDepth)
				}
			}
			i += end
		}
	}
	return nil
}

// skipPast returns how far past the end of marker in rest the scan goes
// (to the end of rest if it is missing).
func skipPast(rest []byte, marker string) int {
	j := bytes.Index(rest, []byte(marker))
	if j < 0 {
		return len(rest)
	}
	return j + len(marker)
}

// tagEnd finds the '>' ending a start tag, outside quoted values.
func tagEnd(rest []byte) (end int, selfClosing bool) {
	var quote byte
	for j, c := range rest {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return j + 1, j > 0 && rest[j-1] == '/'
		}
	}
	return len(rest), false
}

func nameLen(rest []byte) int {
	for j, c := range rest {
		if c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r' {
			return j
		}
	}
	return len(rest)
}
