// Package platformtest holds the sample articles the platform formatters' tests share.
//
// Two sets: Chinese, Hostile and Plain, one article each, for Slack,
// Discord, Telegram and the generic webhook (built at Now); Digest, three
// articles for the WeCom, DingTalk and Feishu robots (built at DigestNow).
// A package whose tests need an article slightly otherwise changes its copy:
// the functions return a fresh one each call. It also holds the helpers
// those tests repeat: golden files, decoding, answer tables.
package platformtest

import (
	"strings"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// Now is when the single-article sets are built.
var Now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Chinese is a re-syndicated Chinese article with a head image, an author
// and a category.
func Chinese() platform.Item {
	return platform.Item{
		DeliveryID:  "fr-delivery-1",
		Title:       "深度学习：从入门到精通（第二版）",
		Summary:     "本文介绍神经网络的基本原理，并给出 PyTorch 示例代码。",
		URL:         "https://example.com/articles/dl-2",
		Image:       "https://img.example.com/head.jpg",
		Author:      "张三",
		Published:   time.Date(2026, 2, 28, 9, 30, 0, 0, time.UTC),
		Categories:  []string{"技术 > 人工智能"},
		SourceTitle: "机器之心",
		SourceURL:   "https://jiqizhixin.example/feed",
	}
}

// Hostile carries what a platform could read as markup, a mention or a
// link, in every field, and no image.
func Hostile() platform.Item {
	return platform.Item{
		DeliveryID:  "fr-delivery-2",
		Title:       `<script>alert("x")</script> & <!channel> *bold* _x_ <http://evil|x>`,
		Summary:     "Tom & Jerry <b>not bold</b> @everyone <@U123> 1 < 2 > 0",
		URL:         "https://example.com/a?x=1&y=<2>|z",
		Author:      "Eve <eve@example.com>",
		ContentHTML: `<p>Hello <script>bad()</script><b>world</b></p>`,
		Categories:  []string{"News > World", "*Hot*"},
	}
}

// Plain has nothing but a title and a link.
func Plain() platform.Item {
	return platform.Item{DeliveryID: "fr-delivery-3", Title: "Plain", URL: "https://example.com/p"}
}

// DigestNow is when the robots' Digest is built.
var DigestNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// Digest is a Chinese article with an image, a hostile title with
// Markdown specials and <script> from an upstream source, and an English
// one without image or summary.
func Digest() []platform.Item {
	return []platform.Item{
		{
			DeliveryID: "fr-delivery-1",
			Title:      "深度学习框架发布 2.0 版本",
			Summary:    "本次更新带来了更快的训练速度、更低的显存占用，以及全新的分布式调度器。",
			URL:        "https://feeds.example.com/articles/1",
			Image:      "https://img.example.com/covers/1.png",
			Published:  DigestNow.Add(-time.Hour),
		},
		{
			DeliveryID:  "fr-delivery-2",
			Title:       "[点我](https://evil.example/x) *加粗* <script>alert(1)</script>",
			Summary:     "摘要里也有 _下划线_、`代码` 和 <@all> 提及。",
			URL:         "https://feeds.example.com/articles/2?q=(a b)",
			SourceTitle: "上游 *周刊*",
			SourceURL:   "https://upstream.example.org/feed",
		},
		{
			DeliveryID: "fr-delivery-3",
			Title:      "Go 1.26 released",
			URL:        "https://feeds.example.com/articles/3",
		},
	}
}

// LongURL is the link of every LongItems article.
const LongURL = "https://feeds.example.com/articles/long"

// LongItems is n copies of the robots' worst article: summary (some 10 KB
// of Chinese), a ~1 KB title ending in a broken byte, a 400-rune source,
// and image ("" for none).
func LongItems(n int, summary, image string) []platform.Item {
	items := make([]platform.Item, n)
	for i := range items {
		items[i] = platform.Item{
			Title:       strings.Repeat("超长标题", 90) + "\xff",
			Summary:     summary,
			URL:         LongURL,
			Image:       image,
			SourceTitle: strings.Repeat("来源", 200),
		}
	}
	return items
}

// Repeat is n copies of it: a digest over a platform's limit.
func Repeat(it platform.Item, n int) []platform.Item {
	items := make([]platform.Item, n)
	for i := range items {
		items[i] = it
	}
	return items
}

// SentURL is u as the robots' messages carry it: inner spaces
// percent-encoded (platform.SafeURL).
func SentURL(u string) string { return strings.ReplaceAll(u, " ", "%20") }
