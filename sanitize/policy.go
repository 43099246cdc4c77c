package sanitize

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// Policy is the allow-list every piece of outside HTML passes through:
// imported posts, upstream feed items and write-API bodies alike, so there
// is one place to decide what a reader's browser may be handed. It is safe
// for concurrent use.
type Policy struct {
	bm     *bluemonday.Policy
	styles *styleFilter
}

// New builds the policy. Building it compiles regular expressions, so make
// one and share it.
func New() *Policy {
	bm := bluemonday.NewPolicy()

	bm.AllowElements(
		"p", "div", "span", "br", "hr", "wbr",
		"h1", "h2", "h3", "h4", "h5", "h6",
		"strong", "b", "em", "i", "u", "s", "del", "ins", "mark", "small",
		"sub", "sup", "kbd", "samp", "var", "cite", "q",
		"blockquote", "pre", "code",
		"ul", "ol", "li", "dl", "dt", "dd",
		"figure", "figcaption",
		"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
		// WeChat-style articles nest everything in <section>; stripping it
		// would run their paragraphs together.
		"section", "article", "header", "footer", "aside", "address",
	)

	// Links. Only schemes a reader would follow on purpose; javascript:,
	// data:, vbscript: and the rest lose their href and with it the <a>.
	// Relative URLs stay, because imported Hexo posts link within their site.
	bm.AllowURLSchemes("http", "https", "mailto")
	bm.AllowRelativeURLs(true)
	bm.AllowAttrs("href").OnElements("a")
	bm.AllowAttrs("title").OnElements("a", "abbr", "img")
	bm.AllowElements("abbr")
	// target="_blank" is kept when the source asked for it (the seed's links
	// do) and nothing else is: a named target could drive one of our frames.
	// bluemonday adds rel="noopener" to every link that keeps it.
	bm.AllowAttrs("target").Matching(regexp.MustCompile(`^_blank$`)).OnElements("a")
	// We do not vouch for links in outside content.
	bm.RequireNoFollowOnLinks(true)

	// Images. srcset is dropped on purpose: bluemonday checks src against
	// the scheme allow-list but treats srcset as an opaque string, so keeping
	// it would let any scheme in.
	bm.AllowAttrs("src").OnElements("img")
	bm.AllowAttrs("alt").OnElements("img")
	bm.AllowAttrs("width", "height").Matching(regexp.MustCompile(`^\d{1,5}(px|%)?$`)).OnElements("img")
	bm.AllowAttrs("referrerpolicy").Matching(referrerPolicyValue).OnElements("img")
	bm.AllowAttrs("loading").Matching(regexp.MustCompile(`^(lazy|eager)$`)).OnElements("img")

	// Tables, lists and code.
	bm.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^\d{1,3}$`)).OnElements("td", "th")
	bm.AllowAttrs("align").Matching(regexp.MustCompile(`^(?i:left|right|center|justify)$`)).OnElements("td", "th")
	bm.AllowAttrs("start").Matching(regexp.MustCompile(`^-?\d{1,9}$`)).OnElements("ol")
	// Markdown renderers mark fenced code with class="language-go"; readers
	// use it for highlighting. Other classes could hook into our own CSS.
	bm.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w+#.-]{1,40}$`)).OnElements("code")

	// Text direction and language matter for mixed CJK/Latin text.
	bm.AllowAttrs("dir").Matching(regexp.MustCompile(`^(?i:ltr|rtl|auto)$`)).Globally()
	bm.AllowAttrs("lang").Matching(regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)).Globally()

	// Inline styles pass bluemonday as they are and are filtered after it
	// (see styleFilter), so each distinct style value is parsed once.
	bm.AllowAttrs("style").Globally()

	return &Policy{bm: bm, styles: newStyleFilter()}
}

// HTML returns s with everything outside the policy removed. Every <img>
// that survives carries a referrerpolicy; see addNoReferrer.
func (p *Policy) HTML(s string) string {
	return addNoReferrer(p.styles.apply(p.bm.Sanitize(s)))
}
