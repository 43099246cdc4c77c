package sanitize

import (
	"strings"
	"sync"
	"testing"
)

func TestHTMLKeeps(t *testing.T) {
	p := New()
	tests := []struct {
		name, in string
		want     []string // substrings the output must contain
	}{
		{
			name: "seed paragraph styles",
			in:   `<p style="text-indent: 2em; text-align: left;">本文来源：智车科技</p>`,
			want: []string{`<p style="text-indent: 2em; text-align: left">本文来源：智车科技</p>`},
		},
		{
			name: "seed image keeps its referrerpolicy",
			in:   `<p style="text-align:center"><img src="https://mp.ofweek.com/a.jpg" referrerpolicy="no-referrer"></p>`,
			want: []string{`<img src="https://mp.ofweek.com/a.jpg" referrerpolicy="no-referrer">`, `style="text-align: center"`},
		},
		{
			name: "strong",
			in:   `<p><strong>数字化成为驱动研发的关键所在</strong></p>`,
			want: []string{`<strong>数字化成为驱动研发的关键所在</strong>`},
		},
		{
			name: "span colour and size, unknown font-family dropped",
			in:   `<span style="color:#999999;font-family:  微软雅黑;font-size:14px;">原文标题</span>`,
			want: []string{`<span style="color: #999999; font-size: 14px">原文标题</span>`},
		},
		{
			name: "link with target gets nofollow noopener, class dropped",
			in:   `<span class="hrefStyle"><a href="https://www.ofweek.com/auto/" target="_blank" title="智能汽车">智能汽车</a></span>`,
			want: []string{`<a href="https://www.ofweek.com/auto/" target="_blank" title="智能汽车" rel="nofollow noopener">智能汽车</a>`, `<span>`},
		},
		{
			name: "relative and mailto links",
			in:   `<a href="/2022/02/post/">a</a><a href="mailto:x@example.com">m</a>`,
			want: []string{`href="/2022/02/post/"`, `href="mailto:x@example.com"`},
		},
		{
			name: "image without policy gets no-referrer",
			in:   `<img src="https://mmbiz.qpic.cn/x.png" alt="图">`,
			want: []string{`<img src="https://mmbiz.qpic.cn/x.png" alt="图" referrerpolicy="no-referrer">`},
		},
		{
			name: "self-closing image gets no-referrer",
			in:   `<img src="/images/a.png" width="300" />`,
			want: []string{`<img src="/images/a.png" width="300" referrerpolicy="no-referrer"/>`},
		},
		{
			name: "other referrerpolicy left alone",
			in:   `<img src="https://example.com/a.png" referrerpolicy="origin">`,
			want: []string{`referrerpolicy="origin">`},
		},
		{
			name: "table with spans",
			in:   `<table><thead><tr><th colspan="2">h</th></tr></thead><tbody><tr><td rowspan="3" style="text-align:right">1</td></tr></tbody></table>`,
			want: []string{`<th colspan="2">h</th>`, `<td rowspan="3" style="text-align: right">1</td>`, `<thead>`, `<tbody>`},
		},
		{
			name: "code language class",
			in:   `<pre><code class="language-go">x := 1</code></pre>`,
			want: []string{`<pre><code class="language-go">x := 1</code></pre>`},
		},
		{
			name: "figure and lists",
			in:   `<figure><figcaption>c</figcaption></figure><ul><li>a</li></ul><ol start="3"><li>b</li></ol><dl><dt>t</dt><dd>d</dd></dl>`,
			want: []string{`<figure><figcaption>c</figcaption></figure>`, `<ol start="3">`, `<dl><dt>t</dt><dd>d</dd></dl>`},
		},
		{
			name: "colour functions",
			in:   `<span style="background-color: rgb(255, 0, 0); font-weight: bold">x</span>`,
			want: []string{`style="background-color: rgb(255, 0, 0); font-weight: bold"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.HTML(tt.in)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("HTML(%q)\n got %q\nwant it to contain %q", tt.in, got, w)
				}
			}
		})
	}
}

func TestHTMLRemoves(t *testing.T) {
	p := New()
	tests := []struct {
		name, in string
		banned   []string // substrings that must not survive, case-insensitive
		keep     string   // text that must survive, if any
	}{
		{"script element", `<p>a</p><script>alert(1)</script>`, []string{"<script", "alert"}, "<p>a</p>"},
		{"style element", `<style>body{display:none}</style><p>b</p>`, []string{"<style", "display"}, "<p>b</p>"},
		{"onerror handler", `<img src="https://e.com/x.png" onerror="alert(1)">`, []string{"onerror", "alert"}, `src="https://e.com/x.png"`},
		{"onclick handler", `<p onclick="steal()">c</p>`, []string{"onclick", "steal"}, "<p>c</p>"},
		{"javascript href", `<a href="javascript:alert(1)">d</a>`, []string{"javascript", "href"}, "d"},
		{"javascript href mixed case and spaces", `<a href="  JaVaScRiPt:alert(1)">d</a>`, []string{"javascript", "href"}, "d"},
		{"data href", `<a href="data:text/html;base64,PHNjcmlwdD4=">e</a>`, []string{"data:", "href"}, "e"},
		{"data image", `<img src="data:image/png;base64,iVBORw0KGgo=">`, []string{"data:", "<img"}, ""},
		{"iframe", `<iframe src="https://evil.example/"></iframe><p>f</p>`, []string{"iframe", "evil"}, "<p>f</p>"},
		{"object and embed", `<object data="x.swf"><embed src="x.swf"></object>g`, []string{"object", "embed", "swf"}, "g"},
		{"form and inputs", `<form action="/steal"><input name="pw"><button>go</button><textarea>t</textarea></form>`, []string{"<form", "<input", "<button", "<textarea", "action"}, ""},
		{"url in style", `<p style="background:url(javascript:alert(1))">h</p>`, []string{"url(", "javascript", "style="}, "<p>h</p>"},
		{"url in allowed property", `<p style="background-color: url(https://e.com/t.png)">i</p>`, []string{"url(", "style="}, "<p>i</p>"},
		{"expression in style", `<p style="color: expression(alert(1))">j</p>`, []string{"expression", "style="}, "<p>j</p>"},
		{"escaped url in style", `<p style="color: \75 rl(x)">k</p>`, []string{"rl(", "style="}, "<p>k</p>"},
		{"layout styles", `<div style="position:fixed;top:0;width:100%">l</div>`, []string{"position", "width", "style="}, "<div>l</div>"},
		{"srcset", `<img src="https://e.com/a.png" srcset="javascript:alert(1) 2x">`, []string{"srcset", "javascript"}, `src="https://e.com/a.png"`},
		{"named target", `<a href="https://e.com/" target="main">m</a>`, []string{"target"}, `href="https://e.com/"`},
		{"comments", `<!-- secret --><p>n</p>`, []string{"secret", "<!--"}, "<p>n</p>"},
		{"other classes and ids", `<p class="btn" id="login">o</p>`, []string{"class", "id="}, "<p>o</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.HTML(tt.in)
			lower := strings.ToLower(got)
			for _, b := range tt.banned {
				if strings.Contains(lower, strings.ToLower(b)) {
					t.Errorf("HTML(%q) = %q, still contains %q", tt.in, got, b)
				}
			}
			if !strings.Contains(got, tt.keep) {
				t.Errorf("HTML(%q) = %q, lost %q", tt.in, got, tt.keep)
			}
		})
	}
}

// The policy is shared by every importer and handler goroutine.
func TestHTMLConcurrent(t *testing.T) {
	p := New()
	const in = `<p style="color:red" onclick="x()"><img src="https://e.com/a.png">t</p>`
	want := p.HTML(in)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got := p.HTML(in); got != want {
					t.Errorf("concurrent HTML = %q, want %q", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestNoReferrerScanIsNotFooledByAttributeText: the string scan relies on
// bluemonday escaping values; text that looks like markup must not confuse it.
func TestNoReferrerScanIsNotFooledByAttributeText(t *testing.T) {
	p := New()
	for in, want := range map[string]string{
		`<img src="https://a.example/x.png" alt="a > b referrerpolicy=&quot;origin&quot;">`: `referrerpolicy="no-referrer"`,
		`<p>&lt;img src=x&gt; text</p><img src="https://a.example/y.png">`:                  `<img src="https://a.example/y.png" referrerpolicy="no-referrer">`,
	} {
		if got := p.HTML(in); !strings.Contains(got, want) {
			t.Errorf("HTML(%q) = %q, want it to contain %q", in, got, want)
		}
	}
}
