package discord

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

// apiError is Discord's error body: {"message": "Unknown Webhook",
// "code": 10015}, with "errors" for 50035 and "retry_after" (seconds,
// decimals) and "global" on 429.
type apiError struct {
	Message    string          `json:"message"`
	Code       int             `json:"code"`
	Errors     json.RawMessage `json:"errors"`
	RetryAfter float64         `json:"retry_after"`
	Global     bool            `json:"global"`
}

// Interpret reads Discord's answer
// (https://discord.com/developers/docs/topics/opcodes-and-status-codes):
//
//	200, 204                                  Delivered; with X-RateLimit-Remaining 0
//	                                          Pause for X-RateLimit-Reset-After
//	429 (retry_after in the body, Retry-After) RateLimited
//	400 Invalid Form Body (50035), 413 Request entity too large (40005)
//	                                          Rejected (this message, not the webhook)
//	404 Unknown Webhook (10015), 401 Invalid Webhook Token (50027),
//	403, other 3xx/4xx                        Permanent
//	5xx, 408                                  Retry
func (formatter) Interpret(status int, header http.Header, body []byte) platform.Outcome {
	var e apiError
	_ = json.Unmarshal(body, &e) // a success is the message, an error this; neither may parse
	switch {
	case status >= 200 && status < 300:
		o := platform.Outcome{Kind: platform.Delivered}
		if strings.TrimSpace(header.Get("X-RateLimit-Remaining")) == "0" {
			o.Pause = resetAfter(header)
		}
		return o
	case status == http.StatusTooManyRequests:
		msg := describe(status, &e, body)
		if e.Global || header.Get("X-RateLimit-Global") == "true" {
			msg += " (global)"
		} else if s := header.Get("X-RateLimit-Scope"); s != "" {
			msg += " (" + s + ")"
		}
		return platform.Outcome{Kind: platform.RateLimited, RetryAfter: retryAfter(&e, header), Message: msg}
	case status == http.StatusRequestTimeout || status >= 500:
		return platform.Outcome{Kind: platform.Retry, Message: describe(status, &e, body)}
	case status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge:
		// 50035 Invalid Form Body and the like: this message, not the webhook.
		return platform.Outcome{Kind: platform.Rejected, Message: describe(status, &e, body)}
	default:
		return platform.Outcome{Kind: platform.Permanent, Message: describe(status, &e, body)}
	}
}

// retryAfter prefers the body's decimal retry_after; when the Retry-After
// header is also there and the body's number is far larger, the body is in
// milliseconds (seen on webhooks: discord-api-docs issue 4722) and the
// header wins.
func retryAfter(e *apiError, header http.Header) time.Duration {
	hdr := safehttp.ParseRetryAfter(header.Get("Retry-After"), time.Now())
	body := safehttp.SecondsDuration(e.RetryAfter)
	switch {
	case body == 0:
		return max(hdr, resetAfter(header))
	case hdr > 0 && body > 10*hdr+time.Second:
		return hdr
	}
	return body
}

func resetAfter(header http.Header) time.Duration {
	f, err := strconv.ParseFloat(strings.TrimSpace(header.Get("X-RateLimit-Reset-After")), 64)
	if err != nil {
		return 0
	}
	return safehttp.SecondsDuration(f)
}

// describe is "HTTP 404: Unknown Webhook (code 10015)", with the first
// field errors of an Invalid Form Body, at most 200 characters.
func describe(status int, e *apiError, body []byte) string {
	msg := e.Message
	if msg == "" {
		msg = platform.AnswerText(body)
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	s := "HTTP " + strconv.Itoa(status) + ": " + msg
	if e.Code != 0 {
		s += " (code " + strconv.Itoa(e.Code) + ")"
	}
	if len(e.Errors) > 0 {
		s += " " + string(e.Errors)
	}
	return sanitize.Truncate(s, 200)
}
