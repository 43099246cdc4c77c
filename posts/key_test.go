package posts

import (
	"errors"
	"strings"
	"testing"

	"github.com/feedrelay/feedrelay"
)

func TestKey(t *testing.T) {
	tests := []struct {
		name, yaml, slug string
		wantKey          string
	}{
		{"slug", "", "2022/02/hello", "2022/02/hello"},
		{"id wins", "id: ' abc-1 '\npermalink: /p/x/", "s", "abc-1"},
		{"numeric id", "id: 0012", "s", "0012"},
		{"permalink trimmed", "permalink: /2022/02/post/", "s", "2022/02/post"},
		{"permalink index.html", "permalink: /2022/02/post/index.html", "s", "2022/02/post"},
		{"permalink .html", "permalink: archives/post.html", "s", "archives/post"},
		{"permalink word ending in index", "permalink: myindex.html", "s", "myindex"},
		{"absolute permalink takes its path", "permalink: 'https://old.example/2022/02/post/?utm=x#top'", "s", "2022/02/post"},
		{"escaped permalink decoded", "permalink: /posts/%E6%96%B0%E9%97%BB/", "s", "posts/新闻"},
		{"root permalink falls back to slug", "permalink: /", "fallback", "fallback"},
		{"urn id is its own guid", "id: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427'", "s", "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := NewParser(Options{}, testPolicy).Parse("a.md", tt.slug, []byte(withFrontMatter("title: T\n"+tt.yaml, "")))
			if err != nil {
				t.Fatal(err)
			}
			// The GUID's spelling belongs to feedrelay.GUIDForKey; what Parse
			// owes is that it is derived from the key and nothing else.
			if want := feedrelay.GUIDForKey(tt.wantKey); a.Key != tt.wantKey || a.GUID != want {
				t.Errorf("Key, GUID = %q, %q; want %q, %q", a.Key, a.GUID, tt.wantKey, want)
			}
		})
	}
}

func TestKeyErrors(t *testing.T) {
	tests := []struct {
		name, yaml, slug string
		want             string
	}{
		{"id with question mark", "id: 'a?b'", "s", `key "a?b" from id: id: id must not contain`},
		{"permalink with double slash", "permalink: /a//b/", "s", `key "a//b" from permalink: id: id must not contain`},
		{"slug with hash", "", "c#", `post "a.md": id: id must not contain`},
		{"no slug and no id", "", "", "title: title is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewParser(Options{}, testPolicy).Parse("a.md", tt.slug, []byte(withFrontMatter(tt.yaml, "")))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse error = %v, want it to contain %q", err, tt.want)
			}
			if !errors.Is(err, feedrelay.ErrInvalid) {
				t.Errorf("errors.Is(%v, ErrInvalid) = false", err)
			}
		})
	}
}
