package feedrelay

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Article is one stored item, whichever way it arrived (post import, write
// API, upstream poll).
type Article struct {
	// ID is the storage row id. It is internal: never part of a URL or GUID,
	// because a fresh database would hand out different ones.
	ID int64
	// Key is the stable public identifier used in /articles/{key}. For
	// imported posts it is the front-matter id, else the permalink, else the
	// slug Hexo derives from the file name (see posts.Parse).
	Key string
	// GUID never changes once stored; see GUIDForKey.
	GUID        string
	Title       string // plain text
	Author      string
	Summary     string // plain text, a sentence or two
	ContentHTML string // sanitized HTML
	// Link is the canonical URL of the article when it lives elsewhere
	// (upstream items, API articles that name one). Empty means the
	// article's own page, /articles/{key}; see URL.
	Link      string
	Image     string // head image URL
	Thumbnail string
	Published time.Time
	Updated   time.Time
	Comments  bool
	// Categories are the article's hierarchies as written (each root to
	// leaf). The article also belongs to every ancestor level.
	Categories []CategoryPath
	Tags       []string
	Source     Attribution
	// SourceID is the upstream source the article was polled from (0 for
	// local posts and API articles).
	SourceID int64
	// Seq is the article's place in the order articles were first stored
	// (the cursor API's order); set by storage.
	Seq Cursor
}

// Attribution records where a re-syndicated article came from.
type Attribution struct {
	Title          string // source feed title
	URL            string // source feed URL
	OriginalLink   string
	OriginalAuthor string
}

// IsZero reports whether no attribution is set (a local article).
func (a Attribution) IsZero() bool { return a == Attribution{} }

// URL returns the absolute URL that feed items and pages link to.
func (a *Article) URL(baseURL string) string {
	if a.Link != "" {
		return a.Link
	}
	return strings.TrimRight(baseURL, "/") + "/articles/" + EscapeKeyPath(a.Key)
}

// Modified is the article's last change time: Updated if set, else Published.
func (a *Article) Modified() time.Time {
	if a.Updated.After(a.Published) {
		return a.Updated
	}
	return a.Published
}

// EscapeKeyPath percent-encodes each "/"-separated segment of a key so it
// can stand in a URL path.
func EscapeKeyPath(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// GUIDForKey returns the GUID of an article whose key is key. A key that is
// already an absolute URI (urn:uuid:..., tag:...) is used as it is; anything
// else becomes urn:feedrelay:post:<key> with the key escaped as a URN's
// namespace-specific string (RFC 2141 section 2.2: "/", "?", "#", "%",
// non-ASCII and the like are percent-encoded, so the W3C validator accepts
// it as an Atom id). The GUID is derived from the key, never from a row id,
// so it survives re-imports, restarts and a fresh database. Atom requires
// the id to be an IRI (RFC 4287 section 4.2.6), which both forms are.
func GUIDForKey(key string) string {
	if isAbsoluteURI(key) {
		return key
	}
	return "urn:feedrelay:post:" + escapeURN(key)
}

// escapeURN percent-encodes every byte that RFC 2141's <trans> set does not
// allow unescaped.
func escapeURN(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("()+,-.:=@;$_!*'", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func isAbsoluteURI(s string) bool {
	i := strings.IndexByte(s, ':')
	if i < 2 { // "c:" and ":x" are not schemes worth trusting
		return false
	}
	for j, r := range s[:i] {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case j > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	rest := s[i+1:]
	return rest != "" && !strings.ContainsAny(s, " \t\r\n")
}

// Limits on article fields, enforced by Validate.
const (
	MaxTitleLen   = 1000
	MaxKeyLen     = 500
	MaxContentLen = 4 << 20
	MaxCategories = 20
	MaxTags       = 100
)

// Validate checks the fields every stored article needs and returns a
// *FieldError naming the first bad one.
func (a *Article) Validate() error {
	switch {
	case strings.TrimSpace(a.Title) == "":
		return &FieldError{Field: "title", Reason: "title is required"}
	case utf8.RuneCountInString(a.Title) > MaxTitleLen:
		return &FieldError{Field: "title", Reason: "title is longer than 1000 characters"}
	case strings.TrimSpace(a.Key) == "":
		return &FieldError{Field: "id", Reason: "id is required"}
	case len(a.Key) > MaxKeyLen:
		return &FieldError{Field: "id", Reason: "id is longer than 500 bytes"}
	case strings.ContainsAny(a.Key, "?#\x00") || strings.HasPrefix(a.Key, "/") || strings.HasSuffix(a.Key, "/") || strings.Contains(a.Key, "//"):
		return &FieldError{Field: "id", Reason: "id must not contain '?', '#', NUL, '//', or start or end with '/'"}
	case hasControl(a.Key) || hasControl(a.GUID):
		return &FieldError{Field: "id", Reason: "id and guid must not contain control characters"}
	case hasDotSegment(a.Key):
		// /articles/a/../b would be normalised away by clients.
		return &FieldError{Field: "id", Reason: "id must not have '.' or '..' between slashes"}
	case len(a.Categories) > MaxCategories:
		return &FieldError{Field: "categories", Reason: fmt.Sprintf("an article may be in at most %d categories", MaxCategories)}
	case len(a.Tags) > MaxTags:
		return &FieldError{Field: "tags", Reason: fmt.Sprintf("an article may have at most %d tags", MaxTags)}
	case strings.TrimSpace(a.GUID) == "":
		return &FieldError{Field: "guid", Reason: "guid is required"}
	case !isAbsoluteURI(a.GUID):
		// Atom ids must be IRIs (RFC 4287 4.2.6); RSS readers don't mind.
		return &FieldError{Field: "guid", Reason: "guid must be an absolute URI, like urn:uuid:… or tag:example.com,2024:post-1"}
	case a.Published.IsZero():
		return &FieldError{Field: "published", Reason: "published date is required"}
	case !inDateRange(a.Published):
		return &FieldError{Field: "published", Reason: "published date must be between the years 1800 and 2200"}
	case !a.Updated.IsZero() && !inDateRange(a.Updated):
		return &FieldError{Field: "updated", Reason: "updated date must be between the years 1800 and 2200"}
	case len(a.ContentHTML) > MaxContentLen:
		return &FieldError{Field: "content_html", Reason: "content_html is larger than 4 MiB"}
	}
	for _, u := range []struct{ field, v string }{{"link", a.Link}, {"image", a.Image}, {"thumbnail", a.Thumbnail},
		{"source.url", a.Source.URL}, {"source.original_link", a.Source.OriginalLink}} {
		if u.v == "" {
			continue
		}
		p, err := url.Parse(u.v)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return &FieldError{Field: u.field, Reason: u.field + " must be an absolute http(s) URL"}
		}
	}
	for _, c := range a.Categories {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	for _, t := range a.Tags {
		if strings.TrimSpace(t) == "" {
			return &FieldError{Field: "tags", Reason: "tags must not be empty"}
		}
		if hasControl(t) {
			return &FieldError{Field: "tags", Reason: "tags must not contain control characters"}
		}
	}
	return nil
}

// inDateRange keeps dates where storage (nanoseconds since 1970 in 64 bits,
// 1678-2262) and every feed format can carry them; anything outside is a
// typo in practice ("2922").
func inDateRange(t time.Time) bool {
	return t.Year() >= 1800 && t.Year() < 2200
}

func hasDotSegment(key string) bool {
	for _, seg := range strings.Split(key, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// Clean makes the free-text fields safe for XML 1.0 (CleanXMLText):
// mirrored posts and upstream items do carry stray control characters, and
// dropping them is what any feed would have to do anyway. Storage calls it
// on write, so renderers can trust stored content and need not scan an
// article's full HTML again on every render. Identifiers, URLs, tags and
// category names are not cleaned but validated: a control character there
// is an error the writer should hear about.
func (a *Article) Clean() {
	for _, f := range []*string{&a.Title, &a.Author, &a.Summary, &a.ContentHTML, &a.Source.Title, &a.Source.OriginalAuthor} {
		*f = CleanXMLText(*f)
	}
}
