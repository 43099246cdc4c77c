package discord

import (
	"net/http"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func TestInterpret(t *testing.T) {
	rl := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	platformtest.InterpretPrefix(t, New(), []platformtest.Answer{
		{Name: "sent", Status: 200, Header: rl("X-RateLimit-Limit", "5", "X-RateLimit-Remaining", "4", "X-RateLimit-Reset-After", "2"), Body: `{"id":"1"}`,
			Kind: platform.Delivered},
		{Name: "sent, bucket empty", Status: 200, Header: rl("X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "1.234"), Body: `{"id":"1"}`,
			Kind: platform.Delivered, Pause: 1234 * time.Millisecond},
		{Name: "no wait", Status: 204, Header: rl("X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "0.5"),
			Kind: platform.Delivered, Pause: 500 * time.Millisecond},
		{Name: "429 body", Status: 429, Header: rl("Retry-After", "1", "X-RateLimit-Scope", "user"), Body: `{"message":"You are being rate limited.","retry_after":0.642,"global":false}`,
			Kind: platform.RateLimited, After: 642 * time.Millisecond, Msg: "HTTP 429: You are being rate limited. (user)"},
		{Name: "429 global", Status: 429, Header: rl("Retry-After", "3", "X-RateLimit-Global", "true"), Body: `{"message":"You are being rate limited.","retry_after":2.5,"global":true}`,
			Kind: platform.RateLimited, After: 2500 * time.Millisecond, Msg: "HTTP 429: You are being rate limited. (global)"},
		{Name: "429 ms in body", Status: 429, Header: rl("Retry-After", "3"), Body: `{"message":"You are being rate limited.","retry_after":2750,"global":false}`,
			Kind: platform.RateLimited, After: 3 * time.Second, Msg: "HTTP 429"},
		{Name: "429 header only", Status: 429, Header: rl("Retry-After", "4"), Body: `error code: 1015`,
			Kind: platform.RateLimited, After: 4 * time.Second, Msg: "HTTP 429: error code: 1015"},
		{Name: "unknown webhook", Status: 404, Body: `{"message": "Unknown Webhook", "code": 10015}`,
			Kind: platform.Permanent, Msg: "HTTP 404: Unknown Webhook (code 10015)"},
		{Name: "bad token", Status: 401, Body: `{"message": "Invalid Webhook Token", "code": 50027}`,
			Kind: platform.Permanent, Msg: "HTTP 401: Invalid Webhook Token (code 50027)"},
		{Name: "bad form", Status: 400, Body: `{"message":"Invalid Form Body","code":50035,"errors":{"embeds":{"0":{"description":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH"}]}}}}}`,
			Kind: platform.Rejected, Msg: `HTTP 400: Invalid Form Body (code 50035) {"embeds"`},
		{Name: "too large", Status: 413, Body: `{"message":"Request entity too large","code":40005}`,
			Kind: platform.Rejected, Msg: "HTTP 413: Request entity too large (code 40005)"},
		{Name: "forbidden", Status: 403, Body: `{"message":"Missing Permissions","code":50013}`,
			Kind: platform.Permanent, Msg: "HTTP 403: Missing Permissions"},
		{Name: "server", Status: 502, Body: `<html><h1>502 Bad Gateway</h1></html>`,
			Kind: platform.Retry, Msg: "HTTP 502: 502 Bad Gateway"},
		{Name: "overloaded", Status: 503, Body: `{"message":"API is overloaded","code":130000}`,
			Kind: platform.Retry, Msg: "HTTP 503: API is overloaded (code 130000)"},
	})
}
