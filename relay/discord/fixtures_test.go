package discord

import (
	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

var now = platformtest.Now

var target = &feedrelay.RelayTarget{
	Name: "team", Platform: feedrelay.PlatformDiscord,
	URL: "https://discord.com/api/webhooks/123456789012345678/tok-EN_x",
}

// chinese has a head image; hostile carries everything Discord could read
// as markdown or a mention (a spoiler, a masked link, a heading and a list
// in its summary too); plain has nothing but a title and a link.
var (
	chinese = platformtest.Chinese()
	hostile = func() platform.Item {
		it := platformtest.Hostile()
		it.Summary = "Tom & Jerry <b>not bold</b> @everyone <@123> [x](https://evil.example) ||spoiler||\n# not a heading\n- not a list"
		return it
	}()
	plain = platformtest.Plain()
)
