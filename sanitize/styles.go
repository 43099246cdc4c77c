package sanitize

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// Value matchers for inline styles. bluemonday lower-cases a value and
// decodes CSS escapes before matching, so these see what a browser would.
// None of them admits "(" except the colour functions, and those only with
// digits inside, which rules out url(...), expression(...) and friends.
var (
	cssLength = regexp.MustCompile(`^-?(\d{1,6}(\.\d{1,4})?|\.\d{1,4})(px|em|rem|%|pt|pc|ex|ch|vw|vh|cm|mm|in)?$`)
	cssColor  = regexp.MustCompile(`^(#[0-9a-f]{3,8}|[a-z]{3,30}|(rgb|rgba|hsl|hsla)\([0-9.,%/\s]{1,60}\))$`)
	// text-decoration is a list of keywords and at most a colour.
	cssDecoration = regexp.MustCompile(`^([a-z-]{1,20}|#[0-9a-f]{3,8})(\s+([a-z-]{1,20}|#[0-9a-f]{3,8})){0,3}$`)
)

// allowStyles admits the presentational properties articles actually use
// (indents and alignment in Chinese press copy, colour and emphasis). Layout
// properties such as position or width are left out: they could overlay or
// break the page around the article.
func allowStyles(bm *bluemonday.Policy) {
	bm.AllowStyles("text-indent").Matching(cssLength).Globally()
	bm.AllowStyles("text-align").MatchingEnum("left", "right", "center", "justify", "start", "end").Globally()
	bm.AllowStyles("color", "background-color").Matching(cssColor).Globally()
	bm.AllowStyles("font-weight").MatchingEnum("normal", "bold", "bolder", "lighter",
		"100", "200", "300", "400", "500", "600", "700", "800", "900").Globally()
	bm.AllowStyles("font-style").MatchingEnum("normal", "italic", "oblique").Globally()
	bm.AllowStyles("text-decoration").Matching(cssDecoration).Globally()
	bm.AllowStyles("font-size").MatchingHandler(func(v string) bool {
		return cssLength.MatchString(v) || fontSizeKeyword[v]
	}).Globally()
	bm.AllowStyles("line-height").MatchingHandler(func(v string) bool {
		return v == "normal" || cssLength.MatchString(v)
	}).Globally()
}

var fontSizeKeyword = map[string]bool{
	"xx-small": true, "x-small": true, "small": true, "medium": true,
	"large": true, "x-large": true, "xx-large": true, "smaller": true, "larger": true,
}
