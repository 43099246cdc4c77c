package feishu

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"time"
)

// Sign computes the custom bot's 签名校验 signature (relay-platforms.md 3.6):
// timestamp is now in seconds; sign is base64(HMAC-SHA256(key = timestamp +
// "\n" + secret, message = empty)). Key and message are the other way round
// from DingTalk's, and both go into the JSON body, not the URL. Feishu
// rejects a timestamp more than an hour off (code 19021).
func Sign(secret string, now time.Time) (timestamp, sign string) {
	timestamp = strconv.FormatInt(now.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(timestamp+"\n"+secret))
	return timestamp, base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
