package wecom

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
		{"invalid key", 200, nil,
			`{"errcode":93000,"errmsg":"invalid webhook url, hint: [1755605200056773468916791], from ip: 172.212.167.87, more info at https://open.work.weixin.qq.com/devtool/query?e=93000"}`,
			platform.Permanent, 0,
			"errcode 93000: invalid webhook url, hint: [1755605200056773468916791], from ip: 172.212.167.87, more info at https://open.work.weixin.qq.com/devtool/query?e=93000"},
		{"robot family", 200, nil, `{"errcode":93004,"errmsg":"robot disabled"}`, platform.Permanent, 0, "errcode 93004: robot disabled"},
		{"too long", 200, nil, `{"errcode":40058,"errmsg":"markdown.content exceed max length 4096. invalid Request Parameter"}`,
			platform.Rejected, 0, "errcode 40058: markdown.content exceed max length 4096. invalid Request Parameter"},
		{"bad msgtype", 200, nil, `{"errcode":40008,"errmsg":"invalid message type"}`, platform.Rejected, 0, "errcode 40008: invalid message type"},
		{"empty", 200, nil, `{"errcode":44004,"errmsg":"empty content"}`, platform.Rejected, 0, "errcode 44004: empty content"},
		{"freq", 200, nil, `{"errcode":45009,"errmsg":"api freq out of limit"}`, platform.RateLimited, time.Minute, "errcode 45009: api freq out of limit"},
		{"busy", 200, nil, `{"errcode":-1,"errmsg":"system busy"}`, platform.Retry, 0, "errcode -1: system busy"},
		{"unknown code", 200, nil, `{"errcode":12345,"errmsg":"新错误"}`, platform.Retry, 0, "errcode 12345: 新错误"},
		{"429 seconds", 429, http.Header{"Retry-After": {"7"}}, ``, platform.RateLimited, 7 * time.Second, "HTTP 429: Too Many Requests"},
		{"429 date", 429, http.Header{"Retry-After": {"Sat, 14 Mar 2026 15:10:00 GMT"}, "Date": {"Sat, 14 Mar 2026 15:09:30 GMT"}},
			`{"errcode":45009}`, platform.RateLimited, 30 * time.Second, `HTTP 429: {"errcode":45009}`},
		{"429 bare", 429, nil, `slow down`, platform.RateLimited, time.Minute, "HTTP 429: slow down"},
		{"500", 500, nil, `<html>oops</html>`, platform.Retry, 0, "HTTP 500: <html>oops</html>"},
		{"502 coded", 502, nil, `{"errcode":93000,"errmsg":"x"}`, platform.Retry, 0, `HTTP 502: {"errcode":93000,"errmsg":"x"}`},
		{"404", 404, nil, ``, platform.Permanent, 0, "HTTP 404: Not Found"},
		{"400 coded", 400, nil, `{"errcode":40035,"errmsg":"invalid parameter"}`, platform.Rejected, 0, "errcode 40035: invalid parameter"},
		{"408", 408, nil, ``, platform.Retry, 0, "HTTP 408: Request Timeout"},
		{"non-JSON 200", 200, nil, "<html>\n gateway </html>", platform.Retry, 0, "unreadable answer: <html> gateway </html>"},
		{"JSON without errcode", 200, nil, `{"ok":true}`, platform.Retry, 0, `unreadable answer: {"ok":true}`},
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
	long := `{"errcode":93000,"errmsg":"` + strings.Repeat("无效的机器人地址", 50) + `"}`
	o := New().Interpret(200, nil, []byte(long))
	if len(o.Message) > messageBytes || o.Kind != platform.Permanent {
		t.Errorf("message %d bytes, kind %v", len(o.Message), o.Kind)
	}
}
