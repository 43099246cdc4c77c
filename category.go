package feedrelay

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// CategoryPath is one category hierarchy, root first: [新媒体 高科技行业门户 新闻]
// is 新媒体 > 高科技行业门户 > 新闻. An article in it belongs to every level.
type CategoryPath []string

// Category is one stored category node.
type Category struct {
	ID       int64
	ParentID int64 // 0 for a root
	Name     string
	Path     CategoryPath // names from the root down to this category
	Slug     string       // URL path below /categories/, see SlugPath
	Count    int          // articles in it, descendants included
}

// Depth is 1 for a root category.
func (c Category) Depth() int { return len(c.Path) }

// Validate rejects empty and oversized level names.
func (p CategoryPath) Validate() error {
	if len(p) == 0 {
		return &FieldError{Field: "categories", Reason: "a category must have at least one level"}
	}
	if len(p) > 10 {
		return &FieldError{Field: "categories", Reason: "a category must have at most 10 levels"}
	}
	for _, name := range p {
		if strings.TrimSpace(name) == "" {
			return &FieldError{Field: "categories", Reason: "category names must not be empty"}
		}
		if len(name) > 200 {
			return &FieldError{Field: "categories", Reason: "category names must be at most 200 bytes"}
		}
		if hasControl(name) {
			return &FieldError{Field: "categories", Reason: "category names must not contain control characters"}
		}
	}
	return nil
}

// String joins the levels with " > " for people to read.
func (p CategoryPath) String() string { return strings.Join(p, " > ") }

// Levels returns every prefix of p, root first: the categories an article
// filed under p belongs to.
func (p CategoryPath) Levels() []CategoryPath {
	out := make([]CategoryPath, len(p))
	for i := range p {
		out[i] = p[: i+1 : i+1]
	}
	return out
}

// SlugPath is the category's URL path as Hexo writes its category pages:
// each level slugized (Slugize) and percent-encoded, joined by "/".
// [新媒体 高科技行业门户] gives %E6%96%B0%E5%AA%92%E4%BD%93/%E9%AB%98...
func (p CategoryPath) SlugPath() string {
	segs := make([]string, len(p))
	for i, name := range p {
		segs[i] = url.PathEscape(Slugize(name))
	}
	return strings.Join(segs, "/")
}

// CategoryURL is the absolute URL of the category's HTML page.
func CategoryURL(baseURL string, p CategoryPath) string {
	return strings.TrimRight(baseURL, "/") + "/categories/" + p.SlugPath() + "/"
}

// hexoSpecial is the set hexo-util's slugize replaces with the separator:
// /[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'<>,.?/]+/ (hexo-util lib/slugize.js).
const hexoSpecial = "~`!@#$%^&*()-_+=[]{}|\\;:\"'<>,.?/"

// Slugize turns a category name into its URL segment the way Hexo does
// (filename_case 0): diacritics dropped, control characters removed, runs of
// whitespace and ASCII punctuation become one "-", leading and trailing "-"
// trimmed. CJK and other letters are kept as they are. A name that would
// slugize to nothing keeps its own text so it still has a page.
func Slugize(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // combining mark left by NFD: the diacritic
		case r < 0x20:
			continue
		case unicode.IsSpace(r) || (r < 0x80 && strings.ContainsRune(hexoSpecial, r)):
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return strings.TrimSpace(name)
	}
	return norm.NFC.String(b.String())
}

// ParseSlugPath splits a request path below /categories/ into its
// canonical SlugPath form. It accepts both percent-encoded and raw UTF-8
// segments, so /categories/新媒体/ and /categories/%E6%96%B0.../ name the
// same category.
func ParseSlugPath(raw string) (string, bool) {
	segs, ok := UnescapeSegments(raw)
	if !ok {
		return "", false
	}
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/"), true
}

// UnescapeSegments splits an escaped URL path (leading and trailing "/"
// ignored) into its unescaped segments; false if it is empty, has an empty
// segment or a bad escape.
func UnescapeSegments(escaped string) ([]string, bool) {
	escaped = strings.Trim(escaped, "/")
	if escaped == "" {
		return nil, false
	}
	segs := strings.Split(escaped, "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil || u == "" {
			return nil, false
		}
		segs[i] = u
	}
	return segs, true
}

// hasControl reports C0 control characters (tab and newline included) and
// DEL, which have no place in a name and which storage uses as separators.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}
