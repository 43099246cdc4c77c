package dingtalk

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func TestInterpret(t *testing.T) {
	platformtest.Interpret(t, New(), []platformtest.Answer{
		{Name: "ok", Status: 200, Body: `{"errcode":0,"errmsg":"ok"}`, Kind: platform.Delivered, Msg: "errcode 0: ok"},
		{Name: "token", Status: 200, Body: `{"errcode":300001,"errmsg":"token is not exist"}`,
			Kind: platform.Permanent, Msg: "errcode 300001: token is not exist"},
		{Name: "external group", Status: 200, Body: `{"errmsg":"token is not exist","errcode":300005}`,
			Kind: platform.Permanent, Msg: "errcode 300005: token is not exist"},
		{Name: "sign", Status: 200, Body: `{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}`,
			Kind: platform.Permanent, Msg: "errcode 310000: sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"},
		{Name: "keywords", Status: 200, Body: `{"errcode":310000,"errmsg":"keywords not in content"}`,
			Kind: platform.Permanent, Msg: "errcode 310000: keywords not in content"},
		{Name: "disbanded", Status: 200, Body: `{"errcode":400013,"errmsg":"群已被解散"}`,
			Kind: platform.Permanent, Msg: "errcode 400013: 群已被解散"},
		{Name: "too big", Status: 200, Body: `{"errcode":460101,"errmsg":"description: body 大小不合法;solution:请保持大小在 20000bytes 以内;"}`,
			Kind: platform.Rejected, Msg: "errcode 460101: description: body 大小不合法;solution:请保持大小在 20000bytes 以内;"},
		{Name: "too fast", Status: 200, Body: `{"status":1111,"wait":5,"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}`,
			Kind: platform.RateLimited, After: 10 * time.Minute, Msg: "errcode 130101: send too fast, exceed 20 times per minute"},
		{Name: "throttled", Status: 200, Body: `{"errcode":410100,"errmsg":"发送速度太快而限流"}`,
			Kind: platform.RateLimited, After: 10 * time.Minute, Msg: "errcode 410100: 发送速度太快而限流"},
		{Name: "busy", Status: 200, Body: `{"errcode":-1,"errmsg":"系统繁忙"}`, Kind: platform.Retry, Msg: "errcode -1: 系统繁忙"},
		{Name: "unknown code", Status: 200, Body: `{"errcode":777777,"errmsg":"新错误"}`,
			Kind: platform.Retry, Msg: "errcode 777777: 新错误"},
		{Name: "429 seconds", Status: 429, Header: http.Header{"Retry-After": {"30"}},
			Kind: platform.RateLimited, After: 30 * time.Second, Msg: "HTTP 429: Too Many Requests"},
		{Name: "429 bare", Status: 429, Kind: platform.RateLimited, After: 10 * time.Minute, Msg: "HTTP 429: Too Many Requests"},
		{Name: "503", Status: 503, Body: `upstream unavailable`, Kind: platform.Retry, Msg: "HTTP 503: upstream unavailable"},
		{Name: "403", Status: 403, Body: `forbidden`, Kind: platform.Permanent, Msg: "HTTP 403: forbidden"},
		{Name: "400 coded", Status: 400, Body: `{"errcode":400101,"errmsg":"access_token不存在"}`,
			Kind: platform.Permanent, Msg: "errcode 400101: access_token不存在"},
		{Name: "non-JSON 200", Status: 200, Body: `<html>ok?</html>`, Kind: platform.Retry, Msg: "unreadable answer: <html>ok?</html>"},
	})
}

func TestInterpretMessageBounded(t *testing.T) {
	long := `{"errcode":300001,"errmsg":"` + strings.Repeat("令牌不存在", 80) + `"}`
	o := New().Interpret(200, nil, []byte(long))
	if len(o.Message) > platform.MessageBytes || o.Kind != platform.Permanent {
		t.Errorf("message %d bytes, kind %v", len(o.Message), o.Kind)
	}
}
