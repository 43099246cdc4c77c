package sanitize

import "testing"

func TestStyleValueChecks(t *testing.T) {
	for _, c := range []struct {
		check func(string) bool
		v     string
		want  bool
	}{
		{isCSSLength, "2em", true}, {isCSSLength, "-1.5rem", true}, {isCSSLength, ".5em", true},
		{isCSSLength, "0", true}, {isCSSLength, "14px", true}, {isCSSLength, "100%", true},
		{isCSSLength, "", false}, {isCSSLength, "em", false}, {isCSSLength, "1.em", false},
		{isCSSLength, "1234567px", false}, {isCSSLength, "2em;", false}, {isCSSLength, "calc(1px)", false},
		{isCSSColor, "#999999", true}, {isCSSColor, "#fff", true}, {isCSSColor, "red", true},
		{isCSSColor, "rgb(1, 2, 3)", true}, {isCSSColor, "rgba(0,0,0,.5)", true},
		{isCSSColor, "#ff", false}, {isCSSColor, "#ggg", false}, {isCSSColor, "url(x)", false},
		{isCSSColor, "rgb(javascript:1)", false}, {isCSSColor, "expression(alert(1))", false}, {isCSSColor, "ab", false},
		{isCSSDecoration, "underline", true}, {isCSSDecoration, "underline dotted #f00", true},
		{isCSSDecoration, "url(x)", false}, {isCSSDecoration, "a b c d e", false}, {isCSSDecoration, "", false},
	} {
		if got := c.check(c.v); got != c.want {
			t.Errorf("check(%q) = %v, want %v", c.v, got, c.want)
		}
	}
}
