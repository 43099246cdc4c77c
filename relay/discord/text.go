package discord

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/sanitize"
)

// escapeMarkdown backslash-escapes what Discord's markdown would read in
// an embed title or description: emphasis, code, spoilers, masked links,
// mentions and timestamps (<@…>, <t:…>), and at the start of a line
// headings, lists and quotes. Discord drops the backslash before any
// punctuation. Mentions would not ping anyway (allowed_mentions), but
// "*bold*" in a title should read as written.
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

// length counts s in UTF-16 code units, never less than its characters:
// the stricter of the ways Discord might count its limits.
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
// that enc(cut) is at most limit long and returns enc(cut), the longest
// such, "" when none fits.
func fit(s string, limit int, enc func(string) string) string {
	if out := enc(s); length(out) <= limit {
		return out
	}
	best := ""
	lo, hi := 1, min(limit, utf8.RuneCountInString(s))
	for lo <= hi {
		n := (lo + hi) / 2
		if out := enc(sanitize.Truncate(s, n)); length(out) <= limit {
			best, lo = out, n+1
		} else {
			hi = n - 1
		}
	}
	return best
}

func same(s string) string { return s }

// isHTTP reports whether u is an absolute http(s) URL, which is all
// Discord takes in an embed's url and image.
func isHTTP(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" && !strings.ContainsAny(u, " \t\r\n")
}
