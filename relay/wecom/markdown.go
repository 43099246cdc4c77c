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

// budget is one attempt at fitting the content: summary and title lengths
// in runes (summary 0 drops summaries, title 0 keeps titles whole).
type budget struct{ summary, title int }

// fitMarkdown renders the items with shorter and shorter summaries, then
// titles, until the content fits contentBytes. Only when links alone
// overflow (absurd URLs) does it cut the content itself, on a rune boundary.
func fitMarkdown(items []platform.Item) string {
	tries := []budget{{200, 0}, {120, 0}, {60, 0}, {30, 0}, {0, 0}, {0, 60}, {0, 20}}
	if len(items) == 1 {
		tries = append([]budget{{1000, 0}, {500, 0}}, tries...)
	}
	var s string
	for _, b := range tries {
		if s = renderMarkdown(items, b); len(s) <= contentBytes {
			return s
		}
	}
	return fitBytes(s, contentBytes)
}

// renderMarkdown writes one block per article:
//
//	[title](url)
//	> summary
//	<font color="comment">来源: [source](source url)</font>
func renderMarkdown(items []platform.Item, b budget) string {
	var w strings.Builder
	for i, it := range items {
		if i > 0 {
			w.WriteString("\n\n")
		}
		w.WriteString(mdLink(cutRunes(title(it), b.title), it.URL))
		if sum := clean(it.Summary); sum != "" && b.summary > 0 {
			w.WriteString("\n> ")
			w.WriteString(escapeMarkdown(cutRunes(sum, b.summary)))
		}
		if src := clean(it.SourceTitle); src != "" {
			w.WriteString("\n<font color=\"comment\">来源: ")
			if u := safeURL(it.SourceURL); u != "" {
				w.WriteString(mdLink(cutRunes(src, 60), u))
			} else {
				w.WriteString(escapeMarkdown(cutRunes(src, 60)))
			}
			w.WriteString("</font>")
		}
	}
	return w.String()
}

func title(it platform.Item) string {
	if t := clean(it.Title); t != "" {
		return t
	}
	return "(无标题)"
}

// mdLink is [text](u) with text escaped and u made safe inside the
// parentheses; an unsafe u leaves the text without a link.
func mdLink(text, u string) string {
	if u = safeURL(u); u == "" {
		return escapeMarkdown(text)
	}
	return "[" + escapeMarkdown(text) + "](" + linkEscaper.Replace(u) + ")"
}

// markdownEscaper neutralises the characters WeCom's markdown gives a
// meaning (links, emphasis, code, quotes, <font> and <@userid> tags). WeCom
// documents no backslash escape for its markdown, so each becomes its
// full-width twin: the text still reads the same, nothing can open a link
// or a tag.
var markdownEscaper = strings.NewReplacer(
	`\`, `＼`, "`", "｀", "*", "＊", "_", "＿", "~", "～",
	"[", "［", "]", "］", "<", "＜", ">", "＞",
)

// escapeMarkdown makes plain text safe in markdown; a leading #, - or +
// (a heading or list item at a line's start) is neutralised too.
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
