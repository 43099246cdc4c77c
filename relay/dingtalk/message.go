package dingtalk

import (
	"fmt"

	"github.com/feedrelay/feedrelay/relay/platform"
)

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

func linkBody(it platform.Item, b budget) linkMessage {
	text := ""
	if sum := clean(it.Summary); sum != "" && b.summary > 0 {
		text = cutRunes(sum, b.summary)
	}
	if src := clean(it.SourceTitle); src != "" {
		if text != "" {
			text += "\n"
		}
		text += "来源: " + cutRunes(src, 60)
	}
	if text == "" {
		text = cutRunes(title(it), titleCap(b))
	}
	return linkMessage{MsgType: "link", Link: link{
		Title:      cutRunes(title(it), titleCap(b)),
		Text:       text,
		MessageURL: safeURL(it.URL),
		PicURL:     safeURL(it.Image),
	}}
}

func feedCardBody(items []platform.Item, b budget) feedCardMessage {
	m := feedCardMessage{MsgType: "feedCard"}
	for _, it := range items {
		m.FeedCard.Links = append(m.FeedCard.Links, feedLink{
			Title:      cutRunes(title(it), titleCap(b)),
			MessageURL: safeURL(it.URL),
			PicURL:     safeURL(it.Image),
		})
	}
	return m
}

func markdownBody(items []platform.Item, b budget) markdownMessage {
	head := cutRunes(title(items[0]), titleCap(b))
	if len(items) > 1 {
		head = fmt.Sprintf("%s 等 %d 篇", cutRunes(title(items[0]), 30), len(items))
	}
	return markdownMessage{MsgType: "markdown", Markdown: markdown{Title: head, Text: renderMarkdown(items, b)}}
}

func titleCap(b budget) int {
	if b.title > 0 {
		return b.title
	}
	return titleRunes
}

func title(it platform.Item) string {
	if t := clean(it.Title); t != "" {
		return t
	}
	return "(无标题)"
}
