package feishu

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
		{Name: "ok", Status: 200, Body: `{"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}`,
			Kind: platform.Delivered, Msg: "code 0: success"},
		{Name: "legacy ok", Status: 200, Body: `{"StatusCode":0,"StatusMessage":"success"}`,
			Kind: platform.Delivered, Msg: "code 0: success"},
		{Name: "legacy error", Status: 200, Body: `{"StatusCode":9499,"StatusMessage":"fail to parse content"}`,
			Kind: platform.Rejected, Msg: "code 9499: fail to parse content"},
		{Name: "bad token", Status: 200, Body: `{"code":19001,"data":{},"msg":"param invalid: incoming webhook access token invalid"}`,
			Kind: platform.Permanent, Msg: "code 19001: param invalid: incoming webhook access token invalid"},
		{Name: "sign", Status: 200, Body: `{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}`,
			Kind: platform.Permanent, Msg: "code 19021: sign match fail or timestamp is not within one hour from current time"},
		{Name: "ip", Status: 200, Body: `{"code":19022,"msg":"Ip Not Allowed"}`,
			Kind: platform.Permanent, Msg: "code 19022: Ip Not Allowed"},
		{Name: "keyword", Status: 200, Body: `{"code":19024,"msg":"Key Words Not Found"}`,
			Kind: platform.Permanent, Msg: "code 19024: Key Words Not Found"},
		{Name: "bad request", Status: 400, Body: `{"code":9499,"msg":"Bad Request"}`,
			Kind: platform.Rejected, Msg: "code 9499: Bad Request"},
		{Name: "too many 400", Status: 400, Body: `{"code":9499,"msg":"too many request"}`,
			Kind: platform.RateLimited, After: time.Minute, Msg: "code 9499: too many request"},
		{Name: "frequency", Status: 200, Body: `{"code":11232,"msg":"frequency limited"}`,
			Kind: platform.RateLimited, After: time.Minute, Msg: "code 11232: frequency limited"},
		{Name: "gateway 429", Status: 429, Header: http.Header{"X-Ogw-Ratelimit-Reset": {"12"}}, Body: `{"code":99991400,"msg":"request trigger frequency limit"}`,
			Kind: platform.RateLimited, After: 12 * time.Second, Msg: `HTTP 429: {"code":99991400,"msg":"request trigger frequency limit"}`},
		{Name: "429 retry-after", Status: 429, Header: http.Header{"Retry-After": {"3"}},
			Kind: platform.RateLimited, After: 3 * time.Second, Msg: "HTTP 429: Too Many Requests"},
		{Name: "unknown code", Status: 200, Body: `{"code":2200,"msg":"internal error"}`,
			Kind: platform.Retry, Msg: "code 2200: internal error"},
		{Name: "500", Status: 500, Kind: platform.Retry, Msg: "HTTP 500: Internal Server Error"},
		{Name: "404", Status: 404, Body: `404 page not found`, Kind: platform.Permanent, Msg: "HTTP 404: 404 page not found"},
		{Name: "non-JSON 200", Status: 200, Body: `ok`, Kind: platform.Retry, Msg: "unreadable answer: ok"},
		{Name: "empty 200", Status: 200, Kind: platform.Retry, Msg: "unreadable answer: "},
	})
}

func TestInterpretMessageBounded(t *testing.T) {
	long := `{"code":19001,"msg":"` + strings.Repeat("无效的机器人地址", 50) + `"}`
	o := New().Interpret(200, nil, []byte(long))
	if len(o.Message) > platform.MessageBytes || o.Kind != platform.Permanent {
		t.Errorf("message %d bytes, kind %v", len(o.Message), o.Kind)
	}
}
