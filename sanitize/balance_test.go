package sanitize

import "testing"

func TestBalance(t *testing.T) {
	for in, want := range map[string]string{
		"<p>a</p></article></main><h1>outside</h1>":    "<p>a</p><h1>outside</h1>",
		"<table><tr><td>open cell":                     "<table><tr><td>open cell</td></tr></table>",
		"<p><b>bold<i>both</p> after":                  "<p><b>bold<i>both</i></b></p> after",
		`<p>img <img src="a.png"> and<br>line</p>`:     `<p>img <img src="a.png"> and<br>line</p>`,
		"plain text &amp; no tags":                     "plain text &amp; no tags",
		"<ul><li>one<li>two</ul>":                      "<ul><li>one<li>two</li></li></ul>",
		"<blockquote><p>q</blockquote><p>next</p>":     "<blockquote><p>q</p></blockquote><p>next</p>",
		"<div>&lt;/div&gt; is text</div></div></div>x": "<div>&lt;/div&gt; is text</div>x",
	} {
		if got := Balance(in); got != want {
			t.Errorf("Balance(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
