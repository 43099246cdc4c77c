package discord

import (
	"net/url"
	"strings"
)

// escapeMarkdown backslash-escapes what Discord's markdown would read in
// an embed title or description: emphasis, code, spoilers, masked links,
// mentions and timestamps (<@…>, <t:…>), and at the start of a line
// headings, lists and quotes. Discord drops the backslash before any
// punctuation. Mentions would not ping anyway (allowed_mentions), but
// "*bold*" in a title should read as written. The robots' markdown has no
// backslash escape and gets full-width twins instead
// (platform.EscapeMarkdownFullWidth); Slack escapes only & < >.
func escapeMarkdown(s string) string {
	var b strings.Builder
	lineStart := true
	for _, r := range s {
		switch {
		case strings.ContainsRune("\\*_~`|[]<", r):
			b.WriteByte('\\')
		case lineStart && strings.ContainsRune("#->", r):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		lineStart = r == '\n' || (lineStart && r == ' ')
	}
	return b.String()
}

// isHTTP reports whether u is an absolute http(s) URL, which is all
// Discord takes in an embed's url and image. Unlike platform.SafeURL it
// refuses inner white space rather than encoding it: the URL goes into
// the embed as written.
func isHTTP(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" && !strings.ContainsAny(u, " \t\r\n")
}
