package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// secretPrefix marks a Standard Webhooks secret: base64 of the key.
const secretPrefix = "whsec_"

// Sign returns the webhook-signature value for one message:
// "v1," + base64(HMAC-SHA256(key, msgID + "." + unix seconds + "." + body)).
// A secret "whsec_<base64>" is a Standard Webhooks secret and its key is
// the decoded base64, as the specification's libraries read it. Any other
// secret is used as raw bytes, so a passphrase works too; a receiver that
// uses those libraries with such a secret must hand them the raw key
// (NewWebhookRaw in the Go library), since their plain constructor would
// base64-decode it.
func Sign(secret, msgID string, ts time.Time, body []byte) (string, error) {
	key, err := signingKey(secret)
	if err != nil {
		return "", err
	}
	// The id and timestamp are joined with dots, so an id with a dot
	// would make two messages sign alike (the specification forbids it).
	if msgID == "" || strings.Contains(msgID, ".") {
		return "", fmt.Errorf("webhook: message id %q must be non-empty and contain no dot", msgID)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msgID))
	mac.Write([]byte("."))
	mac.Write(strconv.AppendInt(nil, ts.Unix(), 10))
	mac.Write([]byte("."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

func signingKey(secret string) ([]byte, error) {
	if secret == "" {
		return nil, errors.New("webhook: no secret to sign with")
	}
	enc, ok := strings.CutPrefix(secret, secretPrefix)
	if !ok {
		return []byte(secret), nil
	}
	key, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, fmt.Errorf("webhook: the whsec_ secret is not base64: %w", err)
	}
	if len(key) == 0 {
		return nil, errors.New("webhook: the whsec_ secret is empty")
	}
	return key, nil
}
