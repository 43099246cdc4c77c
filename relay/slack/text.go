package slack

import (
	"strings"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/sanitize"
)

// Slack's documented escaping: "&", "<" and ">" are the only characters
// that must be replaced, and replacing them is what stops text such as
// "<!channel>" or "<http://evil|x>" from becoming a mention or a link
// (https://docs.slack.dev/messaging/formatting-message-text#escaping).
// Slack has no escape for the mrkdwn markers * _ ~ `: a title written
// "*bold*" shows in bold, which is cosmetic and left alone.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escape(s string) string { return escaper.Replace(s) }

// linkURL prepares an http(s) URL for <url|label>: "&" is escaped as in
// text, and the characters that would end the URL early are
// percent-encoded. It returns "" for anything but http and https.
func linkURL(u string) string {
	if !isHTTP(u) {
		return ""
	}
	return strings.NewReplacer("&", "&amp;", "<", "%3C", ">", "%3E", "|", "%7C", " ", "%20").Replace(u)
}

func isHTTP(u string) bool {
	l := strings.ToLower(u)
	return (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) && len(u) > len("https://")
}

// link is "<url|label>" with label escaped, or the escaped label alone
// when u is not an http(s) URL.
func link(u, label string) string {
	if lu := linkURL(u); lu != "" {
		return "<" + lu + "|" + label + ">"
	}
	return label
}

// length counts s in UTF-16 code units, never less than its characters:
// Slack does not say how it counts, so the stricter count keeps us inside.
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

// fit cuts plain text s (sanitize.Truncate: whole runes, an ellipsis) so
// that escape(cut) is at most limit long, and returns the escaped cut: the
// longest such cut, found by bisection on the number of runes kept.
func fit(s string, limit int) string {
	if out := escape(s); length(out) <= limit {
		return out
	}
	best := ""
	lo, hi := 1, min(limit, utf8.RuneCountInString(s))
	for lo <= hi {
		n := (lo + hi) / 2
		if out := escape(sanitize.Truncate(s, n)); length(out) <= limit {
			best, lo = out, n+1
		} else {
			hi = n - 1
		}
	}
	return best
}
