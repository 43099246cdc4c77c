package dingtalk

import "github.com/feedrelay/feedrelay/relay/platform"

// Message bodies (relay-platforms.md 2.4). Note the casing: link has
// messageUrl/picUrl, feedCard's links have messageURL/picURL.

type linkMessage struct {
	MsgType string `json:"msgtype"`
	Link    link   `json:"link"`
}

type link struct {
	Title      string `json:"title"`
	Text       string `json:"text"` // required: the card's description
	MessageURL string `json:"messageUrl"`
	PicURL     string `json:"picUrl,omitempty"`
}

type feedCardMessage struct {
	MsgType  string   `json:"msgtype"`
	FeedCard feedCard `json:"feedCard"`
}

type feedCard struct {
	Links []feedLink `json:"links"`
}

type feedLink struct {
	Title      string `json:"title"`
	MessageURL string `json:"messageURL"`
	// PicURL is listed as required; Build only picks feedCard on its own
	// when every article has an image, and leaves it out otherwise.
	PicURL string `json:"picURL,omitempty"`
}

type markdownMessage struct {
	MsgType  string   `json:"msgtype"`
	Markdown markdown `json:"markdown"`
}

type markdown struct {
	Title string `json:"title"` // shown in the chat list and the notification
	Text  string `json:"text"`
}

// titleRunes caps titles when the budget does not: DingTalk states no
// limit, and longer titles only wrap in cards and notifications.
const titleRunes = 100

func linkBody(it platform.Item, b platform.Budget) linkMessage {
	text := ""
	if sum := platform.Clean(it.Summary); sum != "" && b.Summary > 0 {
		text = platform.CutRunes(sum, b.Summary)
	}
	if src := platform.Clean(it.SourceTitle); src != "" {
		if text != "" {
			text += "\n"
		}
		text += "来源: " + platform.CutRunes(src, 60)
	}
	if text == "" {
		text = platform.CutRunes(platform.ChineseTitle(it), b.TitleCap(titleRunes))
	}
	return linkMessage{MsgType: "link", Link: link{
		Title:      platform.CutRunes(platform.ChineseTitle(it), b.TitleCap(titleRunes)),
		Text:       text,
		MessageURL: platform.SafeURL(it.URL),
		PicURL:     platform.SafeURL(it.Image),
	}}
}

func feedCardBody(items []platform.Item, b platform.Budget) feedCardMessage {
	m := feedCardMessage{MsgType: "feedCard"}
	for _, it := range items {
		m.FeedCard.Links = append(m.FeedCard.Links, feedLink{
			Title:      platform.CutRunes(platform.ChineseTitle(it), b.TitleCap(titleRunes)),
			MessageURL: platform.SafeURL(it.URL),
			PicURL:     platform.SafeURL(it.Image),
		})
	}
	return m
}

func markdownBody(items []platform.Item, b platform.Budget) markdownMessage {
	head := platform.DigestTitle(items, b.TitleCap(titleRunes))
	return markdownMessage{MsgType: "markdown", Markdown: markdown{Title: head, Text: renderMarkdown(items, b)}}
}
