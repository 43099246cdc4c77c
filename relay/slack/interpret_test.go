package slack

import (
	"net/http"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func TestInterpret(t *testing.T) {
	platformtest.Interpret(t, New(), []platformtest.Answer{
		{Status: 200, Body: "ok", Kind: platform.Delivered, Msg: "ok"},
		{Status: 429, Header: http.Header{"Retry-After": {"30"}}, Body: "rate_limited",
			Kind: platform.RateLimited, After: 30 * time.Second, Msg: "HTTP 429: rate_limited"},
		{Status: 429, Kind: platform.RateLimited, Msg: "HTTP 429: Too Many Requests"},
		{Status: 400, Body: "invalid_payload", Kind: platform.Rejected, Msg: "HTTP 400: invalid_payload"},
		{Status: 400, Body: "invalid_blocks", Kind: platform.Rejected, Msg: "HTTP 400: invalid_blocks"},
		{Status: 403, Body: "action_prohibited", Kind: platform.Permanent, Msg: "HTTP 403: action_prohibited"},
		{Status: 403, Body: "invalid_token", Kind: platform.Permanent, Msg: "HTTP 403: invalid_token"},
		{Status: 404, Body: "no_service", Kind: platform.Permanent, Msg: "HTTP 404: no_service"},
		{Status: 404, Body: "channel_not_found", Kind: platform.Permanent, Msg: "HTTP 404: channel_not_found"},
		{Status: 410, Body: "channel_is_archived", Kind: platform.Permanent, Msg: "HTTP 410: channel_is_archived"},
		{Status: 500, Body: "rollup_error", Kind: platform.Retry, Msg: "HTTP 500: rollup_error"},
		{Status: 503, Body: "<html><body><h1>503 Service Unavailable</h1></body></html>",
			Kind: platform.Retry, Msg: "HTTP 503: 503 Service Unavailable"},
		{Status: 408, Kind: platform.Retry, Msg: "HTTP 408: Request Timeout"},
		{Status: 301, Kind: platform.Permanent, Msg: "HTTP 301: Moved Permanently"},
	})
}

func TestDefaultRate(t *testing.T) {
	perMin, burst := New().DefaultRate()
	if perMin != 60 || burst < 1 {
		t.Errorf("DefaultRate = %v, %d", perMin, burst)
	}
}
