package wecom

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/sanitize"
)

// clean makes s one line of valid UTF-8 plain text: invalid bytes become
// U+FFFD and each run of white space or control characters one space.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	gap := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteRune(r)
	}
	return b.String()
}

// fitBytes returns s if it has at most max bytes, else the longest cut
// sanitize.Truncate makes (a rune boundary, an ellipsis) that does.
func fitBytes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	best := ""
	lo, hi := 0, utf8.RuneCountInString(s)-1
	for lo <= hi {
		mid := (lo + hi) / 2
		if c := sanitize.Truncate(s, mid); len(c) <= max {
			best, lo = c, mid+1
		} else {
			hi = mid - 1
		}
	}
	return best
}

// cutRunes cuts s to n runes plus an ellipsis; n <= 0 keeps it whole.
func cutRunes(s string, n int) string {
	if n <= 0 {
		return s
	}
	return sanitize.Truncate(s, n)
}

// safeURL returns u if it is an absolute http(s) URL, else "". Inner
// spaces, never valid in a URL, are percent-encoded.
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return strings.ReplaceAll(u, " ", "%20")
}
