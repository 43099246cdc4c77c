package wecom

import (
	"net/http"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// rateWindow is how long a 45009 asks us to wait: the limit counts
// messages per minute (path/99110), so a minute empties the window.
const rateWindow = time.Minute

// Interpret reads WeCom's answer. WeCom reports errors as HTTP 200 with a
// nonzero errcode, so the code decides; the HTTP status only matters when
// no code came back (platform.InterpretCoded).
func (formatter) Interpret(status int, header http.Header, body []byte) platform.Outcome {
	return platform.InterpretCoded(status, body, platform.ErrcodeAnswer(body), platform.RetryAfter(header, rateWindow), classify)
}

// classify maps a nonzero errcode (WeCom global error codes,
// developer.work.weixin.qq.com/document/path/90313, as mirrored in WxJava's
// WxCpErrorMsgEnum; 93000 and 45009 as observed in relay-platforms.md 1.9).
func classify(code int, msg string) platform.Outcome {
	o := platform.Outcome{Message: platform.CodeMessage("errcode", code, msg)}
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
