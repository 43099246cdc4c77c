package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// wordBackoff is how far Truncate looks back for a word boundary before it
// gives up and cuts a long word.
const wordBackoff = 20

// Truncate returns text if it has at most n runes. Otherwise it keeps at
// most n runes and appends "…" (so the result has at most n+1). It never
// splits a rune or separates a combining mark from its base. In Latin-script
// text it prefers to end after a whole word when a boundary lies within the
// last 20 runes; Chinese and Japanese have no spaces between words, so there
// any character boundary will do. Text from PlainText has its entities
// decoded already, so no entity can be cut in half.
func Truncate(text string, n int) string {
	if n <= 0 {
		return ""
	}
	cut, count := -1, 0
	for i := range text {
		if count == n {
			cut = i
			break
		}
		count++
	}
	if cut < 0 {
		return text
	}
	// Keep a base character together with the marks that follow it.
	for cut > 0 {
		r, _ := utf8.DecodeRuneInString(text[cut:])
		if !unicode.In(r, unicode.Mn, unicode.Me) && r != '\u200d' {
			break
		}
		_, size := utf8.DecodeLastRuneInString(text[:cut])
		cut -= size
	}
	if b := wordBoundary(text, cut); b > 0 {
		cut = b
	}
	head := strings.TrimRightFunc(text[:cut], unicode.IsSpace)
	if head == "" {
		head = text[:cut]
	}
	return head + "…"
}

// wordBoundary returns the byte offset, at or before cut and at most
// wordBackoff runes back, where a cut would not fall inside a word. It
// returns cut itself when that is already such a place and 0 when none is
// near.
func wordBoundary(text string, cut int) int {
	for k := 0; k <= wordBackoff && cut > 0; k++ {
		before, size := utf8.DecodeLastRuneInString(text[:cut])
		after, _ := utf8.DecodeRuneInString(text[cut:])
		if !inWord(before) || !inWord(after) {
			return cut
		}
		cut -= size
	}
	return 0
}

// inWord reports whether r belongs to a word that is delimited by spaces or
// punctuation. Han, Hiragana and Katakana characters stand alone: a cut
// next to one never splits a word.
func inWord(r rune) bool {
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Me) ||
		r == '\'' || r == '’' || r == '_'
}
