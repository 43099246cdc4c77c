package sanitize

import (
	"net/url"
	"testing"
)

func TestResolveURLs(t *testing.T) {
	base, _ := url.Parse("https://blog.example.com/2022/02/post/")
	p := New()
	for _, c := range []struct{ in, want string }{
		{`<p><img src="/images/a.png" alt="x"></p>`, `<p><img src="https://blog.example.com/images/a.png" alt="x" referrerpolicy="no-referrer"></p>`},
		{`<img src="cover.jpg">`, `<img src="https://blog.example.com/2022/02/post/cover.jpg" referrerpolicy="no-referrer">`},
		{`<a href="../other/">o</a>`, `<a href="https://blog.example.com/2022/02/other/" rel="nofollow">o</a>`},
		{`<a href="#note">n</a>`, `<a href="#note" rel="nofollow">n</a>`},
		{`<a href="https://x.example/a?b=1&amp;c=2">x</a>`, `<a href="https://x.example/a?b=1&amp;c=2" rel="nofollow">x</a>`},
		{`<a href="mailto:a@b.example">m</a>`, `<a href="mailto:a@b.example" rel="nofollow">m</a>`},
		{`<p>text with href= in it &amp; &lt;b&gt;</p>`, `<p>text with href= in it &amp; &lt;b&gt;</p>`},
		{`<a href="q?a=1&amp;b=&#34;2&#34;">q</a>`, `<a href="https://blog.example.com/2022/02/post/q?a=1&amp;b=&#34;2&#34;" rel="nofollow">q</a>`},
	} {
		if got := ResolveURLs(p.HTML(c.in), base); got != c.want {
			t.Errorf("ResolveURLs(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	if got := ResolveURLs(`<img src="/a.png">`, nil); got != `<img src="/a.png">` {
		t.Errorf("nil base changed the HTML: %q", got)
	}
}
