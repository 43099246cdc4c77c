package dingtalk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Sign computes DingTalk's 加签 signature (relay-platforms.md 2.3): timestamp
// is now in milliseconds; sign is base64(HMAC-SHA256(key = secret, message =
// timestamp + "\n" + secret)), not yet URL-encoded. DingTalk rejects a
// timestamp more than an hour from its clock (errcode 310000).
func Sign(secret string, now time.Time) (timestamp, sign string) {
	timestamp = strconv.FormatInt(now.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "\n" + secret))
	return timestamp, base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// signedURL adds timestamp and sign to the webhook URL's query, keeping
// access_token, when the target has a secret; without one it returns raw.
func signedURL(raw, secret string, now time.Time) (string, error) {
	if secret == "" {
		return raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("dingtalk: webhook URL: %w", err)
	}
	ts, sign := Sign(secret, now)
	q := u.Query()
	q.Set("timestamp", ts)
	q.Set("sign", sign) // Encode URL-encodes it: "+" "/" "=" become %2B %2F %3D
	u.RawQuery = q.Encode()
	return u.String(), nil
}
