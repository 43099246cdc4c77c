package feishu

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

// knownSign is the signature of testSecret at fixedNow (1773500966 s),
// computed outside Go with the key "1773500966\n" + secret over an empty
// message:
//
//	printf '' | openssl dgst -sha256 -hmac "1773500966"$'\n'"$SECRET" -binary | base64
//
// (and the same with Python's hmac module).
const knownSign = "jFvp/tN2ek53+0eQa7p6zCr3XC09iZ4wF9fXCTkpKX4="

func TestSign(t *testing.T) {
	ts, sign := Sign(testSecret, fixedNow)
	if ts != "1773500966" {
		t.Errorf("timestamp %s, want seconds 1773500966", ts)
	}
	if sign != knownSign {
		t.Errorf("sign %s, want %s", sign, knownSign)
	}
	// The documented steps written out again: key = timestamp + "\n" +
	// secret, message empty, then base64 (not DingTalk's order).
	for _, now := range []time.Time{fixedNow, fixedNow.Add(4321 * time.Second), time.Unix(1599360473, 0)} {
		ts, sign := Sign("another", now)
		mac := hmac.New(sha256.New, []byte(ts+"\n"+"another"))
		mac.Write(nil)
		if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); sign != want {
			t.Errorf("Sign at %v = %s, want %s", now, sign, want)
		}
		if want := strconv.FormatInt(now.Unix(), 10); ts != want {
			t.Errorf("timestamp %s, want %s", ts, want)
		}
		dingtalkOrder := hmac.New(sha256.New, []byte("another"))
		dingtalkOrder.Write([]byte(ts + "\n" + "another"))
		if sign == base64.StdEncoding.EncodeToString(dingtalkOrder.Sum(nil)) {
			t.Errorf("Sign uses DingTalk's key/message order")
		}
	}
}

func TestSignedBody(t *testing.T) {
	for _, format := range []string{"", "post"} {
		tg := target(format)
		tg.Secret = testSecret
		req := platformtest.MustBuild(t, New(), tg, fixtures(), fixedNow)
		m := platformtest.Decode(t, req.Body)
		if m["timestamp"] != "1773500966" || m["sign"] != knownSign {
			t.Errorf("format %q: timestamp %v sign %v, want strings 1773500966 and %s", format, m["timestamp"], m["sign"], knownSign)
		}
		if req.URL != hookURL {
			t.Errorf("signing changed the URL: %s", req.URL)
		}
	}
}
