package telegram

import (
	"net/url"
	"strings"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// Telegram's HTML mode wants every "<", ">" and "&" that is not markup
// escaped, and knows only the named entities &lt; &gt; &amp; &quot;
// (https://core.telegram.org/bots/api#html-style): text needs what Slack's
// does (platform.EscapeEntities), an attribute the quote as well.
var attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func escapeText(s string) string { return platform.EscapeEntities(s) }
func escapeAttr(s string) string { return attrEscaper.Replace(s) }

// cut returns the longest sanitize.Truncate of plain text s that is at
// most limit long (ellipsis included), "" when none is: Telegram counts
// text in UTF-16 units after entities parsing, so the plain text is what
// is measured (platform.FitUTF16).
func cut(s string, limit int) string { return platform.FitUTF16(s, limit, nil) }

// linkable reports whether Telegram may get u as an href: http and https
// URLs with a host, and tg:// links. javascript:, data: and relative URLs
// are not.
func linkable(u string) bool {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return p.Host != ""
	case "tg":
		return true
	}
	return false
}
