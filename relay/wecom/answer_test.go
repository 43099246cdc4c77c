package wecom

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
		{Name: "invalid key", Status: 200, Body: `{"errcode":93000,"errmsg":"invalid webhook url, hint: [1755605200056773468916791], from ip: 172.212.167.87, more info at https://open.work.weixin.qq.com/devtool/query?e=93000"}`,
			Kind: platform.Permanent, Msg: "errcode 93000: invalid webhook url, hint: [1755605200056773468916791], from ip: 172.212.167.87, more info at https://open.work.weixin.qq.com/devtool/query?e=93000"},
		{Name: "robot family", Status: 200, Body: `{"errcode":93004,"errmsg":"robot disabled"}`,
			Kind: platform.Permanent, Msg: "errcode 93004: robot disabled"},
		{Name: "too long", Status: 200, Body: `{"errcode":40058,"errmsg":"markdown.content exceed max length 4096. invalid Request Parameter"}`,
			Kind: platform.Rejected, Msg: "errcode 40058: markdown.content exceed max length 4096. invalid Request Parameter"},
		{Name: "bad msgtype", Status: 200, Body: `{"errcode":40008,"errmsg":"invalid message type"}`,
			Kind: platform.Rejected, Msg: "errcode 40008: invalid message type"},
		{Name: "empty", Status: 200, Body: `{"errcode":44004,"errmsg":"empty content"}`,
			Kind: platform.Rejected, Msg: "errcode 44004: empty content"},
		{Name: "freq", Status: 200, Body: `{"errcode":45009,"errmsg":"api freq out of limit"}`,
			Kind: platform.RateLimited, After: time.Minute, Msg: "errcode 45009: api freq out of limit"},
		{Name: "busy", Status: 200, Body: `{"errcode":-1,"errmsg":"system busy"}`,
			Kind: platform.Retry, Msg: "errcode -1: system busy"},
		{Name: "unknown code", Status: 200, Body: `{"errcode":12345,"errmsg":"新错误"}`, Kind: platform.Retry, Msg: "errcode 12345: 新错误"},
		{Name: "429 seconds", Status: 429, Header: http.Header{"Retry-After": {"7"}},
			Kind: platform.RateLimited, After: 7 * time.Second, Msg: "HTTP 429: Too Many Requests"},
		{Name: "429 date", Status: 429, Header: http.Header{"Retry-After": {"Sat, 14 Mar 2026 15:10:00 GMT"}, "Date": {"Sat, 14 Mar 2026 15:09:30 GMT"}}, Body: `{"errcode":45009}`,
			Kind: platform.RateLimited, After: 30 * time.Second, Msg: `HTTP 429: {"errcode":45009}`},
		{Name: "429 bare", Status: 429, Body: `slow down`, Kind: platform.RateLimited, After: time.Minute, Msg: "HTTP 429: slow down"},
		{Name: "500", Status: 500, Body: `<html>oops</html>`, Kind: platform.Retry, Msg: "HTTP 500: <html>oops</html>"},
		{Name: "502 coded", Status: 502, Body: `{"errcode":93000,"errmsg":"x"}`,
			Kind: platform.Retry, Msg: `HTTP 502: {"errcode":93000,"errmsg":"x"}`},
		{Name: "404", Status: 404, Kind: platform.Permanent, Msg: "HTTP 404: Not Found"},
		{Name: "400 coded", Status: 400, Body: `{"errcode":40035,"errmsg":"invalid parameter"}`,
			Kind: platform.Rejected, Msg: "errcode 40035: invalid parameter"},
		{Name: "408", Status: 408, Kind: platform.Retry, Msg: "HTTP 408: Request Timeout"},
		{Name: "non-JSON 200", Status: 200, Body: "<html>\n gateway </html>",
			Kind: platform.Retry, Msg: "unreadable answer: <html> gateway </html>"},
		{Name: "JSON without errcode", Status: 200, Body: `{"ok":true}`, Kind: platform.Retry, Msg: `unreadable answer: {"ok":true}`},
	})
}

func TestInterpretMessageBounded(t *testing.T) {
	long := `{"errcode":93000,"errmsg":"` + strings.Repeat("无效的机器人地址", 50) + `"}`
	o := New().Interpret(200, nil, []byte(long))
	if len(o.Message) > platform.MessageBytes || o.Kind != platform.Permanent {
		t.Errorf("message %d bytes, kind %v", len(o.Message), o.Kind)
	}
}
