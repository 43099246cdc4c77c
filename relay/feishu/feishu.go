// Package feishu formats articles for Feishu / Lark (飞书) custom bots (interactive cards or post rich text, optionally signed) and reads the bot's answers.
package feishu

import (
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
	if err := platform.CheckItems("feishu", items, maxItems); err != nil {
		return platform.Request{}, err
	}
	var msg func(platform.Budget) message
	switch strings.ToLower(strings.TrimSpace(t.Format)) {
	case "", "interactive", "card":
		msg = func(b platform.Budget) message { return message{MsgType: "interactive", Card: cardBody(items, b)} }
	case "post":
		msg = func(b platform.Budget) message { return message{MsgType: "post", Content: postBody(items, b)} }
	default:
		return platform.Request{}, fmt.Errorf("feishu: unknown format %q (want interactive or post)", t.Format)
	}
	var ts, sign string
	if t.Secret != "" {
		ts, sign = Sign(t.Secret, now)
	}
	// Without HTML escaping ("<" stays one byte).
	body, err := platform.FitJSON("feishu", maxBody, budgets, func(b platform.Budget) any {
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

// budgets are tried in turn: shorter summaries first, then shorter titles
// (Title 0: titleRunes).
var budgets = []platform.Budget{{Summary: 600}, {Summary: 300}, {Summary: 150}, {Summary: 60}, {}, {Title: 60}, {Title: 20}}

// titleRunes caps titles when the budget does not: Feishu states no limit,
// longer card headers only wrap.
const titleRunes = 100
