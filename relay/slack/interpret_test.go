package slack

import (
	"net/http"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
)

func TestInterpret(t *testing.T) {
	tests := []struct {
		status int
		header http.Header
		body   string
		kind   platform.Kind
		after  time.Duration
		msg    string
	}{
		{200, nil, "ok", platform.Delivered, 0, "ok"},
		{429, http.Header{"Retry-After": {"30"}}, "rate_limited", platform.RateLimited, 30 * time.Second, "HTTP 429: rate_limited"},
		{429, nil, "", platform.RateLimited, 0, "HTTP 429: Too Many Requests"},
		{400, nil, "invalid_payload", platform.Rejected, 0, "HTTP 400: invalid_payload"},
		{400, nil, "invalid_blocks", platform.Rejected, 0, "HTTP 400: invalid_blocks"},
		{403, nil, "action_prohibited", platform.Permanent, 0, "HTTP 403: action_prohibited"},
		{403, nil, "invalid_token", platform.Permanent, 0, "HTTP 403: invalid_token"},
		{404, nil, "no_service", platform.Permanent, 0, "HTTP 404: no_service"},
		{404, nil, "channel_not_found", platform.Permanent, 0, "HTTP 404: channel_not_found"},
		{410, nil, "channel_is_archived", platform.Permanent, 0, "HTTP 410: channel_is_archived"},
		{500, nil, "rollup_error", platform.Retry, 0, "HTTP 500: rollup_error"},
		{503, nil, "<html><body><h1>503 Service Unavailable</h1></body></html>", platform.Retry, 0, "HTTP 503: 503 Service Unavailable"},
		{408, nil, "", platform.Retry, 0, "HTTP 408: Request Timeout"},
		{301, nil, "", platform.Permanent, 0, "HTTP 301: Moved Permanently"},
	}
	for _, tt := range tests {
		got := New().Interpret(tt.status, tt.header, []byte(tt.body))
		if got.Kind != tt.kind || got.RetryAfter != tt.after || got.Message != tt.msg {
			t.Errorf("Interpret(%d, %q) = %v %v %q, want %v %v %q", tt.status, tt.body,
				got.Kind, got.RetryAfter, got.Message, tt.kind, tt.after, tt.msg)
		}
	}
}

func TestDefaultRate(t *testing.T) {
	perMin, burst := New().DefaultRate()
	if perMin != 60 || burst < 1 {
		t.Errorf("DefaultRate = %v, %d", perMin, burst)
	}
}
