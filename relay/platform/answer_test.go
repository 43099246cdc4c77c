package platform

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	const def = 10 * time.Minute
	date := "Sat, 14 Mar 2026 15:09:30 GMT"
	for _, c := range []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"absent", nil, def},
		{"seconds", http.Header{"Retry-After": {"7"}}, 7 * time.Second},
		{"decimal seconds", http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond},
		{"date against Date", http.Header{"Retry-After": {"Sat, 14 Mar 2026 15:10:00 GMT"}, "Date": {date}}, 30 * time.Second},
		{"date in the past", http.Header{"Retry-After": {"Sat, 14 Mar 2026 15:09:00 GMT"}, "Date": {date}}, def},
		{"zero", http.Header{"Retry-After": {"0"}}, def},
		{"garbage", http.Header{"Retry-After": {"soon"}}, def},
		{"years", http.Header{"Retry-After": {"99999999999"}}, 30 * 24 * time.Hour},
	} {
		if got := RetryAfter(c.header, def); got != c.want {
			t.Errorf("%s: RetryAfter = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestHTTPOutcome(t *testing.T) {
	for _, c := range []struct {
		status int
		body   string
		kind   Kind
		msg    string
	}{
		{404, "", Permanent, "HTTP 404: Not Found"},
		{400, "bad\n body", Permanent, "HTTP 400: bad body"},
		{408, "", Retry, "HTTP 408: Request Timeout"},
		{425, "", Retry, "HTTP 425: Too Early"},
		{200, "", Retry, "HTTP 200: OK"},
	} {
		o := HTTPOutcome(c.status, []byte(c.body))
		if o.Kind != c.kind || o.Message != c.msg {
			t.Errorf("HTTPOutcome(%d, %q) = %v %q, want %v %q", c.status, c.body, o.Kind, o.Message, c.kind, c.msg)
		}
	}
	if m := HTTPMessage(502, []byte(strings.Repeat("网关错误", 100))); len(m) > MessageBytes {
		t.Errorf("HTTPMessage is %d bytes, limit %d", len(m), MessageBytes)
	}
}

func TestInterpretCoded(t *testing.T) {
	classify := func(code int, msg string) Outcome {
		return Outcome{Kind: Rejected, Message: CodeMessage("errcode", code, msg)}
	}
	coded := func(code int) CodedAnswer { return CodedAnswer{Label: "errcode", Coded: true, Code: code, Msg: "m"} }
	for _, c := range []struct {
		name   string
		status int
		a      CodedAnswer
		kind   Kind
		msg    string
	}{
		{"delivered", 200, coded(0), Delivered, "errcode 0: m"},
		{"code decides", 200, coded(40035), Rejected, "errcode 40035: m"},
		{"code on a 400", 400, coded(40035), Rejected, "errcode 40035: m"},
		{"429 first", 429, coded(40035), RateLimited, "HTTP 429: body"},
		{"5xx first", 502, coded(40035), Retry, "HTTP 502: body"},
		{"status alone", 403, CodedAnswer{Label: "errcode"}, Permanent, "HTTP 403: body"},
		{"no code on a 200", 200, CodedAnswer{Label: "errcode"}, Retry, "unreadable answer: body"},
	} {
		o := InterpretCoded(c.status, []byte("body"), c.a, time.Minute, classify)
		if o.Kind != c.kind || o.Message != c.msg {
			t.Errorf("%s: InterpretCoded = %v %q, want %v %q", c.name, o.Kind, o.Message, c.kind, c.msg)
		}
		if (o.Kind == RateLimited) != (o.RetryAfter == time.Minute) {
			t.Errorf("%s: RetryAfter %v", c.name, o.RetryAfter)
		}
	}
}

func TestAnswerText(t *testing.T) {
	for in, want := range map[string]string{
		"  no_service\n": "no_service",
		"<html><body><h1>503 Service Unavailable</h1></body></html>": "503 Service Unavailable",
		"bad \xff byte": "bad \uFFFD byte",
		"":              "",
	} {
		if got := AnswerText([]byte(in)); got != want {
			t.Errorf("AnswerText(%q) = %q, want %q", in, got, want)
		}
	}
}
