package telegram

import "regexp"

// ToTelegramHTML converts sanitized article HTML into Telegram's HTML
// subset (https://core.telegram.org/bots/api#html-style), with at most
// maxChars visible characters (counted in UTF-16 code units, as Telegram
// counts "characters after entities parsing"):
//
//   - b/strong, i/em, u/ins, s/strike/del, a href (http, https and tg links
//     only), code, pre (with <code class="language-…"> inside), blockquote,
//     tg-spoiler and <span class="tg-spoiler"> are kept; h1–h6 become bold;
//   - script, style, noscript, template, iframe, svg, math, video, audio,
//     canvas, object, select and textarea are dropped with their content;
//   - every other tag is dropped and its text kept; p, div, h1–h6, li, br,
//     tr and the like become line breaks, list items start with "• " (or
//     "1. " in an ordered list), an image becomes a link "[image]";
//   - whitespace collapses outside pre; text is escaped again ("<", ">",
//     "&"; '"' as well in attributes), so no entity or markup of the
//     article reaches Telegram unchanged;
//   - Telegram's nesting rules hold: nothing inside code or pre, no link
//     inside a link, no code or pre inside a link, no blockquote inside a
//     blockquote;
//   - a longer text is cut on a rune (and preferably word) boundary with
//     "…", and the tags open at the cut are closed.
func ToTelegramHTML(articleHTML string, maxChars int) string {
	if maxChars <= 0 {
		return ""
	}
	out, n := convert(articleHTML, -1)
	if n <= maxChars {
		return out
	}
	out, _ = convert(articleHTML, maxChars-1) // one left for the ellipsis
	return out
}

// renamed maps the source elements Telegram keeps to its tag names.
var renamed = map[string]string{
	"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u",
	"s": "s", "strike": "s", "del": "s", "a": "a", "code": "code", "pre": "pre",
	"blockquote": "blockquote", "tg-spoiler": "tg-spoiler",
	"h1": "b", "h2": "b", "h3": "b", "h4": "b", "h5": "b", "h6": "b",
}

// dropped elements lose their content too: code, styling, embedded
// documents and media fallbacks are not article text.
var dropped = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "head": true,
	"title": true, "iframe": true, "object": true, "svg": true, "math": true,
	"video": true, "audio": true, "canvas": true, "select": true, "textarea": true,
	"noembed": true, "noframes": true,
}

// breaks is how many newlines an element puts around itself: paragraphs
// and other blocks a blank line, list items, rows and divisions one.
var breaks = map[string]int{
	"p": 2, "h1": 2, "h2": 2, "h3": 2, "h4": 2, "h5": 2, "h6": 2, "pre": 2,
	"blockquote": 2, "ul": 2, "ol": 2, "table": 2, "figure": 2, "hr": 2,
	"section": 2, "article": 2, "header": 2, "footer": 2, "aside": 2,
	"nav": 2, "main": 2, "address": 2, "details": 2, "dl": 2,
	"div": 1, "li": 1, "tr": 1, "dt": 1, "dd": 1, "figcaption": 1,
	"summary": 1, "caption": 1,
}

// void elements have no end tag.
var void = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "param": true,
	"source": true, "track": true, "wbr": true,
}

var languageClass = regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]{1,32}$`)
