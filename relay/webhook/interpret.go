package webhook

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/safehttp"
)

// Interpret follows Standard Webhooks' status handling
// (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#delivery-success-and-failure):
//
//	2xx                         Delivered
//	429 (Retry-After)           RateLimited
//	408, 5xx (Retry-After)      Retry
//	410 Gone                    Permanent: the receiver wants no more
//	3xx                         Permanent: redirects are not followed, fix the URL
//	413, 422                    Rejected: this payload, not the receiver
//	other 4xx                   Permanent
//
// Message is the status and the first 200 bytes of the body.
func (formatter) Interpret(status int, header http.Header, body []byte) platform.Outcome {
	msg := "HTTP " + strconv.Itoa(status)
	if t := http.StatusText(status); t != "" {
		msg += " " + t
	}
	switch {
	case status == http.StatusGone:
		msg += " (the receiver says it is gone)"
	case status >= 300 && status < 400:
		msg += " (redirect to " + header.Get("Location") + ": update the URL)"
	}
	if b := head(body, 200); b != "" {
		msg += ": " + b
	}
	after := safehttp.ParseRetryAfter(header.Get("Retry-After"), time.Now())
	switch {
	case status >= 200 && status < 300:
		return platform.Outcome{Kind: platform.Delivered, Message: msg}
	case status == http.StatusTooManyRequests:
		return platform.Outcome{Kind: platform.RateLimited, RetryAfter: after, Message: msg}
	case status == http.StatusRequestTimeout || status >= 500 || status < 200:
		return platform.Outcome{Kind: platform.Retry, RetryAfter: after, Message: msg}
	case status == http.StatusRequestEntityTooLarge || status == http.StatusUnprocessableEntity:
		// The receiver refuses this payload; others can still go. A bare
		// 400 is not taken as that: receivers answer a bad signature (a
		// wrong secret: the target is broken) with 400.
		return platform.Outcome{Kind: platform.Rejected, Message: msg}
	default:
		return platform.Outcome{Kind: platform.Permanent, Message: msg}
	}
}

// head is at most n bytes of body, cut before a partial rune, with
// invalid bytes and control characters as spaces, trimmed.
func head(body []byte, n int) string {
	if len(body) > n {
		body = body[:n]
		for i := 1; i < utf8.UTFMax && len(body) > 0; i++ { // a rune cut in two
			if r, size := utf8.DecodeLastRune(body); r != utf8.RuneError || size != 1 {
				break
			}
			body = body[:len(body)-1]
		}
	}
	s := strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, string(body))
	return strings.Join(strings.Fields(s), " ")
}
