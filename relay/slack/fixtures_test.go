package slack

import (
	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

var now = platformtest.Now

var target = &feedrelay.RelayTarget{
	Name: "team", Platform: feedrelay.PlatformSlack,
	URL: "https://hooks.slack.com/services/T000/B000/XXXX",
}

// chinese has a head image; hostile carries everything Slack could read as
// markup; plain has nothing but a title and a link.
var (
	chinese = platformtest.Chinese()
	hostile = platformtest.Hostile()
	plain   = platformtest.Plain()
)
