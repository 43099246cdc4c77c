package feishu

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
		{"ok", 200, nil, `{"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}`, platform.Delivered, 0, "code 0: success"},
		{"legacy ok", 200, nil, `{"StatusCode":0,"StatusMessage":"success"}`, platform.Delivered, 0, "code 0: success"},
		{"legacy error", 200, nil, `{"StatusCode":9499,"StatusMessage":"fail to parse content"}`, platform.Rejected, 0, "code 9499: fail to parse content"},
		{"bad token", 200, nil, `{"code":19001,"data":{},"msg":"param invalid: incoming webhook access token invalid"}`,
			platform.Permanent, 0, "code 19001: param invalid: incoming webhook access token invalid"},
		{"sign", 200, nil, `{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}`,
			platform.Permanent, 0, "code 19021: sign match fail or timestamp is not within one hour from current time"},
		{"ip", 200, nil, `{"code":19022,"msg":"Ip Not Allowed"}`, platform.Permanent, 0, "code 19022: Ip Not Allowed"},
		{"keyword", 200, nil, `{"code":19024,"msg":"Key Words Not Found"}`, platform.Permanent, 0, "code 19024: Key Words Not Found"},
		{"bad request", 400, nil, `{"code":9499,"msg":"Bad Request"}`, platform.Rejected, 0, "code 9499: Bad Request"},
		{"too many 400", 400, nil, `{"code":9499,"msg":"too many request"}`, platform.RateLimited, time.Minute, "code 9499: too many request"},
		{"frequency", 200, nil, `{"code":11232,"msg":"frequency limited"}`, platform.RateLimited, time.Minute, "code 11232: frequency limited"},
		{"gateway 429", 429, http.Header{"X-Ogw-Ratelimit-Reset": {"12"}}, `{"code":99991400,"msg":"request trigger frequency limit"}`,
			platform.RateLimited, 12 * time.Second, `HTTP 429: {"code":99991400,"msg":"request trigger frequency limit"}`},
		{"429 retry-after", 429, http.Header{"Retry-After": {"3"}}, ``, platform.RateLimited, 3 * time.Second, "HTTP 429: Too Many Requests"},
		{"unknown code", 200, nil, `{"code":2200,"msg":"internal error"}`, platform.Retry, 0, "code 2200: internal error"},
		{"500", 500, nil, ``, platform.Retry, 0, "HTTP 500: Internal Server Error"},
		{"404", 404, nil, `404 page not found`, platform.Permanent, 0, "HTTP 404: 404 page not found"},
		{"non-JSON 200", 200, nil, `ok`, platform.Retry, 0, "unreadable answer: ok"},
		{"empty 200", 200, nil, ``, platform.Retry, 0, "unreadable answer: "},
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
	long := `{"code":19001,"msg":"` + strings.Repeat("无效的机器人地址", 50) + `"}`
	o := New().Interpret(200, nil, []byte(long))
	if len(o.Message) > messageBytes || o.Kind != platform.Permanent {
		t.Errorf("message %d bytes, kind %v", len(o.Message), o.Kind)
	}
}
