package dingtalk

import (
	"testing"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

var fixedNow = platformtest.DigestNow

const hookURL = "https://oapi.dingtalk.com/robot/send?access_token=b955f0ad1e6c4a9d8f0e2c3b4a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f"

// testSecret is a made-up 加签 secret (DingTalk secrets start with SEC).
const testSecret = "SECf1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2"

// fixtures is platformtest.Digest.
func fixtures() []platform.Item { return platformtest.Digest() }

func target(format string) *feedrelay.RelayTarget {
	return &feedrelay.RelayTarget{Name: "ops", Platform: feedrelay.PlatformDingTalk, URL: hookURL, Format: format}
}

func build(t *testing.T, format string, items []platform.Item) platform.Request {
	t.Helper()
	return platformtest.MustBuild(t, New(), target(format), items, fixedNow)
}
