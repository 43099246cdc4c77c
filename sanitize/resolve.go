package sanitize

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// ResolveURLs makes the relative href of links and src of images in s
// absolute against base. Feed readers show an article far from the site it
// came from, where "/images/a.png" or an asset-folder "cover.jpg" points
// nowhere. s must be sanitized HTML (Policy.HTML output), whose tags are
// well formed; fragment-only links ("#note-1") are left alone, since they
// point within the article.
func ResolveURLs(s string, base *url.URL) string {
	if base == nil || (!strings.Contains(s, "href=") && !strings.Contains(s, "src=")) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 256)
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String() // io.EOF: the input is a string
		case html.StartTagToken, html.SelfClosingTagToken:
			raw := string(z.Raw()) // copied before Token, which may reuse the buffer
			tok := z.Token()
			if resolveAttrs(&tok, base) {
				b.WriteString(tok.String())
			} else {
				b.WriteString(raw)
			}
		default:
			b.Write(z.Raw())
		}
	}
}

// resolveAttrs rewrites tok's relative href/src in place and reports
// whether it changed any.
func resolveAttrs(tok *html.Token, base *url.URL) bool {
	changed := false
	for i, a := range tok.Attr {
		if (a.Key != "href" || tok.Data != "a") && (a.Key != "src" || tok.Data != "img") {
			continue
		}
		v := strings.TrimSpace(a.Val)
		if v == "" || strings.HasPrefix(v, "#") {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || u.IsAbs() {
			continue
		}
		tok.Attr[i].Val = base.ResolveReference(u).String()
		changed = true
	}
	return changed
}
