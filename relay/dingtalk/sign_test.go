package dingtalk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

// knownSign is the signature of testSecret at fixedNow (1773500966000 ms),
// computed outside Go:
//
//	printf '%s\n%s' 1773500966000 "$SECRET" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
//
// (and the same with Python's hmac module).
const knownSign = "8LwTprruc38wlUBrTL9qvyQmCqmxElbQTS6xVXhMReU="

func TestSign(t *testing.T) {
	ts, sign := Sign(testSecret, fixedNow)
	if ts != "1773500966000" {
		t.Errorf("timestamp %s, want milliseconds 1773500966000", ts)
	}
	if sign != knownSign {
		t.Errorf("sign %s, want %s", sign, knownSign)
	}
	// The documented steps written out again: key = secret, message =
	// timestamp + "\n" + secret, then base64.
	for _, now := range []time.Time{fixedNow, fixedNow.Add(1234567 * time.Millisecond), time.UnixMilli(1)} {
		ts, sign := Sign("SECanother", now)
		mac := hmac.New(sha256.New, []byte("SECanother"))
		mac.Write([]byte(ts + "\n" + "SECanother"))
		if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); sign != want {
			t.Errorf("Sign at %v = %s, want %s", now, sign, want)
		}
		if want := strconv.FormatInt(now.UnixMilli(), 10); ts != want {
			t.Errorf("timestamp %s, want %s", ts, want)
		}
	}
}

func TestSignedURL(t *testing.T) {
	tg := target("")
	tg.Secret = testSecret
	req := platformtest.MustBuild(t, New(), tg, fixtures()[:1], fixedNow)
	u, err := url.Parse(req.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("access_token") != "b955f0ad1e6c4a9d8f0e2c3b4a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f" {
		t.Errorf("access_token lost: %s", req.URL)
	}
	if q.Get("timestamp") != "1773500966000" || q.Get("sign") != knownSign {
		t.Errorf("query %v, want timestamp 1773500966000 and sign %s", q, knownSign)
	}
	if !strings.Contains(u.RawQuery, "sign="+url.QueryEscape(knownSign)) || strings.Contains(u.RawQuery, "+") {
		t.Errorf("sign not URL-encoded in %s", u.RawQuery)
	}
	if u.Scheme != "https" || u.Host != "oapi.dingtalk.com" || u.Path != "/robot/send" {
		t.Errorf("URL changed: %s", req.URL)
	}
}
