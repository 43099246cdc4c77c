// Package dingtalk formats articles for DingTalk (钉钉) custom robots (link, markdown or feedCard messages, optionally signed) and reads the robot's answers.
package dingtalk

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
)

// maxItems caps digests. DingTalk states no feedCard length; ten keeps a
// card readable on a phone and, with titles cut to fit, the body under the
// 20000-byte limit below. Its docs tell bulk senders to aggregate
// (relay-platforms.md 2.5), so a digest is the intended use.
const maxItems = 10

// maxBody is the request size DingTalk accepts: errcode 460101 "body
// 大小不合法;solution:请保持大小在 20000bytes 以内" (observed in
// github.com/timonwong/prometheus-webhook-dingtalk/pull/222).
const maxBody = 20000

type formatter struct{}

// New returns the DingTalk custom-robot formatter.
func New() platform.Formatter { return formatter{} }

func (formatter) MaxItems() int { return maxItems }

// DefaultRate paces below "每个机器人每分钟最多发送20条消息到群里，如果超过20条，
// 会限流10分钟" (relay-platforms.md 2.5). A token bucket refilling r per
// minute with burst b lets at most b + r sends into any 60 s window, so
// 16/min with burst 2 admits at most 18: overflow costs a 10-minute block,
// so we keep two messages of slack for jitter between our clock and
// DingTalk's counter.
func (formatter) DefaultRate() (perMinute float64, burst int) { return 16, 2 }

// Build makes the robot message. t.Format "link" sends one article as a
// link card ("link" with several becomes a feedCard, the link card's list
// form), "feedcard" a feedCard, "markdown" one markdown message. "" picks:
// link for one article, feedCard for several when every one has an image
// (the docs list picURL as required), markdown otherwise.
func (formatter) Build(t *feedrelay.RelayTarget, items []platform.Item, now time.Time) (platform.Request, error) {
	if t == nil {
		return platform.Request{}, errors.New("dingtalk: no target")
	}
	if err := platform.CheckItems("dingtalk", items, maxItems); err != nil {
		return platform.Request{}, err
	}
	u, err := signedURL(t.URL, t.Secret, now)
	if err != nil {
		return platform.Request{}, err
	}
	var body []byte
	switch f := strings.ToLower(strings.TrimSpace(t.Format)); {
	case (f == "" || f == "link") && len(items) == 1:
		body, err = fit(func(b platform.Budget) any { return linkBody(items[0], b) })
	case f == "feedcard" || f == "link" || (f == "" && allImages(items)):
		body, err = fit(func(b platform.Budget) any { return feedCardBody(items, b) })
	case f == "" || f == "markdown":
		body, err = fit(func(b platform.Budget) any { return markdownBody(items, b) })
	default:
		return platform.Request{}, fmt.Errorf("dingtalk: unknown format %q (want link, markdown or feedcard)", t.Format)
	}
	if err != nil {
		return platform.Request{}, err
	}
	return platform.Request{
		Method: http.MethodPost,
		URL:    u,
		// The docs insist on UTF-8: "必须将字符集编码设置成UTF-8".
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:   body,
	}, nil
}

func allImages(items []platform.Item) bool {
	for _, it := range items {
		if platform.SafeURL(it.Image) == "" {
			return false
		}
	}
	return true
}

// budgets are tried in turn: shorter summaries first, then shorter titles
// (Title 0: titleRunes).
var budgets = []platform.Budget{{Summary: 500}, {Summary: 200}, {Summary: 100}, {Summary: 40}, {}, {Title: 60}, {Title: 20}}

// fit encodes the first message that fits maxBody, without HTML escaping
// ("<" stays one byte).
func fit(build func(platform.Budget) any) ([]byte, error) {
	return platform.FitJSON("dingtalk", maxBody, budgets, build)
}
