package dingtalk

import (
	"strings"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// renderMarkdown writes one block per article, in the shape of DingTalk's
// own markdown example (heading, quote, image):
//
//	#### [title](url)
//	> summary
//
//	![](image)
//
//	###### 来源: [source](source url)
func renderMarkdown(items []platform.Item, b budget) string {
	var w strings.Builder
	for i, it := range items {
		if i > 0 {
			w.WriteString("\n\n")
		}
		w.WriteString("#### ")
		w.WriteString(mdLink(cutRunes(title(it), titleCap(b)), it.URL))
		if sum := clean(it.Summary); sum != "" && b.summary > 0 {
			w.WriteString("\n> ")
			w.WriteString(escapeMarkdown(cutRunes(sum, b.summary)))
		}
		if img := safeURL(it.Image); img != "" {
			w.WriteString("\n\n![](" + linkEscaper.Replace(img) + ")")
		}
		if src := clean(it.SourceTitle); src != "" {
			w.WriteString("\n\n###### 来源: ")
			w.WriteString(mdLink(cutRunes(src, 60), it.SourceURL))
		}
	}
	return w.String()
}

// mdLink is [text](u) with text escaped and u made safe inside the
// parentheses; an unsafe u leaves the text without a link.
func mdLink(text, u string) string {
	if u = safeURL(u); u == "" {
		return escapeMarkdown(text)
	}
	return "[" + escapeMarkdown(text) + "](" + linkEscaper.Replace(u) + ")"
}

// markdownEscaper neutralises the characters DingTalk's markdown gives a
// meaning (links, images, emphasis, code, quotes, HTML). DingTalk documents
// no backslash escape, so each becomes its full-width twin: the text reads
// the same and cannot open a link or change formatting.
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
