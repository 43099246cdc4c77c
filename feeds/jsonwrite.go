package feeds

import (
	"time"

	"github.com/gorilla/feeds"
)

// writeJSONFeed serializes f exactly as encoding/json would (gorilla's
// field names and order, omitempty, SetEscapeHTML(false), no indentation),
// but with its own string escaper. encoding/json decodes every rune of every
// string to validate it, which made JSON the slowest of the three formats
// for CJK content (a third of a 50-item render in content_html alone); the
// text reaching here was already validated by xmlText, so a byte scan is
// enough. TestJSONWriterMatchesEncodingJSON holds the two to the same bytes.
func writeJSONFeed(b []byte, f *jsonFeed) []byte {
	b = append(b, '{')
	w := jsonObject{b: b}
	w.str("version", f.Version, false)
	w.str("title", f.Title, false)
	w.str("language", f.Language, true)
	w.str("home_page_url", f.HomePageUrl, true)
	w.str("feed_url", f.FeedUrl, true)
	w.str("description", f.Description, true)
	if len(f.Hubs) > 0 {
		w.key("hubs")
		w.b = appendArray(w.b, f.Hubs, func(b []byte, h *feeds.JSONHub) []byte {
			hw := jsonObject{b: append(b, '{')}
			hw.str("type", h.Type, false)
			hw.str("url", h.Url, false)
			return append(hw.b, '}')
		})
	}
	// "items" is written even when empty: JSON Feed 1.1 requires it.
	w.key("items")
	w.b = append(w.b, '[')
	for i := range f.Items {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = writeJSONItem(w.b, &f.Items[i])
	}
	w.b = append(w.b, ']', '}', '\n')
	return w.b
}

// appendArray writes list as a JSON array, each element by write.
func appendArray[T any](b []byte, list []T, write func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, v := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = write(b, v)
	}
	return append(b, ']')
}

func writeJSONItem(b []byte, it *jsonItem) []byte {
	b = append(b, '{')
	w := jsonObject{b: b}
	w.str("id", it.Id, false)
	w.str("url", it.Url, true)
	w.str("external_url", it.ExternalUrl, true)
	w.str("title", it.Title, true)
	w.str("content_html", it.ContentHTML, true)
	w.str("content_text", it.ContentText, true)
	w.str("summary", it.Summary, true)
	w.str("image", it.Image, true)
	w.time("date_published", it.PublishedDate)
	w.time("date_modified", it.ModifiedDate)
	if it.Author != nil {
		w.key("author")
		w.b = writeJSONAuthor(w.b, it.Author)
	}
	if len(it.Authors) > 0 {
		w.key("authors")
		w.b = appendArray(w.b, it.Authors, writeJSONAuthor)
	}
	if len(it.Tags) > 0 {
		w.key("tags")
		w.b = appendArray(w.b, it.Tags, appendJSONString)
	}
	if x := it.Feedrelay; x != nil {
		w.key("_feedrelay")
		w.b = append(w.b, '{')
		xw := jsonObject{b: w.b}
		xw.str("source_title", x.SourceTitle, true)
		xw.str("source_url", x.SourceURL, true)
		xw.str("original_link", x.OriginalLink, true)
		xw.str("original_author", x.OriginalAuthor, true)
		w.b = append(xw.b, '}')
	}
	return append(w.b, '}')
}

func writeJSONAuthor(b []byte, a *feeds.JSONAuthor) []byte {
	b = append(b, '{')
	w := jsonObject{b: b}
	w.str("name", a.Name, true)
	w.str("url", a.Url, true)
	w.str("avatar", a.Avatar, true)
	return append(w.b, '}')
}

// jsonObject appends the members of one object, placing the commas.
type jsonObject struct {
	b    []byte
	more bool
}

func (w *jsonObject) key(k string) {
	if w.more {
		w.b = append(w.b, ',')
	}
	w.more = true
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

func (w *jsonObject) str(k, v string, omitEmpty bool) {
	if omitEmpty && v == "" {
		return
	}
	w.key(k)
	w.b = appendJSONString(w.b, v)
}

// time writes t as encoding/json does (RFC 3339 with nanoseconds if any).
func (w *jsonObject) time(k string, t *time.Time) {
	if t == nil {
		return
	}
	w.key(k)
	w.b = append(w.b, '"')
	w.b = t.AppendFormat(w.b, time.RFC3339Nano)
	w.b = append(w.b, '"')
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does without HTML escaping:
// '"' and '\\' escaped, control characters as \b \f \n \r \t or \u00XX,
// and U+2028/U+2029 as \u2028/\u2029 (they end lines in JavaScript).
// s must be valid UTF-8: every string of a jsonFeed went through xmlText,
// which guarantees it, so checking again would only cost time (it was a
// tenth of a JSON render).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != 0xE2 {
			continue
		}
		if c == 0xE2 {
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) {
				b = append(b, s[start:i]...)
				b = append(b, `\u202`...)
				b = append(b, hexDigits[s[i+2]&0xF])
				i += 2
				start = i + 1
			}
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, `\u00`...)
			b = append(b, hexDigits[c>>4], hexDigits[c&0xF])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
