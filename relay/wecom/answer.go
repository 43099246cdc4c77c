package wecom

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// rateWindow is how long a 45009 asks us to wait: the limit counts
// messages per minute (path/99110), so a minute empties the window.
const rateWindow = time.Minute

// messageBytes bounds Outcome.Message.
const messageBytes = 200

// answer is the robot's reply: {"errcode":0,"errmsg":"ok"} on success, the
// same shape with a nonzero errcode (still HTTP 200) on failure.
type answer struct {
	ErrCode *int   `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// Interpret reads WeCom's answer. WeCom reports errors as HTTP 200 with a
// nonzero errcode, so the code decides; the HTTP status only matters when
// no code came back.
func (formatter) Interpret(status int, header http.Header, body []byte) platform.Outcome {
	var a answer
	coded := json.Unmarshal(body, &a) == nil && a.ErrCode != nil
	switch {
	case status == http.StatusTooManyRequests:
		return platform.Outcome{Kind: platform.RateLimited, RetryAfter: retryAfter(header, rateWindow), Message: httpMessage(status, body)}
	case status >= 500:
		return platform.Outcome{Kind: platform.Retry, Message: httpMessage(status, body)}
	case coded && *a.ErrCode != 0:
		return classify(*a.ErrCode, a.ErrMsg)
	case coded && status/100 == 2:
		return platform.Outcome{Kind: platform.Delivered, Message: codeMessage(0, a.ErrMsg)}
	case status/100 != 2:
		return httpOutcome(status, body)
	}
	return platform.Outcome{Kind: platform.Retry, Message: "unreadable answer: " + fitBytes(clean(string(body)), messageBytes)}
}

// classify maps a nonzero errcode (WeCom global error codes,
// developer.work.weixin.qq.com/document/path/90313, as mirrored in WxJava's
// WxCpErrorMsgEnum; 93000 and 45009 as observed in relay-platforms.md 1.9).
func classify(code int, msg string) platform.Outcome {
	o := platform.Outcome{Message: codeMessage(code, msg)}
	switch {
	case code == -1: // 系统繁忙: "建议稍候重试"
		o.Kind = platform.Retry
	case code == 45009: // api freq out of limit (接口调用超过限制)
		o.Kind, o.RetryAfter = platform.RateLimited, rateWindow
	case code == 45033: // 接口并发调用超过限制: no wait stated
		o.Kind = platform.RateLimited
	case code >= 93000 && code <= 93999:
		// The robot's own errors: 93000 invalid webhook url (wrong or
		// removed key), and the rest of the family (robot disabled, not in
		// the chat). Resending to the same key cannot help.
		o.Kind = platform.Permanent
	case rejectedCodes[code]:
		o.Kind = platform.Rejected
	default: // unknown: assume transient, the retry budget ends it
		o.Kind = platform.Retry
	}
	return o
}

// rejectedCodes reject the message itself; the same body fails again,
// other messages to the robot can still go.
var rejectedCodes = map[int]bool{
	40008: true, // 不合法的msgtype
	40033: true, // 不合法的请求字符
	40035: true, // 不合法的参数
	40058: true, // 不合法的参数 (e.g. markdown.content exceed max length 4096)
	40063: true, // 参数为空
	41016: true, // 缺少title参数
	44004: true, // content参数为空 ("empty content")
	45002: true, // 消息内容大小超过限制
	45008: true, // 图文消息的文章数量不能超过8条
}

func codeMessage(code int, msg string) string {
	return fitBytes(fmt.Sprintf("errcode %d: %s", code, clean(msg)), messageBytes)
}

// httpOutcome classifies a non-2xx status that carried no errcode.
func httpOutcome(status int, body []byte) platform.Outcome {
	kind := platform.Permanent // 400 bad body, 403/404 wrong URL: resending cannot help
	if status == http.StatusRequestTimeout || status == http.StatusTooEarly || status < 300 {
		kind = platform.Retry
	}
	return platform.Outcome{Kind: kind, Message: httpMessage(status, body)}
}

func httpMessage(status int, body []byte) string {
	text := clean(string(body))
	if text == "" {
		text = http.StatusText(status)
	}
	return fitBytes(fmt.Sprintf("HTTP %d: %s", status, text), messageBytes)
}

// retryAfter reads Retry-After (seconds, or an HTTP date measured against
// the answer's Date header); def when it is absent or unreadable.
func retryAfter(h http.Header, def time.Duration) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return def
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return def
	}
	ref, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		ref = time.Now()
	}
	if d := at.Sub(ref); d > 0 {
		return d
	}
	return 0
}
