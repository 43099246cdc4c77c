package wecom

import (
	"strings"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// contentBytes is markdown.content's limit: "markdown内容，最长不超过4096个字节，
// 必须是utf8编码" (path/99110; 40058 "markdown.content exceed max length
// 4096" when exceeded, relay-platforms.md 1.4 and 1.9).
const contentBytes = 4096

type markdownMessage struct {
	MsgType  string          `json:"msgtype"`
	Markdown markdownContent `json:"markdown"`
}

type markdownContent struct {
	Content string `json:"content"`
}

func markdownBody(items []platform.Item) markdownMessage {
	return markdownMessage{MsgType: "markdown", Markdown: markdownContent{Content: fitMarkdown(items)}}
}

// fitMarkdown renders the items with shorter and shorter summaries, then
// titles, until the content fits contentBytes. Only when links alone
// overflow (absurd URLs) does it cut the content itself, on a rune boundary.
func fitMarkdown(items []platform.Item) string {
	// Title 0 keeps titles whole.
	tries := []platform.Budget{{Summary: 200}, {Summary: 120}, {Summary: 60}, {Summary: 30}, {}, {Title: 60}, {Title: 20}}
	if len(items) == 1 {
		tries = append([]platform.Budget{{Summary: 1000}, {Summary: 500}}, tries...)
	}
	var s string
	for _, b := range tries {
		if s = renderMarkdown(items, b); len(s) <= contentBytes {
			return s
		}
	}
	return platform.FitBytes(s, contentBytes)
}

// renderMarkdown writes one block per article, article text escaped as
// platform.EscapeMarkdownFullWidth does (WeCom documents no backslash escape):
//
//	[title](url)
//	> summary
//	<font color="comment">来源: [source](source url)</font>
func renderMarkdown(items []platform.Item, b platform.Budget) string {
	var w strings.Builder
	for i, it := range items {
		if i > 0 {
			w.WriteString("\n\n")
		}
		w.WriteString(platform.MarkdownLink(platform.CutRunes(platform.ChineseTitle(it), b.Title), it.URL))
		if sum := platform.Clean(it.Summary); sum != "" && b.Summary > 0 {
			w.WriteString("\n> ")
			w.WriteString(platform.EscapeMarkdownFullWidth(platform.CutRunes(sum, b.Summary)))
		}
		if src := platform.Clean(it.SourceTitle); src != "" {
			w.WriteString("\n<font color=\"comment\">来源: ")
			if u := platform.SafeURL(it.SourceURL); u != "" {
				w.WriteString(platform.MarkdownLink(platform.CutRunes(src, 60), u))
			} else {
				w.WriteString(platform.EscapeMarkdownFullWidth(platform.CutRunes(src, 60)))
			}
			w.WriteString("</font>")
		}
	}
	return w.String()
}
