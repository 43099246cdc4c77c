package feishu

import "github.com/feedrelay/feedrelay/relay/platform"

// A post (富文本) message: content.post.zh_cn {title, content}, content a list
// of paragraphs, each a list of text / a elements (relay-platforms.md 3.7).
// Text elements are plain text, so article text needs no escaping; img
// elements need an image_key a custom bot cannot upload, so posts carry no
// picture.

type postContent struct {
	Post postLocales `json:"post"`
}

type postLocales struct {
	ZhCN postLocale `json:"zh_cn"`
}

type postLocale struct {
	Title   string         `json:"title"`
	Content [][]postInline `json:"content"`
}

type postInline struct {
	Tag  string `json:"tag"` // text or a
	Text string `json:"text"`
	Href string `json:"href,omitempty"`
}

func postBody(items []platform.Item, b budget) postContent {
	p := postLocale{Title: digestTitle(items, b)}
	para := func(els ...postInline) { p.Content = append(p.Content, els) }
	for _, it := range items {
		if len(items) > 1 {
			para(postInline{Tag: "a", Text: cutRunes(title(it), titleCap(b)), Href: safeURL(it.URL)})
		}
		if sum := clean(it.Summary); sum != "" && b.summary > 0 {
			para(postInline{Tag: "text", Text: cutRunes(sum, b.summary)})
		}
		if src := clean(it.SourceTitle); src != "" {
			para(postInline{Tag: "text", Text: "来源: " + cutRunes(src, 60)})
		}
		if len(items) == 1 {
			para(postInline{Tag: "a", Text: readLabel, Href: safeURL(it.URL)})
		}
	}
	return postContent{Post: postLocales{ZhCN: p}}
}
