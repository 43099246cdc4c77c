package feishu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// rateWindow is how long a frequency error asks us to wait: the limits
// count per second and per minute (100/min, 5/s), so a minute clears both.
const rateWindow = time.Minute

// messageBytes bounds Outcome.Message.
const messageBytes = 200

// answer is the bot's reply, {"code":0,"msg":"success","data":{}} with the
// legacy {"StatusCode":0,"StatusMessage":"success"} kept alongside
// (relay-platforms.md 3.8); older answers carry only the legacy pair.
type answer struct {
	Code          *int   `json:"code"`
	Msg           string `json:"msg"`
	StatusCode    *int   `json:"StatusCode"`
	StatusMessage string `json:"StatusMessage"`
}

// Interpret reads Feishu's answer. Feishu can answer HTTP 200 for a
// rejected message and HTTP 400 with a code (9499), so a code decides when
// there is one; the HTTP status only matters otherwise.
func (formatter) Interpret(status int, header http.Header, body []byte) platform.Outcome {
	code, msg, coded := decodeAnswer(body)
	switch {
	case status == http.StatusTooManyRequests:
		// The OpenAPI gateway's limiter (99991400) says when it resets.
		wait := retryAfter(header, rateWindow)
		if s, err := strconv.Atoi(header.Get("X-Ogw-Ratelimit-Reset")); err == nil && s >= 0 && header.Get("Retry-After") == "" {
			wait = time.Duration(s) * time.Second
		}
		return platform.Outcome{Kind: platform.RateLimited, RetryAfter: wait, Message: httpMessage(status, body)}
	case status >= 500:
		return platform.Outcome{Kind: platform.Retry, Message: httpMessage(status, body)}
	case coded && code != 0:
		return classify(code, msg)
	case coded && status/100 == 2:
		return platform.Outcome{Kind: platform.Delivered, Message: codeMessage(0, msg)}
	case status/100 != 2:
		return httpOutcome(status, body)
	}
	return platform.Outcome{Kind: platform.Retry, Message: "unreadable answer: " + fitBytes(clean(string(body)), messageBytes)}
}

// decodeAnswer prefers code/msg and falls back to StatusCode/StatusMessage.
func decodeAnswer(body []byte) (code int, msg string, ok bool) {
	var a answer
	if json.Unmarshal(body, &a) != nil {
		return 0, "", false
	}
	switch {
	case a.Code != nil:
		return *a.Code, a.Msg, true
	case a.StatusCode != nil:
		return *a.StatusCode, a.StatusMessage, true
	}
	return 0, "", false
}

// classify maps a nonzero code (custom bot guide's error list and observed
// answers, relay-platforms.md 3.8).
func classify(code int, msg string) platform.Outcome {
	o := platform.Outcome{Message: codeMessage(code, msg)}
	switch {
	case code == 11232 || code == 99991400: // frequency limited (bot, OpenAPI gateway)
		o.Kind, o.RetryAfter = platform.RateLimited, rateWindow
	case code == 9499 && tooMany(msg):
		// 9499 is "Bad Request" for a malformed or oversized body, but
		// also comes back as "too many request" (HTTP 400).
		o.Kind, o.RetryAfter = platform.RateLimited, rateWindow
	case code == 9499: // the body itself (malformed, oversized)
		o.Kind = platform.Rejected
	case code >= 19000 && code <= 19999:
		// The custom bot's checks: 19001 "param invalid: incoming webhook
		// access token invalid", 19002 bad msg_type, 19021 sign match fail
		// or timestamp not within an hour, 19022 Ip Not Allowed, 19024 Key
		// Words Not Found. Resending the same request cannot pass them.
		o.Kind = platform.Permanent
	default: // unknown: assume transient, the retry budget ends it
		o.Kind = platform.Retry
	}
	return o
}

func tooMany(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "too many") || strings.Contains(m, "frequency") || strings.Contains(m, "rate limit")
}

func codeMessage(code int, msg string) string {
	return fitBytes(fmt.Sprintf("code %d: %s", code, clean(msg)), messageBytes)
}

// httpOutcome classifies a non-2xx status that carried no code.
func httpOutcome(status int, body []byte) platform.Outcome {
	kind := platform.Permanent // 400 bad body, 403/404 wrong URL: resending cannot help
	if status == http.StatusRequestTimeout || status == http.StatusTooEarly || status < 300 {
		kind = platform.Retry
	}
	return platform.Outcome{Kind: kind, Message: httpMessage(status, body)}
}

func httpMessage(status int, body []byte) string {
	text := clean(string(body))
	if text == "" {
		text = http.StatusText(status)
	}
	return fitBytes(fmt.Sprintf("HTTP %d: %s", status, text), messageBytes)
}

// retryAfter reads Retry-After (seconds, or an HTTP date measured against
// the answer's Date header); def when it is absent or unreadable.
func retryAfter(h http.Header, def time.Duration) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return def
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return def
	}
	ref, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		ref = time.Now()
	}
	if d := at.Sub(ref); d > 0 {
		return d
	}
	return 0
}
