package sanitize

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestStyleFilterMatchesBluemondayStyles: filtering styles after bluemonday,
// with a memo, must give exactly what bluemonday's own style policies gave
// when it parsed every attribute itself.
func TestStyleFilterMatchesBluemondayStyles(t *testing.T) {
	direct := New()
	allowStyles(direct.bm) // bluemonday now sanitizes style attributes itself
	filtered := New()
	values := []string{
		"text-indent: 2em; text-align: left;", "TEXT-ALIGN:CENTER", "color:#999999;font-family: 微软雅黑;font-size:14px;",
		"background:url(javascript:alert(1))", "color: expression(alert(1))", "width: 100%; position: fixed",
		`color: red" onmouseover="x()`, "color: rgb(1,2,3)", "color: rgb(javascript:1)", "font-size: \\31 4px",
		"text-indent: 2em !important", "-webkit-text-align: center", "color: red; color: blue", "", " ; ; ",
		"text-decoration: underline dotted #f00", "line-height: 1.5; font-weight: bold; font-style: italic",
		"color:&#34;red&#34;", "color: red; /* comment */ text-align: left",
	}
	var inputs []string
	for i, v := range values {
		inputs = append(inputs,
			fmt.Sprintf(`<p style="%s">para %d</p>`, v, i),
			fmt.Sprintf(`<p>x<span style='%s'>y</span><img src="https://a.example/%d.png" style="%s"></p>`, v, i, v),
		)
	}
	if seed, err := os.ReadFile("../../shared/seeds/000_003725e72fda6c0c.txt"); err == nil {
		inputs = append(inputs, string(seed))
	}
	inputs = append(inputs, `<p>text mentioning style="color:red" in prose</p>`)
	for round := 0; round < 2; round++ { // the second round answers from the memo
		for _, in := range inputs {
			want := addNoReferrer(direct.bm.Sanitize(in))
			if got := filtered.HTML(in); got != want {
				t.Fatalf("round %d: HTML(%q)\n got %q\nwant %q", round, in, got, want)
			}
		}
	}
	if n := len(filtered.styles.memo); n == 0 || n > styleMemoSize {
		t.Errorf("memo holds %d values", n)
	}
	if strings.Contains(filtered.HTML(`<p style="background:url(x)">a</p>`), "style") {
		t.Errorf("a disallowed style survived")
	}
}
