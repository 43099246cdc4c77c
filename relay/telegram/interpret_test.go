package telegram

import (
	"net/http"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func TestInterpret(t *testing.T) {
	platformtest.InterpretPrefix(t, New(), []platformtest.Answer{
		{Status: 200, Body: `{"ok":true,"result":{"message_id":7}}`, Kind: platform.Delivered},
		{Status: 429, Body: `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 34","parameters":{"retry_after":34}}`,
			Kind: platform.RateLimited, After: 34 * time.Second, Msg: "Too Many Requests: retry after 34"},
		{Status: 200, Body: `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}`,
			Kind: platform.RateLimited, After: 5 * time.Second, Msg: "Too Many Requests"},
		{Status: 429, Header: http.Header{"Retry-After": {"9"}}, Body: `{"ok":false,"error_code":429,"description":"Too Many Requests"}`,
			Kind: platform.RateLimited, After: 9 * time.Second, Msg: "Too Many Requests"},
		{Status: 400, Body: `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`,
			Kind: platform.Permanent, Msg: "Bad Request: chat not found"},
		{Status: 403, Body: `{"ok":false,"error_code":403,"description":"Forbidden: bot was kicked from the supergroup chat"}`,
			Kind: platform.Permanent, Msg: "Forbidden: bot was kicked"},
		{Status: 403, Body: `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`,
			Kind: platform.Permanent, Msg: "Forbidden: bot was blocked"},
		{Status: 401, Body: `{"ok":false,"error_code":401,"description":"Unauthorized"}`,
			Kind: platform.Permanent, Msg: "Unauthorized"},
		{Status: 404, Body: `{"ok":false,"error_code":404,"description":"Not Found"}`, Kind: platform.Permanent, Msg: "Not Found"},
		{Status: 400, Body: `{"ok":false,"error_code":400,"description":"Bad Request: message is too long"}`,
			Kind: platform.Rejected, Msg: "Bad Request: message is too long (feedrelay built"},
		{Status: 400, Body: `{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities: Unsupported start tag \"p\" at byte offset 5"}`,
			Kind: platform.Rejected, Msg: "Bad Request: can't parse entities"},
		{Status: 400, Body: `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234567890}}`,
			Kind: platform.Permanent, Msg: "Bad Request: group chat was upgraded to a supergroup chat (the group became a supergroup: set the chat id to -1001234567890)"},
		{Status: 500, Body: `{"ok":false,"error_code":500,"description":"Internal Server Error"}`,
			Kind: platform.Retry, Msg: "Internal Server Error"},
		{Status: 502, Body: `<html><body>502 Bad Gateway</body></html>`, Kind: platform.Retry, Msg: "HTTP 502: 502 Bad Gateway"},
		{Status: 200, Kind: platform.Retry, Msg: "HTTP 200: no answer"},
		{Status: 429, Header: http.Header{"Retry-After": {"3"}}, Body: `slow down`,
			Kind: platform.RateLimited, After: 3 * time.Second, Msg: "HTTP 429: slow down"},
		{Status: 404, Body: `404 page not found`, Kind: platform.Permanent, Msg: "HTTP 404"},
	})
}

func TestDefaultRate(t *testing.T) {
	if perMin, burst := New().DefaultRate(); perMin > 20 || burst != 1 {
		t.Errorf("DefaultRate = %v, %d: over 20 a minute or bursting in a group", perMin, burst)
	}
}
