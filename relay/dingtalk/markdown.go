package dingtalk

import (
	"strings"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// renderMarkdown writes one block per article, in the shape of DingTalk's
// own markdown example (heading, quote, image), article text escaped as
// platform.EscapeMarkdownFullWidth does (DingTalk documents no backslash
// escape):
//
//	#### [title](url)
//	> summary
//
//	![](image)
//
//	###### 来源: [source](source url)
func renderMarkdown(items []platform.Item, b platform.Budget) string {
	var w strings.Builder
	for i, it := range items {
		if i > 0 {
			w.WriteString("\n\n")
		}
		w.WriteString("#### ")
		w.WriteString(platform.MarkdownLink(platform.CutRunes(platform.ChineseTitle(it), b.TitleCap(titleRunes)), it.URL))
		if sum := platform.Clean(it.Summary); sum != "" && b.Summary > 0 {
			w.WriteString("\n> ")
			w.WriteString(platform.EscapeMarkdownFullWidth(platform.CutRunes(sum, b.Summary)))
		}
		if img := platform.SafeURL(it.Image); img != "" {
			w.WriteString("\n\n![](" + platform.MarkdownURL(img) + ")")
		}
		if src := platform.Clean(it.SourceTitle); src != "" {
			w.WriteString("\n\n###### 来源: ")
			w.WriteString(platform.MarkdownLink(platform.CutRunes(src, 60), it.SourceURL))
		}
	}
	return w.String()
}
