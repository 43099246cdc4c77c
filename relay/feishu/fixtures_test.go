package feishu

import (
	"testing"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

var fixedNow = platformtest.DigestNow

const hookURL = "https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

// testSecret is a made-up 签名校验 secret.
const testSecret = "SECf1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2"

// fixtures is platformtest.Digest.
func fixtures() []platform.Item { return platformtest.Digest() }

func target(format string) *feedrelay.RelayTarget {
	return &feedrelay.RelayTarget{Name: "ops", Platform: feedrelay.PlatformFeishu, URL: hookURL, Format: format}
}

func build(t *testing.T, format string, items []platform.Item) platform.Request {
	t.Helper()
	return platformtest.MustBuild(t, New(), target(format), items, fixedNow)
}
