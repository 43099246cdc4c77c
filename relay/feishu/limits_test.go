package feishu

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// long returns maxItems items with a ~10 KB Chinese summary and a long
// title ending in a broken byte.
func long() []platform.Item {
	sum := strings.Repeat("飞书自定义机器人的请求体不能超过二十千字节。", 80) // ≈ 10 KB
	items := make([]platform.Item, maxItems)
	for i := range items {
		items[i] = platform.Item{
			Title:       strings.Repeat("超长标题", 90) + "\xff",
			Summary:     sum,
			URL:         "https://feeds.example.com/articles/long",
			SourceTitle: strings.Repeat("来源", 200),
		}
	}
	return items
}

func TestLimits(t *testing.T) {
	for _, format := range []string{"interactive", "post"} {
		for _, n := range []int{1, 3, maxItems} {
			tg := target(format)
			tg.Secret = testSecret // the signature counts towards the size
			req, err := New().Build(tg, long()[:n], fixedNow)
			if err != nil {
				t.Fatal(err)
			}
			if len(req.Body) > maxBody {
				t.Errorf("format %q, %d items: body %d bytes, limit %d", format, n, len(req.Body), maxBody)
			}
			if !utf8.Valid(req.Body) {
				t.Errorf("format %q: body is not valid UTF-8", format)
			}
			body := string(req.Body)
			if got := strings.Count(body, "https://feeds.example.com/articles/long"); got != n {
				t.Errorf("format %q: %d of %d article links survived", format, got, n)
			}
			if n == 1 && !strings.Contains(body, strings.Repeat("飞书自定义机器人的请求体不能超过二十千字节。", 5)) {
				t.Errorf("format %q: a single article lost its summary", format)
			}
		}
	}
	huge := long()
	for i := range huge {
		huge[i].URL = "https://feeds.example.com/" + strings.Repeat("a", maxBody/4)
	}
	if _, err := New().Build(target("post"), huge, fixedNow); err == nil {
		t.Errorf("Build accepted a body over %d bytes", maxBody)
	}
}
