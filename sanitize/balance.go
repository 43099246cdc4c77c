package sanitize

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Balance closes what sanitized HTML leaves open and drops end tags that
// close nothing, so a fragment cannot reach out of the element it is
// placed in: bluemonday filters tags and attributes but does not balance
// them, and `</article></main>` or an unclosed `<table>` in an article
// would otherwise rearrange the page around it. Feed readers parse
// content on their own; this is for our HTML pages.
func Balance(s string) string {
	if !strings.ContainsRune(s, '<') {
		return s
	}
	var out bytes.Buffer
	out.Grow(len(s) + 32)
	var names []string // open elements, innermost last
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			for i := len(names) - 1; i >= 0; i-- {
				out.WriteString("</" + names[i] + ">")
			}
			return out.String()
		case html.StartTagToken:
			name, _ := z.TagName()
			out.Write(z.Raw())
			if !isVoid(atom.Lookup(name)) {
				names = append(names, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			i := len(names) - 1
			for ; i >= 0 && names[i] != string(name); i-- {
			}
			if i < 0 {
				continue // closes nothing that is open here: dropped
			}
			for j := len(names) - 1; j > i; j-- { // close what it implies
				out.WriteString("</" + names[j] + ">")
			}
			out.Write(z.Raw())
			names = names[:i]
		default:
			out.Write(z.Raw())
		}
	}
}

// isVoid: elements that never have an end tag (HTML "void elements").
func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}
