package discord

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
)

func TestInterpret(t *testing.T) {
	rl := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		kind   platform.Kind
		after  time.Duration
		pause  time.Duration
		msg    string // Message starts with it
	}{
		{"sent", 200, rl("X-RateLimit-Limit", "5", "X-RateLimit-Remaining", "4", "X-RateLimit-Reset-After", "2"), `{"id":"1"}`, platform.Delivered, 0, 0, ""},
		{"sent, bucket empty", 200, rl("X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "1.234"), `{"id":"1"}`, platform.Delivered, 0, 1234 * time.Millisecond, ""},
		{"no wait", 204, rl("X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "0.5"), ``, platform.Delivered, 0, 500 * time.Millisecond, ""},
		{"429 body", 429, rl("Retry-After", "1", "X-RateLimit-Scope", "user"), `{"message":"You are being rate limited.","retry_after":0.642,"global":false}`,
			platform.RateLimited, 642 * time.Millisecond, 0, "HTTP 429: You are being rate limited. (user)"},
		{"429 global", 429, rl("Retry-After", "3", "X-RateLimit-Global", "true"), `{"message":"You are being rate limited.","retry_after":2.5,"global":true}`,
			platform.RateLimited, 2500 * time.Millisecond, 0, "HTTP 429: You are being rate limited. (global)"},
		{"429 ms in body", 429, rl("Retry-After", "3"), `{"message":"You are being rate limited.","retry_after":2750,"global":false}`,
			platform.RateLimited, 3 * time.Second, 0, "HTTP 429"},
		{"429 header only", 429, rl("Retry-After", "4"), `error code: 1015`, platform.RateLimited, 4 * time.Second, 0, "HTTP 429: error code: 1015"},
		{"unknown webhook", 404, nil, `{"message": "Unknown Webhook", "code": 10015}`, platform.Permanent, 0, 0, "HTTP 404: Unknown Webhook (code 10015)"},
		{"bad token", 401, nil, `{"message": "Invalid Webhook Token", "code": 50027}`, platform.Permanent, 0, 0, "HTTP 401: Invalid Webhook Token (code 50027)"},
		{"bad form", 400, nil, `{"message":"Invalid Form Body","code":50035,"errors":{"embeds":{"0":{"description":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH"}]}}}}}`,
			platform.Rejected, 0, 0, `HTTP 400: Invalid Form Body (code 50035) {"embeds"`},
		{"too large", 413, nil, `{"message":"Request entity too large","code":40005}`, platform.Rejected, 0, 0, "HTTP 413: Request entity too large (code 40005)"},
		{"forbidden", 403, nil, `{"message":"Missing Permissions","code":50013}`, platform.Permanent, 0, 0, "HTTP 403: Missing Permissions"},
		{"server", 502, nil, `<html><h1>502 Bad Gateway</h1></html>`, platform.Retry, 0, 0, "HTTP 502: 502 Bad Gateway"},
		{"overloaded", 503, nil, `{"message":"API is overloaded","code":130000}`, platform.Retry, 0, 0, "HTTP 503: API is overloaded (code 130000)"},
	}
	for _, tt := range tests {
		got := New().Interpret(tt.status, tt.header, []byte(tt.body))
		if got.Kind != tt.kind || got.RetryAfter != tt.after || got.Pause != tt.pause || !strings.HasPrefix(got.Message, tt.msg) {
			t.Errorf("%s: got %v after %v pause %v %q; want %v after %v pause %v %q…", tt.name,
				got.Kind, got.RetryAfter, got.Pause, got.Message, tt.kind, tt.after, tt.pause, tt.msg)
		}
	}
}
