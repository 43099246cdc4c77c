package sanitize

import (
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// styleFilter applies the inline-style policy (allowStyles) to every style
// attribute of sanitized HTML, remembering the answer for each distinct
// value. Mirrored press copy carries the same style="text-indent: 2em;
// text-align: left;" on every paragraph, and bluemonday runs a full CSS
// parser for each occurrence: a quarter of the cost of importing a post.
// The decision itself is still bluemonday's, made by a policy that allows
// nothing but styled <span>s, so the rules are exactly the ones before.
type styleFilter struct {
	policy *bluemonday.Policy

	mu   sync.Mutex
	memo map[string]string // escaped value in -> escaped value out ("" = drop)
}

// styleMemoSize bounds the memo; past it the memo starts over. Hostile
// input with endless distinct styles costs what it cost before, no more.
const styleMemoSize = 4096

func newStyleFilter() *styleFilter {
	p := bluemonday.NewPolicy()
	p.AllowElements("span")
	allowStyles(p)
	return &styleFilter{policy: p, memo: map[string]string{}}
}

// apply filters the style attributes of s, which must be bluemonday output:
// it writes attributes as ` name="value"` with the value escaped (a '"' in
// it is &#34;) and escapes quotes in text too, so ` style="` only ever
// starts a style attribute and the next '"' ends it.
func (f *styleFilter) apply(s string) string {
	const open = ` style="`
	if !strings.Contains(s, open) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.Index(s, open)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i+len(open):], '"')
		if j < 0 { // cannot happen in sanitized output: drop the rest
			b.WriteString(s[:i])
			return b.String()
		}
		value := s[i+len(open) : i+len(open)+j]
		b.WriteString(s[:i])
		if clean := f.clean(value); clean != "" {
			b.WriteString(open)
			b.WriteString(clean)
			b.WriteByte('"')
		}
		s = s[i+len(open)+j+1:]
	}
}

// clean returns the allowed part of one escaped style value.
func (f *styleFilter) clean(escaped string) string {
	f.mu.Lock()
	out, ok := f.memo[escaped]
	f.mu.Unlock()
	if ok {
		return out
	}
	res := f.policy.Sanitize(`<span style="` + escaped + `"></span>`)
	if rest, ok := strings.CutPrefix(res, `<span style="`); ok {
		out, _, _ = strings.Cut(rest, `"`)
	}
	f.mu.Lock()
	if len(f.memo) >= styleMemoSize {
		clear(f.memo)
	}
	f.memo[escaped] = out
	f.mu.Unlock()
	return out
}
