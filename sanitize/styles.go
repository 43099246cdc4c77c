package sanitize

import (
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// allowStyles admits the presentational properties articles actually use
// (indents and alignment in Chinese press copy, colour and emphasis). Layout
// properties such as position or width are left out: they could overlay or
// break the page around the article.
//
// bluemonday lower-cases a value and decodes CSS escapes before matching,
// so the checks see what a browser would. None admits "(" except the colour
// functions, and those only with digits inside, which rules out url(...),
// expression(...) and friends. The checks are small functions rather than
// regular expressions: a mirrored post carries the same style on every
// paragraph, and regexp matching was a sixth of the cost of importing one.
func allowStyles(bm *bluemonday.Policy) {
	bm.AllowStyles("text-indent").MatchingHandler(isCSSLength).Globally()
	bm.AllowStyles("text-align").MatchingEnum("left", "right", "center", "justify", "start", "end").Globally()
	bm.AllowStyles("color", "background-color").MatchingHandler(isCSSColor).Globally()
	bm.AllowStyles("font-weight").MatchingEnum("normal", "bold", "bolder", "lighter",
		"100", "200", "300", "400", "500", "600", "700", "800", "900").Globally()
	bm.AllowStyles("font-style").MatchingEnum("normal", "italic", "oblique").Globally()
	bm.AllowStyles("text-decoration").MatchingHandler(isCSSDecoration).Globally()
	bm.AllowStyles("font-size").MatchingHandler(func(v string) bool {
		return isCSSLength(v) || fontSizeKeyword[v]
	}).Globally()
	bm.AllowStyles("line-height").MatchingHandler(func(v string) bool {
		return v == "normal" || isCSSLength(v)
	}).Globally()
}

var fontSizeKeyword = map[string]bool{
	"xx-small": true, "x-small": true, "small": true, "medium": true,
	"large": true, "x-large": true, "xx-large": true, "smaller": true, "larger": true,
}

var cssUnits = map[string]bool{
	"": true, "px": true, "em": true, "rem": true, "%": true, "pt": true, "pc": true, "ex": true,
	"ch": true, "vw": true, "vh": true, "cm": true, "mm": true, "in": true,
}

// isCSSLength accepts -?(\d{1,6}(\.\d{1,4})?|\.\d{1,4}) followed by a unit.
func isCSSLength(v string) bool {
	v = strings.TrimPrefix(v, "-")
	intDigits := leadingDigits(v)
	v = v[intDigits:]
	fracDigits := 0
	if strings.HasPrefix(v, ".") {
		fracDigits = leadingDigits(v[1:])
		if fracDigits == 0 {
			return false
		}
		v = v[1+fracDigits:]
	}
	if intDigits > 6 || fracDigits > 4 || intDigits+fracDigits == 0 {
		return false
	}
	return cssUnits[v]
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// isCSSColor accepts #hex (3 to 8 digits), a keyword of 3-30 letters, or
// rgb()/rgba()/hsl()/hsla() holding only digits, ".", ",", "%", "/" and spaces.
func isCSSColor(v string) bool {
	switch {
	case strings.HasPrefix(v, "#"):
		return len(v) >= 4 && len(v) <= 9 && allBytes(v[1:], isHexDigit)
	case len(v) >= 3 && len(v) <= 30 && allBytes(v, isLower):
		return true
	}
	for _, fn := range []string{"rgb(", "rgba(", "hsl(", "hsla("} {
		if args, ok := strings.CutPrefix(v, fn); ok {
			args, ok = strings.CutSuffix(args, ")")
			return ok && len(args) >= 1 && len(args) <= 60 && allBytes(args, func(c byte) bool {
				return c >= '0' && c <= '9' || strings.IndexByte(".,%/ \t\n", c) >= 0
			})
		}
	}
	return false
}

// isCSSDecoration accepts one to four keywords (or #hex colours) separated
// by whitespace.
func isCSSDecoration(v string) bool {
	parts := strings.Fields(v)
	if len(parts) == 0 || len(parts) > 4 || strings.TrimSpace(v) != v {
		return false
	}
	for _, p := range parts {
		ok := len(p) <= 20 && allBytes(p, func(c byte) bool { return isLower(c) || c == '-' })
		if strings.HasPrefix(p, "#") {
			ok = len(p) >= 4 && len(p) <= 9 && allBytes(p[1:], isHexDigit)
		}
		if !ok {
			return false
		}
	}
	return true
}

func allBytes(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isLower(c byte) bool    { return c >= 'a' && c <= 'z' }
func isHexDigit(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' }
