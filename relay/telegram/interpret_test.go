package telegram

import (
	"net/http"
	"strings"
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
		msg    string // the Message starts with it
	}{
		{200, nil, `{"ok":true,"result":{"message_id":7}}`, platform.Delivered, 0, ""},
		{429, nil, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 34","parameters":{"retry_after":34}}`,
			platform.RateLimited, 34 * time.Second, "Too Many Requests: retry after 34"},
		{200, nil, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}`,
			platform.RateLimited, 5 * time.Second, "Too Many Requests"},
		{429, http.Header{"Retry-After": {"9"}}, `{"ok":false,"error_code":429,"description":"Too Many Requests"}`,
			platform.RateLimited, 9 * time.Second, "Too Many Requests"},
		{400, nil, `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`, platform.Permanent, 0, "Bad Request: chat not found"},
		{403, nil, `{"ok":false,"error_code":403,"description":"Forbidden: bot was kicked from the supergroup chat"}`, platform.Permanent, 0, "Forbidden: bot was kicked"},
		{403, nil, `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`, platform.Permanent, 0, "Forbidden: bot was blocked"},
		{401, nil, `{"ok":false,"error_code":401,"description":"Unauthorized"}`, platform.Permanent, 0, "Unauthorized"},
		{404, nil, `{"ok":false,"error_code":404,"description":"Not Found"}`, platform.Permanent, 0, "Not Found"},
		{400, nil, `{"ok":false,"error_code":400,"description":"Bad Request: message is too long"}`, platform.Rejected, 0, "Bad Request: message is too long (feedrelay built"},
		{400, nil, `{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities: Unsupported start tag \"p\" at byte offset 5"}`,
			platform.Rejected, 0, "Bad Request: can't parse entities"},
		{400, nil, `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234567890}}`,
			platform.Permanent, 0, "Bad Request: group chat was upgraded to a supergroup chat (the group became a supergroup: set the chat id to -1001234567890)"},
		{500, nil, `{"ok":false,"error_code":500,"description":"Internal Server Error"}`, platform.Retry, 0, "Internal Server Error"},
		{502, nil, `<html><body>502 Bad Gateway</body></html>`, platform.Retry, 0, "HTTP 502: 502 Bad Gateway"},
		{200, nil, ``, platform.Retry, 0, "HTTP 200: no answer"},
		{429, http.Header{"Retry-After": {"3"}}, `slow down`, platform.RateLimited, 3 * time.Second, "HTTP 429: slow down"},
		{404, nil, `404 page not found`, platform.Permanent, 0, "HTTP 404"},
	}
	for _, tt := range tests {
		got := New().Interpret(tt.status, tt.header, []byte(tt.body))
		if got.Kind != tt.kind || got.RetryAfter != tt.after || !strings.HasPrefix(got.Message, tt.msg) {
			t.Errorf("Interpret(%d, %s) = %v %v %q, want %v %v %q…", tt.status, tt.body,
				got.Kind, got.RetryAfter, got.Message, tt.kind, tt.after, tt.msg)
		}
	}
}

func TestDefaultRate(t *testing.T) {
	if perMin, burst := New().DefaultRate(); perMin > 20 || burst != 1 {
		t.Errorf("DefaultRate = %v, %d: over 20 a minute or bursting in a group", perMin, burst)
	}
}
