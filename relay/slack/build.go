package slack

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
)

// Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks):
// a section's text is at most 3000 characters, a message at most 50
// blocks, an image element's image_url 3000 and alt_text 2000. Messages
// whose blocks add up to about 13,000 characters are refused with
// msg_blocks_too_long although no page says so
// (https://github.com/slackapi/bolt-js/issues/2509), so a message's
// articles share 10,000: seven tenths for sections, the rest for context.
const (
	maxSection     = 3000
	maxBlocks      = 50
	maxImageURL    = 3000
	maxAltText     = 2000
	maxTitle       = 250 // of a section; titles longer than that are not headlines
	maxContextText = 300
	maxFallback    = 3000 // "text": shown in notifications; Slack truncates at 40,000
	messageBudget  = 10000
)

type message struct {
	Text   string  `json:"text"`
	Blocks []block `json:"blocks"`
}

type block struct {
	Type      string     `json:"type"`
	Text      *textObj   `json:"text,omitempty"`
	Accessory *imageElem `json:"accessory,omitempty"`
	Elements  []textObj  `json:"elements,omitempty"`
}

type textObj struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type imageElem struct {
	Type     string `json:"type"`
	ImageURL string `json:"image_url"`
	AltText  string `json:"alt_text"`
}

// Build posts {"text": fallback, "blocks": [...]} to the webhook URL: per
// article a mrkdwn section "*<url|title>*" and the summary (the head image
// as its accessory), then a context block naming the source, author and
// categories; a digest puts a divider between articles.
func (formatter) Build(t *feedrelay.RelayTarget, items []platform.Item, now time.Time) (platform.Request, error) {
	if err := platform.CheckCount("slack", items, maxItems); err != nil {
		return platform.Request{}, err
	}
	if t.URL == "" {
		return platform.Request{}, errors.New("slack: the target has no webhook URL")
	}
	share := messageBudget / len(items)
	m := message{Text: fallback(items)}
	for i := range items {
		if i > 0 {
			m.Blocks = append(m.Blocks, block{Type: "divider"})
		}
		m.Blocks = append(m.Blocks, articleBlocks(&items[i], share)...)
	}
	if len(m.Blocks) > maxBlocks { // cannot happen with maxItems 10; keep the promise anyway
		m.Blocks = m.Blocks[:maxBlocks]
	}
	body, err := platform.EncodeJSON(m) // the text is escaped for Slack already; keep it readable
	if err != nil {
		return platform.Request{}, fmt.Errorf("slack: %w", err)
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return platform.Request{Method: http.MethodPost, URL: t.URL, Header: h, Body: body}, nil
}

// articleBlocks is one article's section and, if there is anything to
// say, its context block, together at most share long.
func articleBlocks(it *platform.Item, share int) []block {
	limit := min(maxSection, share*7/10)
	title := platform.TitleOrURL(it)
	head := "*" + link(it.URL, fit(title, maxTitle)) + "*"
	text := head
	if s := strings.TrimSpace(it.Summary); s != "" {
		if room := limit - platform.UTF16Len(head) - 1; room > 0 {
			if cut := fit(s, room); cut != "" {
				text += "\n" + cut
			}
		}
	}
	if platform.UTF16Len(text) > limit { // an enormous URL: drop the link, keep the title
		text = "*" + fit(title, limit-2) + "*"
	}
	sec := block{Type: "section", Text: &textObj{Type: "mrkdwn", Text: text}}
	if img := strings.TrimSpace(it.Image); isHTTP(img) && len(img) <= maxImageURL {
		alt := []rune(title) // alt_text is plain text: Slack shows it as written
		if len(alt) > maxAltText/2 {
			alt = alt[:maxAltText/2]
		}
		sec.Accessory = &imageElem{Type: "image", ImageURL: img, AltText: string(alt)}
	}
	out := []block{sec}
	if ctx := contextElements(it, min(maxContextText, share*3/10)); len(ctx) > 0 {
		out = append(out, block{Type: "context", Elements: ctx})
	}
	return out
}

// contextElements names the source (linked), the author and the
// categories, each its own mrkdwn element, together at most limit long.
func contextElements(it *platform.Item, limit int) []textObj {
	var els []textObj
	add := func(s string) {
		if s != "" {
			els = append(els, textObj{Type: "mrkdwn", Text: s})
		}
	}
	if src := strings.TrimSpace(it.SourceTitle); src != "" {
		label := fit(src, limit/3)
		add(link(it.SourceURL, label))
	}
	if a := strings.TrimSpace(it.Author); a != "" {
		add(fit(a, limit/6))
	}
	if len(it.Categories) > 0 {
		add(fit(strings.Join(it.Categories, ", "), limit/2))
	}
	return els
}

// fallback is the notification text: the title, or a digest's titles one
// a line.
func fallback(items []platform.Item) string {
	titles := make([]string, 0, len(items))
	for i := range items {
		titles = append(titles, platform.TitleOrURL(&items[i]))
	}
	return fit(strings.Join(titles, "\n"), maxFallback)
}
