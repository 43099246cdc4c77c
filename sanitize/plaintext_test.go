package sanitize

import (
	"strings"
	"testing"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "hello", "hello"},
		{"entities", "Tom &amp; Jerry &lt;3 &#20013;&#x6587; &quot;q&quot;", `Tom & Jerry <3 中文 "q"`},
		{"nbsp collapses", "a&nbsp;&nbsp; b\u00a0\u00a0c", "a b c"},
		{"inline tags join", "<b>on</b>e <em>two</em>", "one two"},
		{"blocks separate", "<p>one</p><p>two</p><div>three<br>four</div>", "one two three four"},
		{
			"nested blocks",
			"<div><section><p>第一段</p><blockquote><p>引用</p></blockquote></section><ul><li>甲</li><li>乙</li></ul></div>",
			"第一段 引用 甲 乙",
		},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b c"},
		{"script and style dropped", "x<script>var a = '<p>'; alert(1)</script>y<style>p{color:red}</style>z", "xyz"},
		{"newlines and tabs", "\n\t<p>\n  a\n\n b\t</p>\n", "a b"},
		{"comment dropped", "a<!-- more -->b", "ab"},
		{"unclosed tags", "<p>a<div>b", "a b"},
		{"stray less-than", "1 < 2 &amp;&amp; 3 > 2", "1 < 2 && 3 > 2"},
		{"cjk with seed markup", `<p style="text-indent: 2em;">本文来源：智车科技</p><p style="text-indent: 2em;">／ 导读 ／</p>`, "本文来源：智车科技 ／ 导读 ／"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestSummaryMatchesTruncatedPlainText holds the early-stopping Summary to
// the slow definition on awkward inputs: words split across tags, long
// white space, CJK, entities, text hidden in scripts, and a short text.
func TestSummaryMatchesTruncatedPlainText(t *testing.T) {
	inputs := []string{
		"",
		"<p>short</p>",
		strings.Repeat("<p>数字化、全面上云，助力汽车行业带来深刻变革。</p>", 40),
		strings.Repeat("<p>word<b>split</b>across tags and more words here</p>\n\n", 30),
		"<p>a</p>" + strings.Repeat(" \n\t ", 500) + "<p>" + strings.Repeat("tail words ", 50) + "</p>",
		strings.Repeat("<script>hidden hidden</script>x &amp; y &#20013; ", 60),
		strings.Repeat("abcdefghij", 20), // one long word past the cut
	}
	for _, in := range inputs {
		for _, n := range []int{1, 5, 20, 140} {
			if got, want := Summary(in, n), Truncate(PlainText(in), n); got != want {
				t.Errorf("Summary(%.40q, %d) = %q, want %q", in, n, got, want)
			}
		}
	}
}
