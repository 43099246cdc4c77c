package webhook

import (
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

var now = platformtest.Now

const base = "https://blog.example.com"

var target = &feedrelay.RelayTarget{
	Name: "team", Platform: feedrelay.PlatformWebhook,
	URL: "https://receiver.example/hooks/feedrelay", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
}

// withArticle fills it.Article as the relay worker does (the fixtures
// below are written as the message shows them).
func withArticle(it platform.Item, a feedrelay.Article) platform.Item {
	it.Article, it.BaseURL = a, base
	return it
}

// chinese is re-syndicated and has a head image; hostile carries markup
// and HTML; plain has nothing but a title and a link.
var (
	chinese = platformtest.Chinese()
	hostile = platformtest.Hostile()
	plain   = platformtest.Plain()
)

var (
	chineseArticle = feedrelay.Article{
		Key: "dl-2", GUID: "tag:blog.example.com,2026:dl-2", Title: chinese.Title, Summary: chinese.Summary,
		ContentHTML: "<p>本文介绍<b>神经网络</b>。</p>", Link: "https://jiqizhixin.example/articles/dl-2",
		Image: chinese.Image, Published: chinese.Published, Updated: chinese.Published.Add(time.Hour),
		Categories: []feedrelay.CategoryPath{{"技术", "人工智能"}}, Tags: []string{"PyTorch", "人工智能"},
		Source: feedrelay.Attribution{Title: "机器之心", URL: "https://jiqizhixin.example/feed",
			OriginalLink: "https://jiqizhixin.example/articles/dl-2", OriginalAuthor: "张三"},
	}
	hostileArticle = feedrelay.Article{
		Key: "a b/c", GUID: "tag:blog.example.com,2026:hostile", Title: hostile.Title, Summary: hostile.Summary,
		ContentHTML: hostile.ContentHTML, Author: hostile.Author, Published: time.Date(2026, 2, 27, 8, 0, 0, 0, time.FixedZone("CST", 8*3600)),
		Categories: []feedrelay.CategoryPath{{"News", "World"}, {"*Hot*"}}, Tags: []string{"hot"},
	}
)
