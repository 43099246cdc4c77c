package sanitize

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// referrerPolicyValue lists the values browsers understand for an img's
// referrerpolicy attribute.
var referrerPolicyValue = regexp.MustCompile(`^(?i:no-referrer|no-referrer-when-downgrade|origin|origin-when-cross-origin|same-origin|strict-origin|strict-origin-when-cross-origin|unsafe-url)$`)

// addNoReferrer gives every <img> without a referrerpolicy the value
// no-referrer. Outside content hotlinks images from CDNs (WeChat's
// mmbiz.qpic.cn, ofweek mirrors) that refuse requests whose Referer is a
// foreign site, so the images only load when no Referer is sent; for other
// hosts the cost is merely that they do not learn our page's URL. An
// existing referrerpolicy is left as the author wrote it.
//
// s is bluemonday output: tags are well formed, names are lower case and
// attribute values are escaped, so a tag always ends at its last '>'.
func addNoReferrer(s string) string {
	if !strings.Contains(s, "<img") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 64)
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			// io.EOF: the input is a string, so there is no other error.
			return b.String()
		}
		// Raw is copied before TagName, which may rewrite the buffer.
		raw := string(z.Raw())
		if (tt == html.StartTagToken || tt == html.SelfClosingTagToken) && needsReferrerPolicy(z) {
			end := strings.LastIndexByte(raw, '>')
			if end > 0 && raw[end-1] == '/' {
				end--
			}
			b.WriteString(strings.TrimRight(raw[:end], " "))
			b.WriteString(` referrerpolicy="no-referrer"`)
			b.WriteString(raw[end:])
			continue
		}
		b.WriteString(raw)
	}
}

// needsReferrerPolicy reports whether the tag z is on is an img without a
// referrerpolicy attribute.
func needsReferrerPolicy(z *html.Tokenizer) bool {
	name, more := z.TagName()
	if string(name) != "img" {
		return false
	}
	for more {
		var key []byte
		key, _, more = z.TagAttr()
		if string(key) == "referrerpolicy" {
			return false
		}
	}
	return true
}
