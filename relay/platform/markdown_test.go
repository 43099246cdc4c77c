package platform

import "testing"

func TestEscapeMarkdownFullWidth(t *testing.T) {
	for in, want := range map[string]string{
		"[点我](https://evil.example/x) *加粗*": "［点我］(https://evil.example/x) ＊加粗＊",
		"_下划线_、`代码` <@all> ~删除~ \\":         "＿下划线＿、｀代码｀ ＜@all＞ ～删除～ ＼",
		"# 标题":  "＃ 标题",
		"- 列表":  "－ 列表",
		"+ 加":   "＋ 加",
		"a # b": "a # b",
	} {
		if got := EscapeMarkdownFullWidth(in); got != want {
			t.Errorf("EscapeMarkdownFullWidth(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownLink(t *testing.T) {
	for _, c := range []struct{ text, url, want string }{
		{"标题", "https://a.example/2?q=(a b)", "[标题](https://a.example/2?q=%28a%20b%29)"},
		{"*x*", "https://a.example/<[`\"]>", "[＊x＊](https://a.example/%3C%5B%60%22%5D%3E)"},
		{"[不链]", "javascript:alert(1)", "［不链］"},
	} {
		if got := MarkdownLink(c.text, c.url); got != c.want {
			t.Errorf("MarkdownLink(%q, %q) = %q, want %q", c.text, c.url, got, c.want)
		}
	}
}
