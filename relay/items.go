package relay

import (
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/sanitize"
)

// itemFor is the message view of a delivery's article.
func itemFor(d *feedrelay.Delivery, baseURL string) platform.Item {
	a := &d.Article
	summary := a.Summary
	if summary == "" {
		summary = sanitize.Summary(a.ContentHTML, 140)
	}
	img := a.Image
	if img == "" {
		img = a.Thumbnail
	}
	cats := make([]string, len(a.Categories))
	for i, c := range a.Categories {
		cats[i] = c.String()
	}
	author := a.Author
	if author == "" {
		author = a.Source.OriginalAuthor
	}
	return platform.Item{
		DeliveryID:  d.DeliveryKey(),
		Title:       a.Title,
		Summary:     summary,
		URL:         a.URL(baseURL),
		Image:       img,
		Author:      author,
		ContentHTML: a.ContentHTML,
		Published:   a.Published,
		Categories:  cats,
		SourceTitle: a.Source.Title,
		SourceURL:   a.Source.URL,
		Article:     *a,
		BaseURL:     baseURL,
	}
}

// SampleDelivery is what relays test sends: a made-up article that says
// it is a test, with a delivery id that no real delivery can have.
func SampleDelivery(now time.Time) feedrelay.Delivery {
	return feedrelay.Delivery{
		ID: 0,
		Article: feedrelay.Article{
			Key:         "feedrelay-test-message",
			GUID:        "urn:feedrelay:test:" + now.UTC().Format("20060102T150405Z"),
			Title:       "feedrelay 测试消息 · test message",
			Summary:     "如果你在群里看到这条消息，说明 feedrelay 已能向这个群推送新文章。If you can read this, feedrelay can post new articles here.",
			ContentHTML: "<p>如果你在群里看到这条消息，说明 feedrelay 已能向这个群推送新文章。</p><p>If you can read this, feedrelay can post new articles here.</p>",
			Published:   now,
			Updated:     now,
			Categories:  []feedrelay.CategoryPath{{"feedrelay"}},
		},
	}
}
