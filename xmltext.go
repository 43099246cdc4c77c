package feedrelay

import (
	"strings"
	"unicode/utf8"
)

// CleanXMLText returns s made safe for an XML 1.0 document: characters outside
//
//	#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
//
// (XML 1.0 section 2.2, Char) are removed, and each invalid UTF-8 byte is
// replaced by U+FFFD. encoding/xml would turn the former into U+FFFD in
// escaped text but copies them verbatim into CDATA sections, which makes
// the document ill-formed, so every text and attribute value goes through
// here before it reaches an encoder. The JSON renderer uses it too, so the
// three formats carry the same text. Storage applies it to every text field
// on write (Article.Clean), so what is stored is already clean.
//
// s is returned unchanged, without allocating, when it is already clean.
func CleanXMLText(s string) string {
	if !utf8.ValidString(s) {
		return cleanXMLText(s, 0)
	}
	if i := firstForbidden(s); i >= 0 {
		return cleanXMLText(s, i)
	}
	return s
}

// SWAR constants: one byte's worth repeated across a uint64.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// firstForbidden returns the index of the first C0 control other than tab,
// LF and CR, or of the first U+FFFE/U+FFFF, or -1. In valid UTF-8 (checked
// separately; it has no surrogates) those are the only characters XML
// forbids. This runs over every item's full content on every render, so it
// looks at eight bytes at a time and only inspects bytes one by one in words
// that hold a byte below 0x20 or an 0xEF (the lead byte of U+F000-U+FFFF).
func firstForbidden(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		low := (x - 0x20*ones) &^ x & highs // some byte < 0x20 (may flag bytes above one too)
		y := x ^ 0xEF*ones
		ef := (y - ones) &^ y & highs // some byte == 0xEF (likewise)
		if low|ef == 0 {
			continue
		}
		if j := forbiddenIn(s, i, i+8); j >= 0 {
			return j
		}
	}
	return forbiddenIn(s, i, len(s))
}

// forbiddenIn checks s[from:to] byte by byte (a sequence starting there may
// run past to).
func forbiddenIn(s string, from, to int) int {
	for j := from; j < to; j++ {
		c := s[j]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return j
		}
		if c == 0xEF && j+2 < len(s) && s[j+1] == 0xBF && (s[j+2] == 0xBE || s[j+2] == 0xBF) {
			return j
		}
	}
	return -1
}

// cleanXMLText rebuilds s, whose first bad character is at byte i.
func cleanXMLText(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case IsXMLChar(r):
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// IsXMLChar reports whether XML 1.0 allows r (section 2.2, Char).
func IsXMLChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= utf8.MaxRune:
		return true
	}
	return false
}
