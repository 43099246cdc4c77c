package discord

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func huge() platform.Item {
	text := strings.Repeat("汉字测试*_😀", 1500) // 10,500 characters that all grow when counted or escaped
	return platform.Item{
		Title: text, Summary: text, Author: text, SourceTitle: text, Categories: []string{text},
		URL: "https://example.com/x", Image: "https://example.com/i.png",
	}
}

func TestLimits(t *testing.T) {
	for _, n := range []int{1, 2, 7, maxItems} {
		items := make([]platform.Item, n)
		for i := range items {
			items[i] = huge()
		}
		req := platformtest.MustBuild(t, New(), target, items, now)
		if !utf8.Valid(req.Body) || strings.Contains(string(req.Body), "\uFFFD") {
			t.Fatalf("n=%d: invalid UTF-8 or a split rune", n)
		}
		embeds := platformtest.Decode(t, req.Body)["embeds"].([]any)
		if len(embeds) != n {
			t.Fatalf("n=%d: %d embeds", n, len(embeds))
		}
		total := 0
		for _, e := range embeds {
			e := e.(map[string]any)
			fields := []struct {
				name  string
				text  string
				limit int
			}{
				{"title", e["title"].(string), maxTitle},
				{"description", e["description"].(string), maxDescription},
				{"author", e["author"].(map[string]any)["name"].(string), maxAuthor},
				{"footer", e["footer"].(map[string]any)["text"].(string), 2048},
			}
			for _, f := range fields {
				if platform.UTF16Len(f.text) > f.limit {
					t.Errorf("n=%d: %s is %d long, limit %d", n, f.name, platform.UTF16Len(f.text), f.limit)
				}
				if !strings.HasSuffix(f.text, "…") {
					t.Errorf("n=%d: %s not cut with an ellipsis", n, f.name)
				}
				if strings.HasSuffix(strings.TrimSuffix(f.text, "…"), `\`) {
					t.Errorf("n=%d: %s cut after a lone backslash", n, f.name)
				}
				total += platform.UTF16Len(f.text)
			}
		}
		if total > maxTotal {
			t.Errorf("n=%d: %d characters across embeds, limit %d", n, total, maxTotal)
		}
		if total < maxTotal*8/10 {
			t.Errorf("n=%d: only %d of %d characters used", n, total, maxTotal)
		}
	}
}

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"*a* _b_ ~c~ `d` ||e||", `\*a\* \_b\_ \~c\~ \` + "`" + `d\` + "`" + ` \|\|e\|\|`},
		{"# h\n - l\n> q\na-b #c", "\\# h\n \\- l\n\\> q\na-b #c"},
		{`<@1> <t:1:R> [x](y) \`, `\<@1> \<t:1:R> \[x\](y) \\`},
		{"汉字", "汉字"},
	}
	for _, tt := range tests {
		if got := escapeMarkdown(tt.in); got != tt.want {
			t.Errorf("escapeMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
