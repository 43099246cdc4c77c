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

func postBody(items []platform.Item, b platform.Budget) postContent {
	p := postLocale{Title: platform.DigestTitle(items, b.TitleCap(titleRunes))}
	para := func(els ...postInline) { p.Content = append(p.Content, els) }
	for _, it := range items {
		if len(items) > 1 {
			para(postInline{Tag: "a", Text: platform.CutRunes(platform.ChineseTitle(it), b.TitleCap(titleRunes)), Href: platform.SafeURL(it.URL)})
		}
		if sum := platform.Clean(it.Summary); sum != "" && b.Summary > 0 {
			para(postInline{Tag: "text", Text: platform.CutRunes(sum, b.Summary)})
		}
		if src := platform.Clean(it.SourceTitle); src != "" {
			para(postInline{Tag: "text", Text: "来源: " + platform.CutRunes(src, 60)})
		}
		if len(items) == 1 {
			para(postInline{Tag: "a", Text: readLabel, Href: platform.SafeURL(it.URL)})
		}
	}
	return postContent{Post: postLocales{ZhCN: p}}
}
