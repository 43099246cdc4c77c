package posts

import (
	"testing"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/sanitize"
)

// testPolicy is shared like the server shares its policy.
var testPolicy = sanitize.New()

// mustParse parses a post that the test expects to be valid.
func mustParse(t *testing.T, opts Options, name, data string) feedrelay.Article {
	t.Helper()
	a, err := NewParser(opts, testPolicy).Parse(name, "slug", []byte(data))
	if err != nil {
		t.Fatalf("Parse(%q): %v", name, err)
	}
	return a
}

// withFrontMatter wraps YAML lines into a post with a date, so tests of
// other keys need not repeat one.
func withFrontMatter(yaml, body string) string {
	return "---\ndate: 2022-02-15 11:48:00\n" + yaml + "\n---\n" + body
}
