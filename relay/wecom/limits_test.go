package wecom

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

// long is maxArticles of the worst article, summaries ~10 KB: the worst
// digest.
func long() []platform.Item {
	sum := strings.Repeat("飞书钉钉企业微信的消息长度限制按字节计算。", 80) // 21 runes × 3 bytes × 80 ≈ 10 KB
	return platformtest.LongItems(maxArticles, sum, "https://img.example.com/covers/long.png")
}

func TestNewsLimits(t *testing.T) {
	for _, n := range []int{1, maxArticles} {
		m := platformtest.Decode(t, build(t, "news", long()[:n]).Body)
		for i, a := range m["news"].(map[string]any)["articles"].([]any) {
			art := a.(map[string]any)
			checkText(t, "title", art["title"].(string), titleBytes)
			d := art["description"].(string)
			checkText(t, "description", d, descriptionBytes)
			if !strings.Contains(d, "\n来源: ") {
				t.Errorf("article %d: attribution lost: %q", i, d)
			}
		}
	}
}

func TestMarkdownLimits(t *testing.T) {
	for _, n := range []int{1, 3, maxArticles} {
		m := platformtest.Decode(t, build(t, "markdown", long()[:n]).Body)
		c := m["markdown"].(map[string]any)["content"].(string)
		checkText(t, "content", c, contentBytes)
		if got := strings.Count(c, "]("+platformtest.LongURL+")"); got != n {
			t.Errorf("%d items: %d article links survived the cut", n, got)
		}
	}
	// Links alone too long: the content itself is cut, still on a rune boundary.
	huge := long()
	for i := range huge {
		huge[i].URL = "https://feeds.example.com/" + strings.Repeat("路", 300)
	}
	c := platformtest.Decode(t, build(t, "markdown", huge).Body)["markdown"].(map[string]any)["content"].(string)
	checkText(t, "content", c, contentBytes)
}

func checkText(t *testing.T, field, s string, max int) {
	t.Helper()
	if len(s) > max {
		t.Errorf("%s has %d bytes, limit %d", field, len(s), max)
	}
	if !utf8.ValidString(s) {
		t.Errorf("%s is not valid UTF-8: %q", field, s)
	}
	if s == "" {
		t.Errorf("%s is empty", field)
	}
}
