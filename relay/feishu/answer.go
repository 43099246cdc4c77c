package feishu

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// rateWindow is how long a frequency error asks us to wait: the limits
// count per second and per minute (100/min, 5/s), so a minute clears both.
const rateWindow = time.Minute

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
// there is one; the HTTP status only matters otherwise
// (platform.InterpretCoded).
func (formatter) Interpret(status int, header http.Header, body []byte) platform.Outcome {
	code, msg, coded := decodeAnswer(body)
	ca := platform.CodedAnswer{Label: "code", Coded: coded, Code: code, Msg: msg}
	return platform.InterpretCoded(status, body, ca, wait(header), classify)
}

// wait is how long an HTTP 429 asks for: Retry-After, else the OpenAPI
// gateway's limiter (99991400) saying when it resets, else rateWindow.
func wait(header http.Header) time.Duration {
	if s, err := strconv.Atoi(header.Get("X-Ogw-Ratelimit-Reset")); err == nil && s >= 0 && header.Get("Retry-After") == "" {
		return time.Duration(s) * time.Second
	}
	return platform.RetryAfter(header, rateWindow)
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
	o := platform.Outcome{Message: platform.CodeMessage("code", code, msg)}
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
