package telegram

import (
	"strconv"
	"strings"

	"github.com/feedrelay/feedrelay"
	"golang.org/x/net/html"
)

// element is one source element open during conversion.
type element struct {
	source  string // the source tag name its end tag carries
	name    string // the Telegram tag written for it, "" for none
	attrs   string // the Telegram tag's attributes, escaped, with a leading space
	written bool   // its opening tag is out (tags open lazily, before text)
}

type converter struct {
	out       strings.Builder
	open      []element
	lists     []int // per open list: -1 for ul, else the next number of ol
	skip      string
	skipDepth int
	pre       int    // open pre elements: whitespace is kept
	breaks    int    // newlines owed before the next text
	space     bool   // a space owed before the next text
	prefix    string // a list item's bullet owed before its text
	used      int    // visible length written
	newline   bool   // the last visible character was a line break
	limit     int    // at most this visible length, -1 for no limit
	done      bool   // cut: everything after is ignored
}

// convert renders src and returns it with its visible length; with limit
// >= 0 it stops at limit visible characters and adds "…".
func convert(src string, limit int) (string, int) {
	c := &converter{limit: limit}
	z := html.NewTokenizer(strings.NewReader(feedrelay.CleanXMLText(src)))
	for !c.done {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch {
		case c.skip != "":
			c.skipping(tt, tok.Data)
		case tt == html.TextToken:
			c.text(tok.Data)
		case tt == html.StartTagToken, tt == html.SelfClosingTagToken:
			c.start(tok, tt == html.SelfClosingTagToken)
		case tt == html.EndTagToken:
			c.end(tok.Data)
		}
	}
	if !c.done {
		c.closeAll()
	}
	return c.out.String(), c.used
}

func (c *converter) skipping(tt html.TokenType, name string) {
	switch {
	case tt == html.StartTagToken && name == c.skip:
		c.skipDepth++
	case tt == html.EndTagToken && name == c.skip:
		if c.skipDepth--; c.skipDepth == 0 {
			c.skip = ""
		}
	}
}

func (c *converter) start(tok html.Token, selfClosing bool) {
	name := tok.Data
	if dropped[name] {
		if !selfClosing {
			c.skip, c.skipDepth = name, 1
		}
		return
	}
	c.block(c.breaksOf(name, 0))
	switch name {
	case "br":
		if c.used > 0 {
			c.breaks = min(c.breaks+1, 2)
		}
	case "img":
		c.image(attr(tok, "src"))
	case "ul":
		c.lists = append(c.lists, -1)
	case "ol":
		c.lists = append(c.lists, 1)
	case "li":
		c.prefix = c.bullet()
	case "td", "th":
		c.space = true
	}
	if void[name] || selfClosing {
		return
	}
	c.push(name, tok)
}

// push opens an element, as a Telegram tag when it maps to one and
// Telegram's nesting rules let it be where it is.
func (c *converter) push(source string, tok html.Token) {
	e := element{source: source}
	name := renamed[source]
	if source == "span" && attr(tok, "class") == "tg-spoiler" {
		name = "tg-spoiler"
	}
	switch {
	case name == "":
	case source == "code" && c.top("pre"):
		e.name = "code" // <pre><code class="language-go">: the language of the block
		if cl := attr(tok, "class"); languageClass.MatchString(cl) {
			e.attrs = ` class="` + escapeAttr(cl) + `"`
		}
	case c.inside("code", "pre"):
	case name == "a":
		if href := strings.TrimSpace(attr(tok, "href")); linkable(href) && !c.inside("a") {
			e.name, e.attrs = "a", ` href="`+escapeAttr(href)+`"`
		}
	case name == "code" || name == "pre":
		if !c.inside("a") {
			e.name = name
		}
	case name == "blockquote":
		if !c.inside("a", "blockquote") {
			e.name = name
		}
	case !c.inside(name): // b, i, u, s, tg-spoiler: once is enough
		e.name = name
	}
	if e.name == "pre" {
		c.pre++
	}
	c.open = append(c.open, e)
}

// end closes the innermost open source element called name and every
// element opened inside it and left open.
func (c *converter) end(name string) {
	c.block(c.breaksOf(name, 1))
	if name == "li" {
		c.prefix = "" // an empty item
	}
	if name == "ul" || name == "ol" {
		if n := len(c.lists); n > 0 {
			c.lists = c.lists[:n-1]
		}
	}
	for i := len(c.open) - 1; i >= 0; i-- {
		if c.open[i].source == name {
			for len(c.open) > i {
				c.pop()
			}
			return
		}
	}
}

func (c *converter) pop() {
	e := c.open[len(c.open)-1]
	c.open = c.open[:len(c.open)-1]
	if e.name == "pre" {
		c.pre--
	}
	if e.written {
		c.out.WriteString("</" + e.name + ">")
	}
}

func (c *converter) closeAll() {
	for len(c.open) > 0 {
		c.pop()
	}
}

// inside reports whether a Telegram tag called one of names is open.
func (c *converter) inside(names ...string) bool {
	for _, e := range c.open {
		for _, n := range names {
			if e.name == n {
				return true
			}
		}
	}
	return false
}

func (c *converter) top(name string) bool {
	return len(c.open) > 0 && c.open[len(c.open)-1].name == name
}

// breaksOf is breaks[name], except that a list inside another list (own:
// whether name itself is still among c.lists) is only a line break.
func (c *converter) breaksOf(name string, own int) int {
	if (name == "ul" || name == "ol") && len(c.lists) > own {
		return 1
	}
	return breaks[name]
}

// block owes n line breaks (at most two: one blank line) before the next
// text; none at the very start.
func (c *converter) block(n int) {
	if n > 0 && c.used > 0 {
		c.breaks = max(c.breaks, n)
		c.space = false
	}
}

func (c *converter) bullet() string {
	indent := strings.Repeat("  ", max(0, len(c.lists)-1))
	if n := len(c.lists); n > 0 && c.lists[n-1] > 0 {
		c.lists[n-1]++
		return indent + strconv.Itoa(c.lists[n-1]-1) + ". "
	}
	return indent + "• "
}

// image writes an http(s) image as a link "[image]"; inside a link just
// the text, inside code nothing.
func (c *converter) image(src string) {
	switch {
	case c.inside("code", "pre") || !linkable(src) || strings.HasPrefix(strings.ToLower(src), "tg:"):
	case c.inside("a"):
		c.write("[image]")
	default:
		c.open = append(c.open, element{source: "img", name: "a", attrs: ` href="` + escapeAttr(strings.TrimSpace(src)) + `"`})
		c.write("[image]")
		if !c.done {
			c.pop()
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}
