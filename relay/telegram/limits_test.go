package telegram

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func huge() platform.Item {
	text := strings.Repeat("汉字测试&<😀", 1500) // 10,500 characters, 12,000 UTF-16 units
	return platform.Item{
		Title: text, Summary: text, Author: text, SourceTitle: text, Categories: []string{text},
		URL: "https://example.com/x", Image: "https://example.com/i.png",
		ContentHTML: "<p>" + strings.Repeat("<b>粗体</b>与<i>斜体</i>&amp;", 1000) + "</p>",
	}
}

func TestLimits(t *testing.T) {
	noSummary := huge()
	noSummary.Summary = ""
	tests := []struct {
		name, format, key string
		items             []platform.Item
		limit             int
	}{
		{"message", "", "text", []platform.Item{huge()}, maxText},
		{"content", "", "text", []platform.Item{noSummary}, maxText},
		{"photo", "photo", "caption", []platform.Item{huge()}, maxCaption},
		{"photo content", "photo", "caption", []platform.Item{noSummary}, maxCaption},
		{"digest", "", "text", []platform.Item{huge(), huge(), huge(), huge(), huge(), huge(), huge(), huge(), huge(), huge()}, maxText},
	}
	for _, tt := range tests {
		req := platformtest.MustBuild(t, New(), withFormat(tt.format), tt.items, now)
		if !utf8.Valid(req.Body) {
			t.Fatalf("%s: invalid UTF-8", tt.name)
		}
		text := platformtest.Decode(t, req.Body)[tt.key].(string)
		n, err := checkHTML(text)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if n > tt.limit || n < tt.limit/4 {
			t.Errorf("%s: %d visible, limit %d", tt.name, n, tt.limit)
		}
		if !strings.Contains(text, "…") {
			t.Errorf("%s: nothing was cut", tt.name)
		}
		if strings.Contains(text, "\uFFFD") {
			t.Errorf("%s: a rune was split", tt.name)
		}
	}
}
