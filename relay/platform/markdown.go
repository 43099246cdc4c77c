package platform

import "strings"

// The WeCom, DingTalk and Feishu (lark_md) markdown dialects give the same
// characters a meaning (links, images, emphasis, strike-through, code,
// quotes, and tags such as <font>, <@userid> or <at id=all></at>) and none
// of them documents a backslash escape. So article text is made safe the
// same way for all three: each special becomes its full-width twin, which
// reads the same and means nothing. Discord's markdown does honour
// backslashes and is escaped that way in package discord.
var fullWidth = strings.NewReplacer(
	`\`, `＼`, "`", "｀", "*", "＊", "_", "＿", "~", "～",
	"[", "［", "]", "］", "<", "＜", ">", "＞",
)

// EscapeMarkdownFullWidth makes plain text safe in the robots' markdown
// (see fullWidth); a leading #, - or + (a heading or list item at a line's
// start) is neutralised too.
func EscapeMarkdownFullWidth(s string) string {
	s = fullWidth.Replace(s)
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

// linkTarget percent-encodes what would end or break a markdown link
// target; the URL means the same to the server.
var linkTarget = strings.NewReplacer(
	" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E",
	"[", "%5B", "]", "%5D", `"`, "%22", "`", "%60",
)

// MarkdownURL makes u safe as a markdown link or image target: u should
// be a SafeURL already.
func MarkdownURL(u string) string { return linkTarget.Replace(u) }

// MarkdownLink is [text](u) with text escaped (EscapeMarkdownFullWidth)
// and u made safe inside the parentheses; a u that is not an absolute
// http(s) URL leaves the text without a link.
func MarkdownLink(text, u string) string {
	if u = SafeURL(u); u == "" {
		return EscapeMarkdownFullWidth(text)
	}
	return "[" + EscapeMarkdownFullWidth(text) + "](" + MarkdownURL(u) + ")"
}
