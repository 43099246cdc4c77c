package dingtalk

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
)

func TestInterpret(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
		header http.Header
		body   string
		kind   platform.Kind
		after  time.Duration
		msg    string
	}{
		{"ok", 200, nil, `{"errcode":0,"errmsg":"ok"}`, platform.Delivered, 0, "errcode 0: ok"},
		{"token", 200, nil, `{"errcode":300001,"errmsg":"token is not exist"}`, platform.Permanent, 0, "errcode 300001: token is not exist"},
		{"external group", 200, nil, `{"errmsg":"token is not exist","errcode":300005}`, platform.Permanent, 0, "errcode 300005: token is not exist"},
		{"sign", 200, nil, `{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}`,
			platform.Permanent, 0, "errcode 310000: sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"},
		{"keywords", 200, nil, `{"errcode":310000,"errmsg":"keywords not in content"}`, platform.Permanent, 0, "errcode 310000: keywords not in content"},
		{"disbanded", 200, nil, `{"errcode":400013,"errmsg":"群已被解散"}`, platform.Permanent, 0, "errcode 400013: 群已被解散"},
		{"too big", 200, nil, `{"errcode":460101,"errmsg":"description: body 大小不合法;solution:请保持大小在 20000bytes 以内;"}`,
			platform.Rejected, 0, "errcode 460101: description: body 大小不合法;solution:请保持大小在 20000bytes 以内;"},
		{"too fast", 200, nil, `{"status":1111,"wait":5,"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}`,
			platform.RateLimited, 10 * time.Minute, "errcode 130101: send too fast, exceed 20 times per minute"},
		{"throttled", 200, nil, `{"errcode":410100,"errmsg":"发送速度太快而限流"}`, platform.RateLimited, 10 * time.Minute, "errcode 410100: 发送速度太快而限流"},
		{"busy", 200, nil, `{"errcode":-1,"errmsg":"系统繁忙"}`, platform.Retry, 0, "errcode -1: 系统繁忙"},
		{"unknown code", 200, nil, `{"errcode":777777,"errmsg":"新错误"}`, platform.Retry, 0, "errcode 777777: 新错误"},
		{"429 seconds", 429, http.Header{"Retry-After": {"30"}}, ``, platform.RateLimited, 30 * time.Second, "HTTP 429: Too Many Requests"},
		{"429 bare", 429, nil, ``, platform.RateLimited, 10 * time.Minute, "HTTP 429: Too Many Requests"},
		{"503", 503, nil, `upstream unavailable`, platform.Retry, 0, "HTTP 503: upstream unavailable"},
		{"403", 403, nil, `forbidden`, platform.Permanent, 0, "HTTP 403: forbidden"},
		{"400 coded", 400, nil, `{"errcode":400101,"errmsg":"access_token不存在"}`, platform.Permanent, 0, "errcode 400101: access_token不存在"},
		{"non-JSON 200", 200, nil, `<html>ok?</html>`, platform.Retry, 0, "unreadable answer: <html>ok?</html>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := New().Interpret(c.status, c.header, []byte(c.body))
			if o.Kind != c.kind || o.RetryAfter != c.after || o.Message != c.msg {
				t.Errorf("Interpret = {%v %v %q}, want {%v %v %q}", o.Kind, o.RetryAfter, o.Message, c.kind, c.after, c.msg)
			}
		})
	}
}

func TestInterpretMessageBounded(t *testing.T) {
	long := `{"errcode":300001,"errmsg":"` + strings.Repeat("令牌不存在", 80) + `"}`
	o := New().Interpret(200, nil, []byte(long))
	if len(o.Message) > messageBytes || o.Kind != platform.Permanent {
		t.Errorf("message %d bytes, kind %v", len(o.Message), o.Kind)
	}
}
