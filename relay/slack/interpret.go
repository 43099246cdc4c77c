package slack

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/safehttp"
	"github.com/feedrelay/feedrelay/sanitize"
)

// Interpret reads Slack's answer. Incoming webhooks answer with an HTTP
// status and a short text/plain body, not the Web API's {"ok":false}
// (https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks):
//
//	200 "ok"                                   Delivered
//	429 (Retry-After: seconds)                 RateLimited
//	400 invalid_payload, invalid_blocks, no_text, msg_blocks_too_long …
//	                                           Rejected (this message, not the webhook)
//	403 action_prohibited, invalid_token, posting_to_general_channel_denied
//	404 no_service, channel_not_found
//	410 channel_is_archived                    Permanent
//	408, 5xx (500 rollup_error)                Retry
//	other 3xx/4xx                              Permanent
func (formatter) Interpret(status int, header http.Header, body []byte) platform.Outcome {
	msg := answer(status, body)
	switch {
	case status >= 200 && status < 300:
		return platform.Outcome{Kind: platform.Delivered, Message: msg}
	case status == http.StatusTooManyRequests:
		return platform.Outcome{
			Kind:       platform.RateLimited,
			RetryAfter: safehttp.ParseRetryAfter(header.Get("Retry-After"), time.Now()),
			Message:    msg,
		}
	case status == http.StatusRequestTimeout || status >= 500:
		return platform.Outcome{Kind: platform.Retry, Message: msg}
	case status == http.StatusBadRequest && messageRefused(msg):
		// invalid_payload, invalid_blocks (an image Slack cannot fetch),
		// msg_blocks_too_long: this message, not the webhook. Other 400s
		// (user_not_found, no_service_id, no_team) are the webhook's.
		return platform.Outcome{Kind: platform.Rejected, Message: msg}
	default:
		return platform.Outcome{Kind: platform.Permanent, Message: msg}
	}
}

// answer is Slack's body as one line of plain text ("HTTP 404:
// no_service"), at most 200 characters.
func answer(status int, body []byte) string {
	s := platform.AnswerText(body)
	if status >= 200 && status < 300 {
		return sanitize.Truncate(s, 200)
	}
	if s == "" {
		s = http.StatusText(status)
	}
	return sanitize.Truncate("HTTP "+strconv.Itoa(status)+": "+s, 200)
}

// messageRefused: Slack's 400 error strings that are about the message.
func messageRefused(msg string) bool {
	for _, code := range []string{"invalid_payload", "invalid_blocks", "msg_blocks_too_long", "invalid_attachments", "too_many_attachments", "no_text"} {
		if strings.Contains(msg, code) {
			return true
		}
	}
	return false
}
