package platform

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay/safehttp"
	"github.com/feedrelay/feedrelay/sanitize"
)

// MessageBytes bounds the Outcome.Message the WeCom, DingTalk and Feishu
// formatters write: enough for the robot's own words, short enough for a
// list of failures.
const MessageBytes = 200

// CodedAnswer is what a robot's JSON answer said. WeCom, DingTalk and
// Feishu report errors as HTTP 200 with a nonzero code in the body.
type CodedAnswer struct {
	Label string // how Message names the code: "errcode" (WeCom, DingTalk) or "code" (Feishu)
	Coded bool   // the body was JSON carrying a code
	Code  int
	Msg   string
}

// ErrcodeAnswer decodes the answer WeCom's and DingTalk's robots share:
// {"errcode":0,"errmsg":"ok"} on success, the same shape with a nonzero
// errcode (still HTTP 200) on failure.
func ErrcodeAnswer(body []byte) CodedAnswer {
	var a struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	ca := CodedAnswer{Label: "errcode"}
	if json.Unmarshal(body, &a) == nil && a.ErrCode != nil {
		ca.Coded, ca.Code = true, *a.ErrCode
	}
	ca.Msg = a.ErrMsg
	return ca
}

// InterpretCoded reads a robot's answer the way WeCom, DingTalk and Feishu
// all need it: an HTTP 429 (RateLimited for wait) or 5xx decides first,
// since a gateway in front of the robot may pass its JSON through; then a
// nonzero code, which classify maps; then a zero code on a 2xx is
// Delivered; then the HTTP status alone. A 2xx without a code is Retry: the
// message may not have been sent.
func InterpretCoded(status int, body []byte, a CodedAnswer, wait time.Duration, classify func(code int, msg string) Outcome) Outcome {
	switch {
	case status == http.StatusTooManyRequests:
		return Outcome{Kind: RateLimited, RetryAfter: wait, Message: HTTPMessage(status, body)}
	case status >= 500:
		return Outcome{Kind: Retry, Message: HTTPMessage(status, body)}
	case a.Coded && a.Code != 0:
		return classify(a.Code, a.Msg)
	case a.Coded && status/100 == 2:
		return Outcome{Kind: Delivered, Message: CodeMessage(a.Label, 0, a.Msg)}
	case status/100 != 2:
		return HTTPOutcome(status, body)
	}
	return Outcome{Kind: Retry, Message: "unreadable answer: " + FitBytes(Clean(string(body)), MessageBytes)}
}

// CodeMessage is "<label> <code>: <msg>" on one line, at most
// MessageBytes: the robot's code comes first, as its docs list them.
func CodeMessage(label string, code int, msg string) string {
	return FitBytes(fmt.Sprintf("%s %d: %s", label, code, Clean(msg)), MessageBytes)
}

// HTTPOutcome classifies a non-2xx status that carried no code: a 400 (bad
// body) or 403/404 (wrong URL) cannot be helped by resending, a 408 or 425
// can.
func HTTPOutcome(status int, body []byte) Outcome {
	kind := Permanent
	if status == http.StatusRequestTimeout || status == http.StatusTooEarly || status < 300 {
		kind = Retry
	}
	return Outcome{Kind: kind, Message: HTTPMessage(status, body)}
}

// HTTPMessage is "HTTP <status>: <body as one line>", the status text when
// the body is empty, at most MessageBytes.
func HTTPMessage(status int, body []byte) string {
	text := Clean(string(body))
	if text == "" {
		text = http.StatusText(status)
	}
	return FitBytes(fmt.Sprintf("HTTP %d: %s", status, text), MessageBytes)
}

// RetryAfter reads a 429's Retry-After with safehttp.ParseRetryAfter,
// measuring an HTTP date against the answer's own Date header when it has
// one, so a clock off between us and the platform does not stretch or
// shrink the wait. It returns def, the platform's documented window, when
// the header is absent, unreadable or asks for no wait: the robots document
// no Retry-After, a proxy in front of them may send one.
func RetryAfter(h http.Header, def time.Duration) time.Duration {
	ref, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		ref = time.Now()
	}
	if d := safehttp.ParseRetryAfter(h.Get("Retry-After"), ref); d > 0 {
		return d
	}
	return def
}

// AnswerText is an answer body as one line of plain text for Slack,
// Discord and Telegram messages: invalid UTF-8 replaced, an HTML error page
// (a proxy's) reduced to its text, white space folded. Unlike Clean, which
// the robots' answers get, it strips the markup: those platforms answer
// plain text or JSON, so markup can only be a proxy's page.
func AnswerText(body []byte) string {
	s := strings.TrimSpace(strings.ToValidUTF8(string(body), "\uFFFD"))
	if strings.HasPrefix(s, "<") {
		s = sanitize.PlainText(s)
	}
	return strings.Join(strings.Fields(s), " ")
}
