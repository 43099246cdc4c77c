package telegram

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/sanitize"
)

// Telegram's HTML mode wants every "<", ">" and "&" that is not markup
// escaped, and knows only the named entities &lt; &gt; &amp; &quot;
// (https://core.telegram.org/bots/api#html-style).
var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
)

func escapeText(s string) string { return textEscaper.Replace(s) }
func escapeAttr(s string) string { return attrEscaper.Replace(s) }

// length counts text as Telegram limits it, "characters after entities
// parsing", in UTF-16 code units: message entities are measured in them,
// and the count is never below the number of characters.
func length(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// cut returns the longest sanitize.Truncate of plain text s that is at
// most limit long (ellipsis included), "" when none is.
func cut(s string, limit int) string {
	if length(s) <= limit {
		return s
	}
	best := ""
	lo, hi := 1, min(limit, utf8.RuneCountInString(s))
	for lo <= hi {
		n := (lo + hi) / 2
		if c := sanitize.Truncate(s, n); length(c) <= limit {
			best, lo = c, n+1
		} else {
			hi = n - 1
		}
	}
	return best
}

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
