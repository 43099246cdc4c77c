package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func TestSignKnownAnswers(t *testing.T) {
	tests := []struct {
		name, secret, id string
		ts               int64
		body, want       string
	}{
		// The Standard Webhooks libraries' own test vector
		// (standard-webhooks/standard-webhooks, libraries/php/tests/WebhookTest.php,
		// testSignFunctionWorks; the same in the other libraries' tests).
		{"spec vector", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
			`{"test": 2432232314}`, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="},
		// A raw (non-whsec_) secret, computed with
		//   printf %s 'fr-delivery-42.1772366400.{"a":1}' | openssl dgst -sha256 -hmac 'plain secret' -binary | base64
		{"raw secret", "plain secret", "fr-delivery-42", 1772366400, `{"a":1}`, "v1,r6fnF+OgajmH5mcq1qes4LbngcdZrwlCO6zFaPId4ho="},
	}
	for _, tt := range tests {
		got, err := Sign(tt.secret, tt.id, time.Unix(tt.ts, 0), []byte(tt.body))
		if err != nil || got != tt.want {
			t.Errorf("%s: Sign = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

// The header Build sends verifies as a receiver would check it.
func TestBuildSignatureVerifies(t *testing.T) {
	c, _, _ := items()
	for _, secret := range []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "plain secret"} {
		tg := *target
		tg.Secret = secret
		req := platformtest.MustBuild(t, New(), &tg, []platform.Item{c}, now)
		key := []byte(secret)
		if secret[:6] == "whsec_" {
			key, _ = base64.StdEncoding.DecodeString(secret[6:])
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(req.Header.Get("webhook-id") + "." + req.Header.Get("webhook-timestamp") + "." + string(req.Body)))
		want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
		if got := req.Header.Get("webhook-signature"); got != want {
			t.Errorf("secret %q: webhook-signature %q, want %q", secret, got, want)
		}
		if ts, _ := strconv.ParseInt(req.Header.Get("webhook-timestamp"), 10, 64); ts != now.Unix() {
			t.Errorf("webhook-timestamp = %d", ts)
		}
	}
	tg := *target
	tg.Secret = ""
	req, _ := New().Build(&tg, []platform.Item{c}, now)
	if _, ok := req.Header["Webhook-Signature"]; ok {
		t.Error("a signature without a secret")
	}
}

func TestSignRejects(t *testing.T) {
	for _, tt := range []struct{ secret, id string }{
		{"", "msg"}, {"whsec_***", "msg"}, {"whsec_", "msg"}, {"s", ""}, {"s", "a.b"},
	} {
		if _, err := Sign(tt.secret, tt.id, now, nil); err == nil {
			t.Errorf("Sign(%q, %q): no error", tt.secret, tt.id)
		}
	}
}
