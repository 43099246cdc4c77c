package telegram

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestToTelegramHTML(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"script and style dropped with content", `<p>a<script>alert("<b>x</b>")</script>b</p><style>p{color:red}</style>c`, "ab\n\nc"},
		{"unsupported tags keep text", `<span style="x">Hello</span> <font color=red>world</font><sup>2</sup>`, "Hello world2"},
		{"nested allowed", `<strong>bold <em>both <u>under</u></em></strong> <del>gone</del> <ins>new</ins>`, "<b>bold <i>both <u>under</u></i></b> <s>gone</s> <u>new</u>"},
		{"attribute escaping", `<a href="https://e.com/?a=1&amp;b=&quot;2&quot;&lt;">x</a>`, `<a href="https://e.com/?a=1&amp;b=&quot;2&quot;&lt;">x</a>`},
		{"javascript href dropped", `<a href="javascript:alert(1)">click</a> <a href=" JavaScript:x">me</a>`, "click me"},
		{"relative and data hrefs dropped", `<a href="/rel">r</a><a href="data:text/html,x">d</a>`, "rd"},
		{"tg links kept", `<a href="tg://resolve?domain=feedrelay">bot</a>`, `<a href="tg://resolve?domain=feedrelay">bot</a>`},
		{"entities", `<p>1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;q&quot; &#39;s&#39; &#x4e2d; &nbsp;x &copy;</p>`, "1 &lt; 2 &amp;&amp; 3 &gt; 2 \"q\" 's' 中 \u00a0x ©"},
		{"bare ampersand and angle", `a & b < c > d`, "a &amp; b &lt; c &gt; d"},
		{"lists", `<ul><li>one</li><li>two <b>2</b></li></ul><ol><li>a</li><li>b</li></ol>`, "• one\n• two <b>2</b>\n\n1. a\n2. b"},
		{"nested list", `<ul><li>a<ul><li>b</li></ul></li></ul>`, "• a\n  • b"},
		{"headings bold", `<h2>Title <strong>x</strong></h2><p>text</p>`, "<b>Title x</b>\n\ntext"},
		{"br", `a<br>b<br/><br>c<br><br><br>d`, "a\nb\n\nc\n\nd"},
		{"image", `<p>x</p><p><img src="https://e.com/i.png" alt="y"></p>`, "x\n\n<a href=\"https://e.com/i.png\">[image]</a>"},
		{"image in link", `<a href="https://e.com/"><img src="https://e.com/i.png"></a>`, `<a href="https://e.com/">[image]</a>`},
		{"bad image dropped", `a<img src="javascript:x"><img src="data:image/png;base64,AA">b`, "ab"},
		{"pre with language", "<pre><code class=\"language-go\">if a &lt; b {\n\treturn\n}</code></pre>", "<pre><code class=\"language-go\">if a &lt; b {\n\treturn\n}</code></pre>"},
		{"bad language class", `<pre><code class="x&quot; onclick=&quot;y">z</code></pre>`, "<pre><code>z</code></pre>"},
		{"nothing inside code", `<code><b>x</b> <a href="https://e.com">y</a></code>`, "<code>x y</code>"},
		{"no code in link", `<a href="https://e.com"><code>c</code></a>`, `<a href="https://e.com">c</a>`},
		{"no link in link", `<a href="https://a.example"><a href="https://b.example">x</a></a>y`, `<a href="https://a.example">x</a>y`},
		{"blockquote not nested", `<blockquote>a<blockquote>b</blockquote>c</blockquote>`, "<blockquote>a\n\nb\n\nc</blockquote>"},
		{"spoiler", `<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler>`, "<tg-spoiler>s</tg-spoiler> <tg-spoiler>t</tg-spoiler>"},
		{"whitespace", "  <p>  a \n\n b  </p>  <p>\tc</p> ", "a b\n\nc"},
		{"pre keeps whitespace", "<pre>\n  a\n   b</pre>", "<pre>  a\n   b</pre>"},
		{"misnested", `<b>x<i>y</b>z</i>w`, "<b>x<i>y</i></b>zw"},
		{"unclosed", `<p><b>x <i>y`, "<b>x <i>y</i></b>"},
		{"empty tags", `<b></b><p> </p><i> </i>x`, "x"},
		{"nested dropped", `<svg><svg></svg>text<script>a</script></svg>after`, "after"},
		{"comments and doctype", `<!DOCTYPE html><!-- <b>c</b> -->x`, "x"},
		{"table", `<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>`, "a b\nc"},
		{"invalid utf-8", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ToTelegramHTML(tt.in, 4096)
			if got != tt.want {
				t.Errorf("ToTelegramHTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if _, err := checkHTML(got); err != nil {
				t.Errorf("invalid Telegram HTML %q: %v", got, err)
			}
		})
	}
}

func TestToTelegramHTMLCut(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{`<p><b>Hello</b> world</p>`, 11, "<b>Hello</b> world"},
		{`<p><b>Hello</b> world</p>`, 10, "<b>Hello</b> wor…"},
		{`<p><b>Hello world</b> more</p>`, 6, "<b>Hello…</b>"},
		{`<p><b>Hello</b></p><p>world</p>`, 6, "<b>Hello</b>…"},
		{`<blockquote><i>汉字测试汉字测试</i></blockquote>`, 5, "<blockquote><i>汉字测试…</i></blockquote>"},
		{`<b>😀😀😀</b>`, 4, "<b>😀…</b>"},
		{`<a href="https://e.com/">abc &amp; def</a>`, 6, `<a href="https://e.com/">abc &amp;…</a>`},
		{`x`, 0, ""},
	}
	for _, tt := range tests {
		got := ToTelegramHTML(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("ToTelegramHTML(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

// Every cut of a rich document is valid, balanced and within the limit.
func TestToTelegramHTMLEveryCut(t *testing.T) {
	doc := `<h1>标题 &amp; title</h1><p>Intro <b>bold <i>both <a href="https://e.com/?a=1&amp;b=2">link <u>u</u></a></i></b> tail.</p>` +
		`<ul><li>one 😀</li><li><s>two</s></li></ul><blockquote>quote <code>a&lt;b</code></blockquote>` +
		"<pre><code class=\"language-go\">func f() {\n\treturn\n}</code></pre><p>中文段落，没有空格的长句子。</p><img src=\"https://e.com/i.png\">"
	full, n := convert(doc, -1)
	if _, err := checkHTML(full); err != nil {
		t.Fatalf("%q: %v", full, err)
	}
	for max := 1; max <= n+1; max++ {
		got := ToTelegramHTML(doc, max)
		visible, err := checkHTML(got)
		if err != nil {
			t.Fatalf("max %d: %q: %v", max, got, err)
		}
		if visible > max {
			t.Errorf("max %d: %d visible in %q", max, visible, got)
		}
		if !utf8.ValidString(got) {
			t.Errorf("max %d: invalid UTF-8", max)
		}
		if cutDone := max < n; cutDone != strings.Contains(got, "…") {
			t.Errorf("max %d (full %d): ellipsis %v in %q", max, n, !cutDone, got)
		}
		if max >= n && got != full {
			t.Errorf("max %d >= %d changed the text: %q", max, n, got)
		}
	}
}
