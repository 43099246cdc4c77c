package wecom

import (
	"testing"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

var fixedNow = platformtest.DigestNow

const hookURL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"

// fixtures is platformtest.Digest.
func fixtures() []platform.Item { return platformtest.Digest() }

func target(format string) *feedrelay.RelayTarget {
	return &feedrelay.RelayTarget{Name: "ops", Platform: feedrelay.PlatformWeCom, URL: hookURL, Format: format}
}

func build(t *testing.T, format string, items []platform.Item) platform.Request {
	t.Helper()
	return platformtest.MustBuild(t, New(), target(format), items, fixedNow)
}
