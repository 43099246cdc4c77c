package webhook

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
)

func TestInterpret(t *testing.T) {
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		status int
		header http.Header
		body   string
		kind   platform.Kind
		after  time.Duration // at least this, within a few seconds
		msg    string
	}{
		{200, nil, "ok", platform.Delivered, 0, "HTTP 200 OK: ok"},
		{202, nil, "", platform.Delivered, 0, "HTTP 202 Accepted"},
		{204, nil, "", platform.Delivered, 0, "HTTP 204 No Content"},
		{429, http.Header{"Retry-After": {"120"}}, "slow down", platform.RateLimited, 120 * time.Second, "HTTP 429 Too Many Requests: slow down"},
		{429, http.Header{"Retry-After": {date}}, "", platform.RateLimited, 85 * time.Second, "HTTP 429 Too Many Requests"},
		{503, http.Header{"Retry-After": {"30"}}, "", platform.Retry, 30 * time.Second, "HTTP 503 Service Unavailable"},
		{500, nil, "boom\n\tstack", platform.Retry, 0, "HTTP 500 Internal Server Error: boom stack"},
		{502, nil, "", platform.Retry, 0, "HTTP 502 Bad Gateway"},
		{408, nil, "", platform.Retry, 0, "HTTP 408 Request Timeout"},
		{410, nil, "", platform.Permanent, 0, "HTTP 410 Gone (the receiver says it is gone)"},
		{301, http.Header{"Location": {"https://new.example/"}}, "", platform.Permanent, 0, "HTTP 301 Moved Permanently (redirect to https://new.example/: update the URL)"},
		{400, nil, `{"error":"bad signature"}`, platform.Permanent, 0, `HTTP 400 Bad Request: {"error":"bad signature"}`},
		{401, nil, "", platform.Permanent, 0, "HTTP 401 Unauthorized"},
		{422, nil, `{"error":"missing field title"}`, platform.Rejected, 0, `HTTP 422 Unprocessable Entity: {"error":"missing field title"}`},
		{404, nil, strings.Repeat("x", 300), platform.Permanent, 0, "HTTP 404 Not Found: " + strings.Repeat("x", 200)},
		{413, nil, strings.Repeat("汉", 100), platform.Rejected, 0, "HTTP 413 Request Entity Too Large: " + strings.Repeat("汉", 66)},
	}
	for _, tt := range tests {
		got := New().Interpret(tt.status, tt.header, []byte(tt.body))
		if got.Kind != tt.kind || got.Message != tt.msg || got.RetryAfter < tt.after || got.RetryAfter > tt.after+5*time.Second {
			t.Errorf("Interpret(%d) = %v %v %q, want %v %v %q", tt.status, got.Kind, got.RetryAfter, got.Message, tt.kind, tt.after, tt.msg)
		}
	}
}
