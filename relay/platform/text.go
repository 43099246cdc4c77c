package platform

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/sanitize"
)

// Text helpers the formatters share. The WeCom, DingTalk and Feishu robots
// count their limits in bytes or runes of plain text (Clean, FitBytes,
// CutRunes); Slack, Discord and Telegram count characters after escaping,
// in UTF-16 code units (UTF16Len, FitUTF16). Each platform's own escaping
// stays in its package unless two platforms document the same rules.

// Clean makes s one line of valid UTF-8 plain text: invalid bytes become
// U+FFFD and each run of white space or control characters one space. The
// robots show a title or summary as written, so a newline or a tab in it
// would break the card's layout.
func Clean(s string) string {
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

// FitBytes returns s if it has at most max bytes, else the longest cut
// sanitize.Truncate makes (a rune boundary, an ellipsis) that does: the
// robots' limits are in bytes and they cut mid-character themselves.
func FitBytes(s string, max int) string {
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

// CutRunes cuts s to n runes plus an ellipsis; n <= 0 keeps it whole, so a
// budget's zero means "no limit".
func CutRunes(s string, n int) string {
	if n <= 0 {
		return s
	}
	return sanitize.Truncate(s, n)
}

// SafeURL returns u if it is an absolute http(s) URL, else "". Inner
// spaces, never valid in a URL, are percent-encoded. The robots fetch or
// link whatever they are given, so a javascript: or relative URL must not
// reach them.
func SafeURL(u string) string {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return strings.ReplaceAll(u, " ", "%20")
}

// ChineseTitle is the item's title as Clean makes it, or "(无标题)" ("untitled")
// when it has none: WeCom, DingTalk and Feishu require a title, and their
// readers read Chinese.
func ChineseTitle(it Item) string {
	if t := Clean(it.Title); t != "" {
		return t
	}
	return "(无标题)"
}

// DigestTitle names a message after its first article, cut to titleRunes;
// several articles read "<first title, 30 runes> 等 <n> 篇" ("… and n
// more"), as DingTalk's and Feishu's notifications show one line.
func DigestTitle(items []Item, titleRunes int) string {
	if len(items) == 1 {
		return CutRunes(ChineseTitle(items[0]), titleRunes)
	}
	return fmt.Sprintf("%s 等 %d 篇", CutRunes(ChineseTitle(items[0]), 30), len(items))
}

// CheckItems is the robots' precondition on a message: 1 to max items,
// each with an absolute http(s) URL (a robot card cannot link anything
// else). name prefixes the errors, as the platform package's own do.
func CheckItems(name string, items []Item, max int) error {
	if len(items) == 0 {
		return fmt.Errorf("%s: no items to send", name)
	}
	if len(items) > max {
		return fmt.Errorf("%s: %d items, at most %d fit one message", name, len(items), max)
	}
	for i, it := range items {
		if SafeURL(it.URL) == "" {
			return fmt.Errorf("%s: item %d has no absolute http(s) URL", name, i+1)
		}
	}
	return nil
}

// CheckCount is the precondition of Slack's, Discord's, Telegram's and
// the webhook's Build: 1 to max articles in a message. name prefixes the
// error.
func CheckCount(name string, items []Item, max int) error {
	if len(items) == 0 || len(items) > max {
		return fmt.Errorf("%s: %d articles in one message, want 1 to %d", name, len(items), max)
	}
	return nil
}

// UTF16Len counts s in UTF-16 code units, never less than its characters.
// Slack does not say how it counts, Discord might count either way, and
// Telegram measures "characters after entities parsing" in UTF-16: the
// stricter count keeps a message inside all of them.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// FitUTF16 cuts plain text s (sanitize.Truncate: whole runes, an
// ellipsis) so that enc(cut) is at most limit UTF-16 units long, and
// returns enc(cut): the longest such, found by bisection on the number of
// runes kept, "" when none fits. Escaping first and measuring after is what
// keeps an entity or a backslash from being cut in two. enc nil keeps the
// text as it is.
func FitUTF16(s string, limit int, enc func(string) string) string {
	if enc == nil {
		enc = func(s string) string { return s }
	}
	if out := enc(s); UTF16Len(out) <= limit {
		return out
	}
	best := ""
	lo, hi := 1, min(limit, utf8.RuneCountInString(s))
	for lo <= hi {
		n := (lo + hi) / 2
		if out := enc(sanitize.Truncate(s, n)); UTF16Len(out) <= limit {
			best, lo = out, n+1
		} else {
			hi = n - 1
		}
	}
	return best
}

// JoinTrimmed joins the parts that are not blank, each trimmed, with sep:
// a footer such as "source · author · categories" without empty slots.
func JoinTrimmed(sep string, parts ...string) string {
	kept := parts[:0:0]
	for _, s := range parts {
		if s = strings.TrimSpace(s); s != "" {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, sep)
}

// TitleOrURL is the item's title, trimmed, or its URL when it has none: Slack,
// Discord and Telegram show something a reader can follow rather than an
// empty headline.
func TitleOrURL(it *Item) string {
	if t := strings.TrimSpace(it.Title); t != "" {
		return t
	}
	return it.URL
}

// entities are the only escapes Slack's mrkdwn and Telegram's HTML mode
// ask of text: "&", "<" and ">" (docs.slack.dev/messaging/formatting-message-text#escaping,
// core.telegram.org/bots/api#html-style). Replacing them keeps "<!channel>"
// from becoming a Slack mention and "<b>" from becoming Telegram markup.
var entities = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// EscapeEntities replaces "&", "<" and ">" in s with &amp; &lt; &gt;.
func EscapeEntities(s string) string { return entities.Replace(s) }
