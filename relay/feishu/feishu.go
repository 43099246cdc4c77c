// Package feishu formats articles for Feishu / Lark (飞书) custom bots (interactive cards or post rich text, optionally signed) and reads the bot's answers.
package feishu

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
)

// maxItems caps digests. Feishu states no per-message article count; ten
// articles, with summaries cut to fit, stay well inside the body limit.
const maxItems = 10

// maxBody is the request size limit: "发送消息时，请求体的数据大小不能超过 20 KB"
// (custom bot guide; relay-platforms.md 3.4). 20000 rather than 20480 in
// case "KB" means a thousand.
const maxBody = 20000

type formatter struct{}

// New returns the Feishu / Lark custom-bot formatter.
func New() platform.Formatter { return formatter{} }

func (formatter) MaxItems() int { return maxItems }

// DefaultRate paces below "单租户单机器人 100 次/分钟，5 次/秒" (custom bot guide;
// relay-platforms.md 3.3). A token bucket refilling r per minute with burst
// b admits at most b + r/60 sends in any second and b + r in any minute:
// 90/min with burst 3 gives at most 4 a second (3 + 1.5, whole messages)
// and 93 a minute, one message of slack under each limit.
func (formatter) DefaultRate() (perMinute float64, burst int) { return 90, 3 }

// message is the webhook body; timestamp and sign are set for bots with
// 签名校验 enabled.
type message struct {
	Timestamp string `json:"timestamp,omitempty"`
	Sign      string `json:"sign,omitempty"`
	MsgType   string `json:"msg_type"`
	Content   any    `json:"content,omitempty"` // post
	Card      any    `json:"card,omitempty"`    // interactive
}

// Build makes the bot message: t.Format "" or "interactive" sends a card,
// "post" rich text; several items go into one message.
func (formatter) Build(t *feedrelay.RelayTarget, items []platform.Item, now time.Time) (platform.Request, error) {
	if t == nil {
		return platform.Request{}, errors.New("feishu: no target")
	}
	if err := checkItems(items); err != nil {
		return platform.Request{}, err
	}
	var msg func(budget) message
	switch strings.ToLower(strings.TrimSpace(t.Format)) {
	case "", "interactive", "card":
		msg = func(b budget) message { return message{MsgType: "interactive", Card: cardBody(items, b)} }
	case "post":
		msg = func(b budget) message { return message{MsgType: "post", Content: postBody(items, b)} }
	default:
		return platform.Request{}, fmt.Errorf("feishu: unknown format %q (want interactive or post)", t.Format)
	}
	var ts, sign string
	if t.Secret != "" {
		ts, sign = Sign(t.Secret, now)
	}
	body, err := fit(func(b budget) any {
		m := msg(b)
		m.Timestamp, m.Sign = ts, sign
		return m
	})
	if err != nil {
		return platform.Request{}, err
	}
	return platform.Request{
		Method: http.MethodPost,
		URL:    t.URL, // the token is the URL's last path segment
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:   body,
	}, nil
}

func checkItems(items []platform.Item) error {
	if len(items) == 0 {
		return errors.New("feishu: no items to send")
	}
	if len(items) > maxItems {
		return fmt.Errorf("feishu: %d items, at most %d fit one message", len(items), maxItems)
	}
	for i, it := range items {
		if safeURL(it.URL) == "" {
			return fmt.Errorf("feishu: item %d has no absolute http(s) URL", i+1)
		}
	}
	return nil
}

// budget is one attempt at fitting maxBody: summary and title lengths in
// runes (summary 0 drops summaries, title 0 keeps titles whole).
type budget struct{ summary, title int }

// budgets are tried in turn: shorter summaries first, then shorter titles.
var budgets = []budget{{600, 0}, {300, 0}, {150, 0}, {60, 0}, {0, 0}, {0, 60}, {0, 20}}

// fit encodes the first message that fits maxBody.
func fit(build func(budget) any) ([]byte, error) {
	var n int
	for _, b := range budgets {
		body, err := encode(build(b))
		if err != nil {
			return nil, err
		}
		if len(body) <= maxBody {
			return body, nil
		}
		n = len(body)
	}
	return nil, fmt.Errorf("feishu: message is %d bytes even with titles cut, limit %d (URLs too long?)", n, maxBody)
}

// encode marshals without HTML escaping ("<" stays one byte).
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("feishu: encode message: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func title(it platform.Item) string {
	if t := clean(it.Title); t != "" {
		return t
	}
	return "(无标题)"
}

// titleRunes caps titles when the budget does not: Feishu states no limit,
// longer card headers only wrap.
const titleRunes = 100

func titleCap(b budget) int {
	if b.title > 0 {
		return b.title
	}
	return titleRunes
}

// digestTitle names a several-article message after its first article.
func digestTitle(items []platform.Item, b budget) string {
	if len(items) == 1 {
		return cutRunes(title(items[0]), titleCap(b))
	}
	return fmt.Sprintf("%s 等 %d 篇", cutRunes(title(items[0]), 30), len(items))
}
