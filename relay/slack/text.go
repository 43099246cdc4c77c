package slack

import (
	"strings"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// escape is Slack's documented escaping, platform.EscapeEntities: "&",
// "<" and ">" are the only characters that must be replaced, and replacing
// them is what stops text such as "<!channel>" or "<http://evil|x>" from
// becoming a mention or a link
// (https://docs.slack.dev/messaging/formatting-message-text#escaping).
// Slack has no escape for the mrkdwn markers * _ ~ `: a title written
// "*bold*" shows in bold, which is cosmetic and left alone (Discord, which
// honours backslashes, escapes them).
func escape(s string) string { return platform.EscapeEntities(s) }

// linkURL prepares an http(s) URL for <url|label>: "&" is escaped as in
// text, and the characters that would end the URL early are
// percent-encoded. It returns "" for anything but http and https.
func linkURL(u string) string {
	if !isHTTP(u) {
		return ""
	}
	return strings.NewReplacer("&", "&amp;", "<", "%3C", ">", "%3E", "|", "%7C", " ", "%20").Replace(u)
}

// isHTTP checks the scheme only, unlike Discord's (which parses the URL)
// and the robots' platform.SafeURL: linkURL encodes whatever else could
// break <url|label>, and Slack takes any such URL.
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

// fit cuts plain text s so that escape(cut) is at most limit long, and
// returns the escaped cut (platform.FitUTF16).
func fit(s string, limit int) string { return platform.FitUTF16(s, limit, escape) }
