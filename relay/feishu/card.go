package feishu

import (
	"strings"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// An interactive card in the message-card JSON custom bots accept: a header,
// then elements. Article text goes in plain_text wherever it can, so it
// needs no escaping; digests link titles with lark_md and escape them.
//
// Images: card img elements take an img_key from Feishu's upload API, which
// needs an app's token; a custom bot cannot upload and external image URLs
// are not accepted (relay-platforms.md 3.10), so cards carry no picture.

type card struct {
	Config   cardConfig `json:"config"`
	Header   cardHeader `json:"header"`
	Elements []any      `json:"elements"`
}

type cardConfig struct {
	WideScreenMode bool `json:"wide_screen_mode"`
}

type cardHeader struct {
	Title    cardText `json:"title"`
	Template string   `json:"template"`
}

type cardText struct {
	Tag     string `json:"tag"` // plain_text or lark_md
	Content string `json:"content"`
}

type div struct {
	Tag  string   `json:"tag"` // div
	Text cardText `json:"text"`
}

type note struct {
	Tag      string     `json:"tag"` // note
	Elements []cardText `json:"elements"`
}

type action struct {
	Tag     string   `json:"tag"` // action
	Actions []button `json:"actions"`
}

type button struct {
	Tag  string   `json:"tag"` // button
	Text cardText `json:"text"`
	Type string   `json:"type"`
	URL  string   `json:"url"`
}

type hr struct {
	Tag string `json:"tag"` // hr
}

const readLabel = "阅读全文"

func cardBody(items []platform.Item, b budget) card {
	c := card{
		Config: cardConfig{WideScreenMode: true},
		Header: cardHeader{Title: plain(digestTitle(items, b)), Template: "blue"},
	}
	if len(items) == 1 {
		it := items[0]
		if sum := clean(it.Summary); sum != "" && b.summary > 0 {
			c.Elements = append(c.Elements, div{Tag: "div", Text: plain(cutRunes(sum, b.summary))})
		}
		c.Elements = appendSource(c.Elements, it)
		c.Elements = append(c.Elements, action{Tag: "action", Actions: []button{{
			Tag: "button", Text: plain(readLabel), Type: "primary", URL: safeURL(it.URL),
		}}})
		return c
	}
	for i, it := range items {
		if i > 0 {
			c.Elements = append(c.Elements, hr{Tag: "hr"})
		}
		md := "**" + mdLink(cutRunes(title(it), titleCap(b)), it.URL) + "**"
		if sum := clean(it.Summary); sum != "" && b.summary > 0 {
			md += "\n" + escapeMarkdown(cutRunes(sum, b.summary))
		}
		c.Elements = append(c.Elements, div{Tag: "div", Text: cardText{Tag: "lark_md", Content: md}})
		c.Elements = appendSource(c.Elements, it)
	}
	return c
}

// appendSource adds "来源: …" for upstream articles.
func appendSource(els []any, it platform.Item) []any {
	src := clean(it.SourceTitle)
	if src == "" {
		return els
	}
	return append(els, note{Tag: "note", Elements: []cardText{plain("来源: " + cutRunes(src, 60))}})
}

func plain(s string) cardText { return cardText{Tag: "plain_text", Content: s} }

// mdLink is [text](u) with text escaped and u made safe inside the
// parentheses; an unsafe u leaves the text without a link.
func mdLink(text, u string) string {
	if u = safeURL(u); u == "" {
		return escapeMarkdown(text)
	}
	return "[" + escapeMarkdown(text) + "](" + linkEscaper.Replace(u) + ")"
}

// markdownEscaper neutralises what lark_md gives a meaning: links, emphasis,
// strike-through, code, and tags such as <at id=all></at> and <font>. Each
// becomes its full-width twin, which reads the same and means nothing.
var markdownEscaper = strings.NewReplacer(
	`\`, `＼`, "`", "｀", "*", "＊", "_", "＿", "~", "～",
	"[", "［", "]", "］", "<", "＜", ">", "＞",
)

// escapeMarkdown makes plain text safe in lark_md; a leading #, - or + (a
// heading or list item at a line's start) is neutralised too.
func escapeMarkdown(s string) string {
	s = markdownEscaper.Replace(s)
	switch {
	case strings.HasPrefix(s, "#"):
		s = "＃" + s[1:]
	case strings.HasPrefix(s, "-"):
		s = "－" + s[1:]
	case strings.HasPrefix(s, "+"):
		s = "＋" + s[1:]
	}
	return s
}

// linkEscaper percent-encodes what would end or break a markdown link
// target; the URL means the same to the server.
var linkEscaper = strings.NewReplacer(
	" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E",
	"[", "%5B", "]", "%5D", `"`, "%22", "`", "%60",
)
