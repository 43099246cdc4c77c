package telegram

import (
	"strings"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// text writes character data, its whitespace collapsed outside pre.
func (c *converter) text(s string) {
	if c.pre > 0 {
		if c.top("pre") && !c.open[len(c.open)-1].written {
			s = strings.TrimPrefix(s, "\n") // as HTML parsers drop it
		}
		c.write(s)
		return
	}
	words := strings.FieldsFunc(s, isSpace)
	if len(words) == 0 {
		c.space = c.space || s != ""
		return
	}
	if isSpace(rune(s[0])) {
		c.space = true
	}
	for i, w := range words {
		if i > 0 {
			c.space = true
		}
		c.write(w)
	}
	if r, _ := utf8.DecodeLastRuneInString(s); isSpace(r) {
		c.space = true
	}
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' }

// write puts out what is owed (line breaks or a space, a bullet, the
// lazily opened tags) and then s.
func (c *converter) write(s string) {
	if c.done || s == "" {
		return
	}
	lead := ""
	switch {
	case c.used == 0:
	case c.breaks > 0:
		lead = strings.Repeat("\n", c.breaks)
	case c.space && !c.newline:
		lead = " "
	}
	lead += c.prefix
	c.breaks, c.space, c.prefix = 0, false, ""
	if !c.put(lead, false) {
		return
	}
	for i := range c.open {
		if e := &c.open[i]; e.name != "" && !e.written {
			c.out.WriteString("<" + e.name + e.attrs + ">")
			e.written = true
		}
	}
	c.put(s, true)
}

// put writes visible text, or at the limit as much of it as fits (none
// of a lead: breaks, space, bullet), "…", and the closing tags.
func (c *converter) put(s string, text bool) bool {
	if s == "" {
		return true
	}
	n := platform.UTF16Len(s)
	if c.limit < 0 || c.used+n <= c.limit {
		c.out.WriteString(escapeText(s))
		c.used += n
		c.newline = strings.HasSuffix(s, "\n")
		return true
	}
	head := ""
	if room := c.limit - c.used; text && room > 0 {
		// cut counts its own ellipsis; s longer than room by one would come
		// back whole, so then cut one shorter.
		if head = cut(s, room+1); head == s {
			head = cut(s, room)
		}
		head = strings.TrimSuffix(head, "…")
	}
	c.out.WriteString(escapeText(head) + "…")
	c.used += platform.UTF16Len(head) + 1
	c.done = true
	c.closeAll()
	return false
}
