package slack

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func huge() platform.Item {
	text := strings.Repeat("汉字测试&<", 1700) // 10,200 characters, each & and < grows when escaped
	return platform.Item{
		Title: text, Summary: text, Author: text, SourceTitle: text, SourceURL: "https://s.example/",
		Categories: []string{text}, URL: "https://example.com/x", Image: "https://example.com/i.png",
	}
}

func TestLimits(t *testing.T) {
	for _, n := range []int{1, maxItems} {
		items := make([]platform.Item, n)
		for i := range items {
			items[i] = huge()
		}
		req := platformtest.MustBuild(t, New(), target, items, now)
		if !utf8.Valid(req.Body) {
			t.Fatal("body is not valid UTF-8")
		}
		m := platformtest.Decode(t, req.Body)
		check := func(what, s string, limit int) {
			if platform.UTF16Len(s) > limit {
				t.Errorf("n=%d: %s is %d long, limit %d", n, what, platform.UTF16Len(s), limit)
			}
			if !strings.HasSuffix(s, "…") && !strings.HasSuffix(s, "…>") && !strings.HasSuffix(s, "…>*") {
				t.Errorf("n=%d: %s was not cut with an ellipsis: …%q", n, what, s[max(0, len(s)-20):])
			}
			if strings.HasSuffix(strings.TrimSuffix(s, "…"), "&") || strings.Contains(s, "&l…") || strings.Contains(s, "&a…") {
				t.Errorf("n=%d: %s cut inside an entity", n, what)
			}
		}
		check("text", m["text"].(string), maxFallback)
		blocks := m["blocks"].([]any)
		if len(blocks) > maxBlocks {
			t.Errorf("n=%d: %d blocks", n, len(blocks))
		}
		total := 0
		for _, b := range blocks {
			b := b.(map[string]any)
			switch b["type"] {
			case "section":
				s := b["text"].(map[string]any)["text"].(string)
				check("section", s, maxSection)
				total += platform.UTF16Len(s)
				alt := b["accessory"].(map[string]any)["alt_text"].(string)
				if platform.UTF16Len(alt) > maxAltText {
					t.Errorf("alt_text is %d long", platform.UTF16Len(alt))
				}
			case "context":
				els := b["elements"].([]any)
				if len(els) > 10 {
					t.Errorf("context has %d elements", len(els))
				}
				for _, e := range els {
					s := e.(map[string]any)["text"].(string)
					check("context", s, maxContextText)
					total += platform.UTF16Len(s)
				}
			}
		}
		if total > 13000 {
			t.Errorf("n=%d: blocks hold %d characters, Slack refuses about 13,000", n, total)
		}
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"abc", 3, "abc"},
		{"a&b", 7, "a&amp;b"},
		{"a&b", 6, "a…"},
		{"<<<<", 5, "&lt;…"},
		{"<<<<", 4, ""},
		{"汉字测试", 3, "汉字…"},
		{"😀😀😀", 4, "😀…"}, // each emoji counts two
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		if got := fit(tt.in, tt.limit); got != tt.want {
			t.Errorf("fit(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}
