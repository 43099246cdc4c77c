package feishu

import "github.com/feedrelay/feedrelay/relay/platform"

// An interactive card in the message-card JSON custom bots accept: a header,
// then elements. Article text goes in plain_text wherever it can, so it
// needs no escaping; digests link titles with lark_md and escape them as
// platform.EscapeMarkdownFullWidth does (lark_md has no backslash escape
// for tags such as <at id=all></at> and <font>).
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

func cardBody(items []platform.Item, b platform.Budget) card {
	c := card{
		Config: cardConfig{WideScreenMode: true},
		Header: cardHeader{Title: plain(platform.DigestTitle(items, b.TitleCap(titleRunes))), Template: "blue"},
	}
	if len(items) == 1 {
		it := items[0]
		if sum := platform.Clean(it.Summary); sum != "" && b.Summary > 0 {
			c.Elements = append(c.Elements, div{Tag: "div", Text: plain(platform.CutRunes(sum, b.Summary))})
		}
		c.Elements = appendSource(c.Elements, it)
		c.Elements = append(c.Elements, action{Tag: "action", Actions: []button{{
			Tag: "button", Text: plain(readLabel), Type: "primary", URL: platform.SafeURL(it.URL),
		}}})
		return c
	}
	for i, it := range items {
		if i > 0 {
			c.Elements = append(c.Elements, hr{Tag: "hr"})
		}
		md := "**" + platform.MarkdownLink(platform.CutRunes(platform.ChineseTitle(it), b.TitleCap(titleRunes)), it.URL) + "**"
		if sum := platform.Clean(it.Summary); sum != "" && b.Summary > 0 {
			md += "\n" + platform.EscapeMarkdownFullWidth(platform.CutRunes(sum, b.Summary))
		}
		c.Elements = append(c.Elements, div{Tag: "div", Text: cardText{Tag: "lark_md", Content: md}})
		c.Elements = appendSource(c.Elements, it)
	}
	return c
}

// appendSource adds "来源: …" for upstream articles.
func appendSource(els []any, it platform.Item) []any {
	src := platform.Clean(it.SourceTitle)
	if src == "" {
		return els
	}
	return append(els, note{Tag: "note", Elements: []cardText{plain("来源: " + platform.CutRunes(src, 60))}})
}

func plain(s string) cardText { return cardText{Tag: "plain_text", Content: s} }
