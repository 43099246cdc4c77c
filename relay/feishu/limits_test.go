package feishu

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

// long is maxItems of the worst article, summaries ~10 KB, no image.
func long() []platform.Item {
	return platformtest.LongItems(maxItems, strings.Repeat(longSummary, 80), "") // ≈ 10 KB
}

const longSummary = "飞书自定义机器人的请求体不能超过二十千字节。"

func TestLimits(t *testing.T) {
	for _, format := range []string{"interactive", "post"} {
		for _, n := range []int{1, 3, maxItems} {
			tg := target(format)
			tg.Secret = testSecret // the signature counts towards the size
			req := platformtest.MustBuild(t, New(), tg, long()[:n], fixedNow)
			if len(req.Body) > maxBody {
				t.Errorf("format %q, %d items: body %d bytes, limit %d", format, n, len(req.Body), maxBody)
			}
			if !utf8.Valid(req.Body) {
				t.Errorf("format %q: body is not valid UTF-8", format)
			}
			body := string(req.Body)
			if got := strings.Count(body, platformtest.LongURL); got != n {
				t.Errorf("format %q: %d of %d article links survived", format, got, n)
			}
			if n == 1 && !strings.Contains(body, strings.Repeat(longSummary, 5)) {
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
