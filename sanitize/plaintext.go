package sanitize

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// PlainText returns the text a reader sees in the HTML fragment s: entities
// decoded, script and style bodies dropped, every run of white space
// (including the breaks between blocks such as paragraphs and table cells)
// collapsed to one space, and no leading or trailing space.
func PlainText(s string) string { return plainText(s, -1) }

// Summary returns Truncate(PlainText(s), n) without reading all of s: a
// summary of an 11 KB article needs its first paragraph, and tokenizing the
// rest was a tenth of the cost of importing a post. It reads until the
// collapsed text holds n+2 runes; because that text is a prefix of the
// full one, Truncate, which looks one rune past the cut, decides the same.
func Summary(s string, n int) string {
	return Truncate(plainText(s, n+2), n)
}

// plainText is PlainText that may stop once the collapsed text has at
// least minRunes runes (minRunes < 0: read everything).
func plainText(s string, minRunes int) string {
	var b strings.Builder
	b.Grow(len(s) / 2)
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0        // depth inside elements whose text is not shown
	next := minRunes // raw bytes to collect before counting again
	for {
		if minRunes >= 0 && b.Len() >= next {
			if text := strings.Join(strings.Fields(b.String()), " "); utf8.RuneCountInString(text) >= minRunes {
				return text
			}
			next = 2 * b.Len()
		}
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if hidden(a) {
				skip++
			} else if isBlock(a) {
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if hidden(a) {
				if skip > 0 {
					skip--
				}
			} else if isBlock(a) {
				b.WriteByte(' ')
			}
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			if isBlock(atom.Lookup(name)) {
				b.WriteByte(' ')
			}
		}
	}
}

// hidden elements hold text no reader sees.
func hidden(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Title:
		return true
	}
	return false
}

// isBlock reports whether an element separates the words around it, so
// "<p>one</p><p>two</p>" reads "one two" while "<b>on</b>e" stays "one".
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Br, atom.Hr,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Ul, atom.Ol, atom.Li, atom.Dl, atom.Dt, atom.Dd,
		atom.Blockquote, atom.Pre, atom.Figure, atom.Figcaption,
		atom.Table, atom.Caption, atom.Thead, atom.Tbody, atom.Tfoot, atom.Tr, atom.Td, atom.Th,
		atom.Section, atom.Article, atom.Header, atom.Footer, atom.Aside, atom.Nav, atom.Main,
		atom.Address, atom.Details, atom.Summary:
		return true
	}
	return false
}
