package feeds

import (
	"strings"
	"unicode/utf8"
)

// xmlText returns s made safe for an XML 1.0 document: characters outside
//
//	#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
//
// (XML 1.0 section 2.2, Char) are removed, and each invalid UTF-8 byte is
// replaced by U+FFFD. encoding/xml would turn the former into U+FFFD in
// escaped text but copies them verbatim into CDATA sections, which makes
// the document ill-formed, so every text and attribute value goes through
// here before it reaches an encoder. The JSON renderer uses it too, so the
// three formats carry the same text.
//
// s is returned unchanged, without allocating, when it is already clean.
func xmlText(s string) string {
	if !utf8.ValidString(s) {
		return cleanXMLText(s, 0)
	}
	// In valid UTF-8 (which has no surrogates) the only characters XML
	// forbids are the C0 controls other than tab, LF and CR, and U+FFFE and
	// U+FFFF (encoded EF BF BE and EF BF BF). A byte loop finds them
	// without decoding runes: this runs over every item's full content.
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return cleanXMLText(s, i)
		}
		if c == 0xEF && i+2 < len(s) && s[i+1] == 0xBF && (s[i+2] == 0xBE || s[i+2] == 0xBF) {
			return cleanXMLText(s, i)
		}
	}
	return s
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
		case isXMLChar(r):
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func isXMLChar(r rune) bool {
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
