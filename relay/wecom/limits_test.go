package wecom

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// long returns items with a ~10 KB Chinese summary and a ~1 KB title, plus
// a broken byte, eight of them: the worst digest.
func long() []platform.Item {
	sum := strings.Repeat("飞书钉钉企业微信的消息长度限制按字节计算。", 80) // 21 runes × 3 bytes × 80 ≈ 10 KB
	items := make([]platform.Item, maxArticles)
	for i := range items {
		items[i] = platform.Item{
			Title:       strings.Repeat("超长标题", 90) + "\xff",
			Summary:     sum,
			URL:         "https://feeds.example.com/articles/long",
			Image:       "https://img.example.com/covers/long.png",
			SourceTitle: strings.Repeat("来源", 200),
		}
	}
	return items
}

func TestNewsLimits(t *testing.T) {
	for _, n := range []int{1, maxArticles} {
		m := decode(t, build(t, "news", long()[:n]).Body)
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
		m := decode(t, build(t, "markdown", long()[:n]).Body)
		c := m["markdown"].(map[string]any)["content"].(string)
		checkText(t, "content", c, contentBytes)
		if got := strings.Count(c, "](https://feeds.example.com/articles/long)"); got != n {
			t.Errorf("%d items: %d article links survived the cut", n, got)
		}
	}
	// Links alone too long: the content itself is cut, still on a rune boundary.
	huge := long()
	for i := range huge {
		huge[i].URL = "https://feeds.example.com/" + strings.Repeat("路", 300)
	}
	c := decode(t, build(t, "markdown", huge).Body)["markdown"].(map[string]any)["content"].(string)
	checkText(t, "content", c, contentBytes)
}

func TestFitBytes(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"短", 3, "短"},
		{"中文标题", 9, "中文…"},
		{"中文标题", 8, "中…"},
		{"中文标题", 2, ""},
		{"hello world again", 14, "hello world…"},
	} {
		if got := fitBytes(c.in, c.max); got != c.want {
			t.Errorf("fitBytes(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
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
