package feedrelay

import (
	"fmt"
	"regexp"
	"strings"
)

// MaxRules bounds the include and exclude lists of a source or relay target.
const MaxRules = 50

// Rule is one include/exclude rule: a keyword matched case-insensitively
// as a substring, or a regular expression written /like this/ (RE2 syntax,
// so matching is linear in the text; a trailing "i" makes it
// case-insensitive: /go(lang)?/i).
type Rule string

// Rules are the include and exclude lists of a source or relay target. An
// item passes when it matches no exclude rule and, if any include rules
// are set, at least one of them.
type Rules struct {
	Include []string
	Exclude []string
}

// IsZero reports whether no rule is set (everything passes).
func (r Rules) IsZero() bool { return len(r.Include) == 0 && len(r.Exclude) == 0 }

// Validate compiles every rule and names the first bad one.
func (r Rules) Validate(field string) error {
	_, err := r.Compile(field)
	return err
}

// Compile turns the rules into a Matcher; field names the input in errors
// ("include", "exclude" are appended).
func (r Rules) Compile(field string) (*Matcher, error) {
	if len(r.Include)+len(r.Exclude) > MaxRules {
		return nil, &FieldError{Field: field, Reason: fmt.Sprintf("at most %d include and exclude rules", MaxRules)}
	}
	m := &Matcher{}
	for _, list := range []struct {
		name  string
		rules []string
		into  *[]matcher
	}{{"include", r.Include, &m.include}, {"exclude", r.Exclude, &m.exclude}} {
		for _, s := range list.rules {
			mm, err := compileRule(s)
			if err != nil {
				return nil, &FieldError{Field: field + "." + list.name, Reason: err.Error()}
			}
			*list.into = append(*list.into, mm)
		}
	}
	return m, nil
}

// Matcher applies compiled Rules. The zero value passes everything.
type Matcher struct {
	include, exclude []matcher
}

type matcher struct {
	keyword string // lower-cased; empty when re is set
	re      *regexp.Regexp
}

func (m matcher) match(lowered, original string) bool {
	if m.re != nil {
		return m.re.MatchString(original)
	}
	return strings.Contains(lowered, m.keyword)
}

// Empty reports whether m has no rules (everything passes).
func (m *Matcher) Empty() bool { return m == nil || (len(m.include) == 0 && len(m.exclude) == 0) }

// Match reports whether an item with this title and plain text passes.
func (m *Matcher) Match(title, text string) bool {
	if m == nil || (len(m.include) == 0 && len(m.exclude) == 0) {
		return true
	}
	original := title + "\n" + text
	lowered := strings.ToLower(original)
	for _, r := range m.exclude {
		if r.match(lowered, original) {
			return false
		}
	}
	if len(m.include) == 0 {
		return true
	}
	for _, r := range m.include {
		if r.match(lowered, original) {
			return true
		}
	}
	return false
}

func compileRule(s string) (matcher, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return matcher{}, fmt.Errorf("rules must not be empty")
	case hasControl(s):
		return matcher{}, fmt.Errorf("rule %q must not contain control characters", s)
	case len(s) > 500:
		return matcher{}, fmt.Errorf("rule %.20q… is longer than 500 bytes", s)
	case len(s) >= 2 && s[0] == '/' && (strings.HasSuffix(s[1:], "/") || strings.HasSuffix(s[1:], "/i")):
		body, flags := s[1:len(s)-1], ""
		if strings.HasSuffix(s, "/i") {
			body, flags = s[1:len(s)-2], "(?i)"
		}
		if body == "" {
			return matcher{}, fmt.Errorf("rule %q: empty regular expression", s)
		}
		re, err := regexp.Compile(flags + body)
		if err != nil {
			return matcher{}, fmt.Errorf("rule %q: %w", s, err)
		}
		return matcher{re: re}, nil
	}
	return matcher{keyword: strings.ToLower(s)}, nil
}
