package dingtalk

import (
	"net/http"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// blockTime is how long DingTalk throttles a robot that sent too fast:
// "如果超过20条，会限流10分钟" (relay-platforms.md 2.5).
const blockTime = 10 * time.Minute

// Interpret reads DingTalk's answer. DingTalk reports errors as HTTP 200
// with a nonzero errcode, so the code decides ("应用程序可根据errcode来判断出错的情况，
// 不要依赖errmsg来匹配"); the HTTP status only matters when no code came back
// (platform.InterpretCoded).
func (formatter) Interpret(status int, header http.Header, body []byte) platform.Outcome {
	return platform.InterpretCoded(status, body, platform.ErrcodeAnswer(body), platform.RetryAfter(header, blockTime), classify)
}

// classify maps a nonzero errcode: the custom-robot table of
// open.dingtalk.com/document/orgapp/custom-robots-send-group-messages (as
// mirrored in SDKs: 400013…430104, 410100), codes observed in issues
// (relay-platforms.md 2.6: 130101, 310000; 300001/300005 "token is not
// exist", timonwong/prometheus-webhook-dingtalk#91 and #226; 460101 body
// too large, #222) and the global -1 system busy (mabiji.com mirror of the
// global error codes).
func classify(code int, msg string) platform.Outcome {
	o := platform.Outcome{Message: platform.CodeMessage("errcode", code, msg)}
	switch {
	case code == -1: // 系统繁忙: "建议稍后再重试"
		o.Kind = platform.Retry
	case code == 130101 || code == 410100: // send too fast / 发送速度太快而限流: blocked 10 minutes
		o.Kind, o.RetryAfter = platform.RateLimited, blockTime
	case rejectedCodes[code]:
		o.Kind = platform.Rejected
	case permanentCodes[code]:
		o.Kind = platform.Permanent
	default: // unknown: assume transient, the retry budget ends it
		o.Kind = platform.Retry
	}
	return o
}

// rejectedCodes refuse the message itself; other messages can still go.
var rejectedCodes = map[int]bool{
	400105: true, // 不支持的消息类型
	40035:  true, // 缺少参数 (body not JSON)
	430101: true, // 含有不安全的外链
	430102: true, // 含有不合适的文本
	430103: true, // 含有不合适的图片
	430104: true, // 含有不合适的内容
	460101: true, // body 大小不合法 (over 20000 bytes)
}

// permanentCodes cannot succeed by resending anything: the token, the
// robot, the group or the security setting is wrong.
var permanentCodes = map[int]bool{
	300001: true, // token is not exist
	300005: true, // token is not exist (e.g. an external group)
	310000: true, // security check: sign not match, keywords not in content, ip not in whitelist, invalid timestamp (clock skew)
	400013: true, // 群已被解散
	400101: true, // access_token不存在
	400102: true, // 机器人已停用
	400106: true, // 机器人不存在
}
