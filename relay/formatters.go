package relay

import (
	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/dingtalk"
	"github.com/feedrelay/feedrelay/relay/discord"
	"github.com/feedrelay/feedrelay/relay/feishu"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/slack"
	"github.com/feedrelay/feedrelay/relay/telegram"
	"github.com/feedrelay/feedrelay/relay/webhook"
	"github.com/feedrelay/feedrelay/relay/wecom"
)

// Formatters returns one formatter per supported platform.
func Formatters() map[string]platform.Formatter {
	return map[string]platform.Formatter{
		feedrelay.PlatformWeCom:    wecom.New(),
		feedrelay.PlatformDingTalk: dingtalk.New(),
		feedrelay.PlatformFeishu:   feishu.New(),
		feedrelay.PlatformSlack:    slack.New(),
		feedrelay.PlatformTelegram: telegram.New(),
		feedrelay.PlatformDiscord:  discord.New(),
		feedrelay.PlatformWebhook:  webhook.New(),
	}
}
