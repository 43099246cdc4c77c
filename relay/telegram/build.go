package telegram

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
)

// Lengths, in characters after entities parsing: a message's text 1–4096,
// a photo's caption 0–1024 (https://core.telegram.org/bots/api#sendmessage,
// #sendphoto). The rest are ours: a title is not a paragraph, and the Bot
// FAQ warns that long messages hit the limits sooner.
const (
	maxText     = 4096
	maxCaption  = 1024
	maxTitle    = 300
	maxFooter   = 200
	maxBody     = 1500 // summary, or the converted article when there is none
	digestBody  = 300  // a digest entry's summary
	defaultBase = "https://api.telegram.org"
)

type sendMessage struct {
	ChatID      any          `json:"chat_id"`
	Text        string       `json:"text"`
	ParseMode   string       `json:"parse_mode"`
	LinkPreview *linkPreview `json:"link_preview_options,omitempty"`
}

// linkPreview is LinkPreviewOptions, which replaced
// disable_web_page_preview in Bot API 7.0.
type linkPreview struct {
	IsDisabled bool   `json:"is_disabled,omitempty"`
	URL        string `json:"url,omitempty"`
}

type sendPhoto struct {
	ChatID    any    `json:"chat_id"`
	Photo     string `json:"photo"`
	Caption   string `json:"caption,omitempty"`
	ParseMode string `json:"parse_mode"`
}

// Build makes a sendMessage request, or with Format "photo" a sendPhoto
// of the head image with the text as its caption (an article without an
// image, and any digest, goes out as sendMessage). The bot token is part
// of the URL path, as the Bot API wants: <base>/bot<token>/<method>.
func (formatter) Build(t *feedrelay.RelayTarget, items []platform.Item, now time.Time) (platform.Request, error) {
	if err := platform.CheckCount("telegram", items, maxItems); err != nil {
		return platform.Request{}, err
	}
	if t.BotToken == "" || t.ChatID == "" {
		return platform.Request{}, errors.New("telegram: the target needs a bot token and a chat id")
	}
	if t.Format != "" && t.Format != "message" && t.Format != "photo" {
		return platform.Request{}, fmt.Errorf("telegram: unknown format %q (message or photo)", t.Format)
	}
	chat := chatID(t.ChatID)
	var method string
	var payload any
	switch it := &items[0]; {
	case t.Format == "photo" && len(items) == 1 && isHTTP(it.Image):
		method = "sendPhoto"
		payload = sendPhoto{ChatID: chat, Photo: strings.TrimSpace(it.Image), Caption: single(it, maxCaption), ParseMode: "HTML"}
	case len(items) == 1:
		m := sendMessage{ChatID: chat, Text: single(it, maxText), ParseMode: "HTML", LinkPreview: &linkPreview{IsDisabled: true}}
		if isHTTP(it.URL) {
			m.LinkPreview = &linkPreview{URL: it.URL} // the article's card, not a link in the summary
		}
		method, payload = "sendMessage", m
	default:
		method = "sendMessage"
		payload = sendMessage{ChatID: chat, Text: digest(items), ParseMode: "HTML", LinkPreview: &linkPreview{IsDisabled: true}}
	}
	body, err := platform.EncodeJSON(payload)
	if err != nil {
		return platform.Request{}, fmt.Errorf("telegram: %w", err)
	}
	base := strings.TrimRight(t.URL, "/")
	if base == "" {
		base = defaultBase
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	return platform.Request{
		Method: http.MethodPost,
		URL:    base + "/bot" + t.BotToken + "/" + method,
		Header: h,
		Body:   body,
	}, nil
}

// chatID sends a numeric id as a number and @channelname as a string.
func chatID(s string) any {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	return s
}

// isHTTP is linkable without tg:// links: what Telegram can fetch as a
// photo or a link preview.
func isHTTP(u string) bool {
	l := strings.ToLower(strings.TrimSpace(u))
	return (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) && linkable(u)
}

// single is one article: the linked title in bold, the summary (or, when
// there is none, the article converted by ToTelegramHTML) and an italic
// line naming source, author and categories; at most limit visible.
func single(it *platform.Item, limit int) string {
	var b strings.Builder
	used := title(&b, it, min(maxTitle, limit/4))
	foot := footer(it, min(maxFooter, limit/5))
	room := limit - used - 2 - platform.UTF16Len(foot) - 2 // the blank lines around the body
	if room = min(room, maxBody); room > 0 {
		if s := strings.TrimSpace(it.Summary); s != "" {
			b.WriteString("\n\n" + escapeText(cut(s, room)))
		} else if h := ToTelegramHTML(it.ContentHTML, room); h != "" {
			b.WriteString("\n\n" + h)
		}
	}
	if foot != "" {
		b.WriteString("\n\n<i>" + escapeText(foot) + "</i>")
	}
	return b.String()
}

// digest lists the articles, each its linked title and a short summary.
func digest(items []platform.Item) string {
	share := (maxText - 2*(len(items)-1)) / len(items)
	var b strings.Builder
	for i := range items {
		if i > 0 {
			b.WriteString("\n\n")
		}
		it := &items[i]
		used := title(&b, it, min(maxTitle, share/2))
		foot := footer(it, min(maxFooter/2, share/6))
		room := min(digestBody, share-used-1-platform.UTF16Len(foot)-1)
		if s := strings.TrimSpace(it.Summary); s != "" && room > 0 {
			b.WriteString("\n" + escapeText(cut(s, room)))
		}
		if foot != "" {
			b.WriteString("\n<i>" + escapeText(foot) + "</i>")
		}
	}
	return b.String()
}

// title writes <b><a href="url">title</a></b> and returns its visible length.
func title(b *strings.Builder, it *platform.Item, limit int) int {
	t := cut(platform.TitleOrURL(it), limit)
	if linkable(it.URL) {
		b.WriteString(`<b><a href="` + escapeAttr(strings.TrimSpace(it.URL)) + `">` + escapeText(t) + "</a></b>")
	} else {
		b.WriteString("<b>" + escapeText(t) + "</b>")
	}
	return platform.UTF16Len(t)
}

// footer is "source · author · categories", plain text at most limit long.
func footer(it *platform.Item, limit int) string {
	return cut(platform.JoinTrimmed(" · ", it.SourceTitle, it.Author, strings.Join(it.Categories, ", ")), limit)
}
