package platform

import (
	"fmt"
	"testing"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"  标题\n\t第二行  ": "标题 第二行",
		"a\x00b\u200bc": "a b\u200bc", // NUL is a control character, ZWSP is not
		"bad \xff byte": "bad \uFFFD byte",
		"\n\n":          "",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
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
		if got := FitBytes(c.in, c.max); got != c.want {
			t.Errorf("FitBytes(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func TestCutRunes(t *testing.T) {
	if got := CutRunes("深度学习框架", 0); got != "深度学习框架" {
		t.Errorf("CutRunes(…, 0) = %q, want it whole", got)
	}
	if got := CutRunes("深度学习框架", 2); got != "深度…" {
		t.Errorf("CutRunes(…, 2) = %q", got)
	}
}

func TestSafeURL(t *testing.T) {
	for in, want := range map[string]string{
		" https://a.example/x?q=(a b) ": "https://a.example/x?q=(a%20b)",
		"http://a.example":              "http://a.example",
		"javascript:alert(1)":           "",
		"/relative/path":                "",
		"ftp://a.example/x":             "",
		"https:///nohost":               "",
	} {
		if got := SafeURL(in); got != want {
			t.Errorf("SafeURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTitles(t *testing.T) {
	items := []Item{{Title: " 深度学习\n框架 "}, {}, {Title: "x"}}
	if got := ChineseTitle(items[1]); got != "(无标题)" {
		t.Errorf("ChineseTitle(untitled) = %q", got)
	}
	if got := DigestTitle(items[:1], 2); got != "深度…" {
		t.Errorf("DigestTitle(one) = %q", got)
	}
	if got := DigestTitle(items, 2); got != "深度学习 框架 等 3 篇" {
		t.Errorf("DigestTitle(three) = %q", got)
	}
	if got := TitleOrURL(&Item{Title: "  ", URL: "https://a.example/"}); got != "https://a.example/" {
		t.Errorf("TitleOrURL(untitled) = %q", got)
	}
}

func TestCheckItems(t *testing.T) {
	ok := Item{URL: "https://a.example/1"}
	for name, c := range map[string]struct {
		items []Item
		err   string
	}{
		"fine":     {[]Item{ok, ok}, ""},
		"none":     {nil, "robot: no items to send"},
		"too many": {[]Item{ok, ok, ok}, "robot: 3 items, at most 2 fit one message"},
		"bad url":  {[]Item{ok, {URL: "javascript:x()"}}, "robot: item 2 has no absolute http(s) URL"},
	} {
		err := CheckItems("robot", c.items, 2)
		if (err == nil) != (c.err == "") || (err != nil && err.Error() != c.err) {
			t.Errorf("%s: CheckItems = %v, want %q", name, err, c.err)
		}
	}
}

func TestFitUTF16(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		enc   func(string) string
		want  string
	}{
		{"abc", 3, nil, "abc"},
		{"abcd", 3, nil, "ab…"},
		{"汉字测试", 3, nil, "汉字…"},
		{"😀😀😀", 4, nil, "😀…"}, // each emoji counts two
		{"😀😀😀", 2, nil, ""},
		{"hello world again", 14, nil, "hello world…"},
		{"a&b", 6, EscapeEntities, "a…"}, // "a&amp;…" would be 7
		{"<<<<", 5, EscapeEntities, "&lt;…"},
		{"abc", 0, nil, ""},
	}
	for _, tt := range tests {
		if got := FitUTF16(tt.in, tt.limit, tt.enc); got != tt.want {
			t.Errorf("FitUTF16(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
	if n := UTF16Len("a汉😀"); n != 4 {
		t.Errorf("UTF16Len = %d, want 4", n)
	}
}

func TestJoinTrimmed(t *testing.T) {
	if got := JoinTrimmed(" · ", " 机器之心 ", "", "  ", "技术"); got != "机器之心 · 技术" {
		t.Errorf("JoinTrimmed = %q", got)
	}
}

func TestEscapeEntities(t *testing.T) {
	in := `<!channel> Tom & "Jerry" <b>`
	if got, want := EscapeEntities(in), `&lt;!channel&gt; Tom &amp; "Jerry" &lt;b&gt;`; got != want {
		t.Errorf("EscapeEntities = %q, want %q", got, want)
	}
	if got := EscapeEntities("&amp;"); got != "&amp;amp;" {
		t.Errorf("EscapeEntities(%q) = %q: the text is plain, an entity in it is text too", "&amp;", got)
	}
}

func TestCheckCount(t *testing.T) {
	one := []Item{{}}
	if err := CheckCount("chat", one, 1); err != nil {
		t.Errorf("CheckCount(1 of 1) = %v", err)
	}
	for _, items := range [][]Item{nil, {{}, {}}} {
		if err := CheckCount("chat", items, 1); err == nil || err.Error() != fmt.Sprintf("chat: %d articles in one message, want 1 to 1", len(items)) {
			t.Errorf("CheckCount(%d of 1) = %v", len(items), err)
		}
	}
}
