package telegram

import (
	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

var now = platformtest.Now

const token = "123456:ABC-DEF_ghi"

var target = &feedrelay.RelayTarget{
	Name: "team", Platform: feedrelay.PlatformTelegram,
	URL: "https://api.telegram.org", BotToken: token, ChatID: "-1001234567890",
}

// chinese has a head image; hostile carries everything Telegram could read
// as markup (and a javascript: link in its content); plain has nothing but a
// title and a link, and content to convert.
var (
	chinese = platformtest.Chinese()
	hostile = func() platform.Item {
		it := platformtest.Hostile()
		it.ContentHTML = `<p>Hello <script>bad()</script><b>world</b> <a href="javascript:x()">js</a></p>`
		return it
	}()
	plain = func() platform.Item {
		it := platformtest.Plain()
		it.ContentHTML = `<h2>Intro</h2><p>First <em>point</em> &amp; <code>x &lt; y</code>.</p><ul><li>one</li><li>two</li></ul>`
		return it
	}()
)
