// Package wecom formats articles for WeCom (企业微信) group robots (消息推送, news or markdown messages) and reads the robot's answers.
package wecom

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
)

// maxArticles is the news message's limit: "一个图文消息支持1到8条图文"
// (developer.work.weixin.qq.com/document/path/99110; relay-platforms.md 1.5).
// Markdown digests carry as many so a target's digest size does not depend
// on its format.
const maxArticles = 8

type formatter struct{}

// New returns the WeCom group-robot formatter.
func New() platform.Formatter { return formatter{} }

func (formatter) MaxItems() int { return maxArticles }

// DefaultRate paces below "每个消息推送发送的消息不能超过20条/分钟"
// (path/99110; relay-platforms.md 1.8). A token bucket refilling r per
// minute with burst b lets at most b + r sends into any 60 s window (a full
// bucket, then a minute of refill), so 17/min with burst 2 admits at most 19:
// one message of slack for clock and network jitter between our bucket and
// WeCom's counter.
func (formatter) DefaultRate() (perMinute float64, burst int) { return 17, 2 }

// Build makes the robot message: t.Format "" or "news" sends a news card
// (图文) per article, "markdown" one markdown message listing them.
func (formatter) Build(t *feedrelay.RelayTarget, items []platform.Item, now time.Time) (platform.Request, error) {
	if t == nil {
		return platform.Request{}, errors.New("wecom: no target")
	}
	if err := platform.CheckItems("wecom", items, maxArticles); err != nil {
		return platform.Request{}, err
	}
	var msg any
	switch strings.ToLower(strings.TrimSpace(t.Format)) {
	case "", "news":
		msg = newsBody(items)
	case "markdown":
		msg = markdownBody(items)
	default:
		return platform.Request{}, fmt.Errorf("wecom: unknown format %q (want news or markdown)", t.Format)
	}
	// Without HTML escaping: WeCom's byte limits count the decoded text,
	// and "<" stays one byte instead of six.
	body, err := platform.EncodeJSON(msg)
	if err != nil {
		return platform.Request{}, fmt.Errorf("wecom: encode message: %w", err)
	}
	return platform.Request{
		Method: http.MethodPost,
		URL:    t.URL, // the key travels in the URL's query; WeCom robots have no signing
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   body,
	}, nil
}
