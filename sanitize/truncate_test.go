package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"fits", "hello", 5, "hello"},
		{"empty", "", 3, ""},
		{"zero n", "hello", 0, ""},
		{"ascii cuts at word", "hello brave new world", 14, "hello brave…"},
		{"ascii boundary exactly at cut", "hello world again", 11, "hello world…"},
		{"ascii space at cut", "hello world again", 6, "hello…"},
		{"ascii long word hard cut", strings.Repeat("a", 30), 25, strings.Repeat("a", 25) + "…"},
		{"ascii word boundary too far back", "ab " + strings.Repeat("c", 30), 25, "ab " + strings.Repeat("c", 22) + "…"},
		{"cjk cut anywhere", "数字化全面上云助力汽车行业", 5, "数字化全面…"},
		{"cjk fits", "数字化", 3, "数字化"},
		{"mixed cuts before latin word", "随着2021年落下帷幕 Tesla AutoPilot upgrades", 20, "随着2021年落下帷幕 Tesla…"},
		{"mixed cjk next to latin is a boundary", "车企AutoPilot", 5, "车企…"},
		{"apostrophe stays in word", "it doesn't matter", 8, "it…"},
		{"combining mark stays with base", "cafe\u0301s", 4, "caf…"},
		{"cut after punctuation", "one,two,three", 6, "one,…"},
		{"trailing space trimmed", "数字 化全面", 3, "数字…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Truncate(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Truncate(%q, %d) = %q is not valid UTF-8", tt.in, tt.n, got)
			}
			if c := utf8.RuneCountInString(got); c > tt.n+1 {
				t.Errorf("Truncate(%q, %d) has %d runes, want at most %d", tt.in, tt.n, c, tt.n+1)
			}
		})
	}
}

// An entity decoded by PlainText is one rune, so truncation can never leave
// half of "&amp;" behind.
func TestTruncatePlainTextEntities(t *testing.T) {
	got := Truncate(PlainText("<p>中&amp;文&#20013;&lt;b&gt;</p>"), 3)
	if want := "中&文…"; got != want {
		t.Errorf("Truncate(PlainText(...), 3) = %q, want %q", got, want)
	}
}
