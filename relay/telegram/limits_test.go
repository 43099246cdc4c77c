package telegram

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/relay/platform"
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
		req, err := New().Build(withFormat(tt.format), tt.items, now)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(req.Body) {
			t.Fatalf("%s: invalid UTF-8", tt.name)
		}
		text := decode(t, req.Body)[tt.key].(string)
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

func TestCut(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"汉字测试", 3, "汉字…"},
		{"😀😀😀", 4, "😀…"},
		{"😀😀😀", 2, ""},
		{"hello world again", 14, "hello world…"},
	}
	for _, tt := range tests {
		if got := cut(tt.in, tt.limit); got != tt.want {
			t.Errorf("cut(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}
