package telegram

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/safehttp"
	"github.com/feedrelay/feedrelay/sanitize"
)

// answer is the Bot API's reply (https://core.telegram.org/bots/api#making-requests).
type answer struct {
	OK          bool   `json:"ok"`
	ErrorCode   int    `json:"error_code"`
	Description string `json:"description"`
	Parameters  struct {
		RetryAfter      float64 `json:"retry_after"`
		MigrateToChatID int64   `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// Interpret reads the Bot API's answer; its error_code mirrors the HTTP
// status:
//
//	{"ok":true,…}                                      Delivered
//	429 "Too Many Requests: retry after N", parameters.retry_after N
//	                                                   RateLimited N s
//	parameters.migrate_to_chat_id (group became a supergroup)
//	                                                   Permanent, naming the new id
//	400 "message is too long", "caption is too long",
//	    "can't parse entities…", "text must be non-empty" (a bug here:
//	    the message is refused, the chat is fine)      Rejected
//	400 "Bad Request: chat not found", 401 Unauthorized (bad token),
//	403 "Forbidden: bot was kicked/blocked…", 404 Not Found (token)
//	                                                   Permanent
//	5xx, or an answer that is not the Bot API's        Retry
func (formatter) Interpret(status int, header http.Header, body []byte) platform.Outcome {
	var a answer
	if err := json.Unmarshal(body, &a); err != nil || (!a.OK && a.ErrorCode == 0 && a.Description == "") {
		return byStatus(status, header, "HTTP "+strconv.Itoa(status)+": "+bodyText(body))
	}
	if a.OK {
		return platform.Outcome{Kind: platform.Delivered}
	}
	msg := a.Description
	if msg == "" {
		msg = "error " + strconv.Itoa(a.ErrorCode)
	}
	msg = sanitize.Truncate(msg, 200)
	code := a.ErrorCode
	if code == 0 {
		code = status
	}
	switch {
	case a.Parameters.MigrateToChatID != 0:
		id := strconv.FormatInt(a.Parameters.MigrateToChatID, 10)
		return platform.Outcome{Kind: platform.Permanent, Message: msg + " (the group became a supergroup: set the chat id to " + id + ")"}
	case code == http.StatusTooManyRequests || a.Parameters.RetryAfter > 0:
		after := safehttp.SecondsDuration(a.Parameters.RetryAfter)
		if after == 0 {
			after = safehttp.ParseRetryAfter(header.Get("Retry-After"), time.Now())
		}
		return platform.Outcome{Kind: platform.RateLimited, RetryAfter: after, Message: msg}
	case code >= 500:
		return platform.Outcome{Kind: platform.Retry, Message: msg}
	case isOurBug(a.Description):
		return platform.Outcome{Kind: platform.Rejected, Message: msg + " (feedrelay built a message Telegram refuses: please report it)"}
	default:
		return platform.Outcome{Kind: platform.Permanent, Message: msg}
	}
}

// isOurBug: Telegram refused the message itself, not the chat or token.
func isOurBug(desc string) bool {
	d := strings.ToLower(desc)
	return strings.Contains(d, "message is too long") || strings.Contains(d, "can't parse entities") ||
		strings.Contains(d, "caption is too long") || strings.Contains(d, "text must be non-empty")
}

// byStatus classifies an answer that is not the Bot API's JSON (a proxy's
// error page, a cut connection) by its HTTP status alone.
func byStatus(status int, header http.Header, msg string) platform.Outcome {
	switch {
	case status == http.StatusTooManyRequests:
		return platform.Outcome{Kind: platform.RateLimited, RetryAfter: safehttp.ParseRetryAfter(header.Get("Retry-After"), time.Now()), Message: msg}
	case status >= 400 && status < 500 && status != http.StatusRequestTimeout:
		return platform.Outcome{Kind: platform.Permanent, Message: msg}
	default: // 5xx, 408, and 2xx whose body says nothing: it may not have been sent
		return platform.Outcome{Kind: platform.Retry, Message: msg}
	}
}

func bodyText(body []byte) string {
	s := platform.AnswerText(body)
	if s == "" {
		return "no answer"
	}
	return sanitize.Truncate(s, 200)
}
