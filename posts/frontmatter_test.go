package posts

import (
	"errors"
	"strings"
	"testing"
)

func TestParseFrontMatterForms(t *testing.T) {
	tests := []struct {
		name, data string
		wantTitle  string
		wantBody   string // substring of ContentHTML
	}{
		{"plain", "---\ntitle: A\ndate: 2022-02-15\n---\n<p>body</p>", "A", "<p>body</p>"},
		{"blank first line like the seed", "\n---\ntitle: A\ndate: 2022-02-15\n---\n\n<p>body</p>", "A", "<p>body</p>"},
		{"blank lines with spaces and CRLF", " \r\n\t\r\n---\r\ntitle: A\r\ndate: 2022-02-15\r\n---\r\n<p>body</p>\r\n", "A", "<p>body</p>"},
		{"BOM", "\uFEFF---\ntitle: A\ndate: 2022-02-15\n---\n<p>body</p>", "A", "<p>body</p>"},
		{"BOM then blank line", "\uFEFF\n\n---\ntitle: A\ndate: 2022-02-15\n---\n<p>body</p>", "A", "<p>body</p>"},
		{"trailing blanks on separators", "--- \ntitle: A\ndate: 2022-02-15\n---\t\n<p>body</p>", "A", "<p>body</p>"},
		{"longer separator must match", "-----\ntitle: A\ndate: 2022-02-15\n---\nx: y\n-----\n<p>body</p>", "A", "<p>body</p>"},
		{"no leading separator", "title: A\ndate: 2022-02-15\n---\n<p>body</p>", "A", "<p>body</p>"},
		{"json front matter", ";;;\n\"title\": \"A\",\n\"date\": \"2022-02-15\"\n;;;\n<p>body</p>", "A", "<p>body</p>"},
		{"closing separator at end of file", "---\ntitle: A\ndate: 2022-02-15\n---", "A", ""},
		{"body keeps later separators", "---\ntitle: A\ndate: 2022-02-15\n---\n<p>one</p>\n---\n<p>two</p>", "A", "<p>two</p>"},
		{"empty front matter falls back to slug", "---\n\n---\n<p>body</p>", "slug", "<p>body</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Empty front matter has no date, so give a file time.
			a, err := NewParser(Options{}, testPolicy).ParseWithModTime("a.html", "slug", []byte(tt.data), modTime)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if a.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", a.Title, tt.wantTitle)
			}
			if !strings.Contains(a.ContentHTML, tt.wantBody) {
				t.Errorf("ContentHTML = %q, want it to contain %q", a.ContentHTML, tt.wantBody)
			}
			if strings.Contains(a.ContentHTML, "title:") || strings.Contains(a.ContentHTML, "2022-02-15") {
				t.Errorf("front matter leaked into ContentHTML: %q", a.ContentHTML)
			}
		})
	}
}

func TestParseFrontMatterErrors(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string // substrings of the error
		noFM       bool     // errors.Is(err, ErrNoFrontMatter)
	}{
		{"empty file", "", []string{`post "a.md": `, "no front matter"}, true},
		{"only blanks", " \n\r\n", []string{"no front matter"}, true},
		{"no front matter", "# Hello\n\nJust text.\n", []string{"no front matter", "does not start with a --- line"}, true},
		{"text before a rule is not a mapping", "Hello world\n---\nmore\n", []string{"no front matter"}, true},
		{"unterminated", "---\ntitle: A\ndate: 2022-02-15\n", []string{`post "a.md": front matter opened by "---" on line 1 is never closed`}, false},
		{"unterminated after blank lines", "\n\n---\ntitle: A\n", []string{"on line 3 is never closed"}, false},
		{"unterminated json", ";;;\n\"title\": \"A\"\n", []string{`opened by ";;;"`}, false},
		{"yaml syntax with file line", "\n---\ntitle: A\ndate: x\n  e: f\n---\n", []string{"parse front matter: yaml: line 5: "}, false},
		{"not a mapping", "---\n- a\n- b\n---\n", []string{"parse front matter: line 2: want key: value pairs, got a list"}, false},
		{"duplicate key", "---\ntitle: A\ntitle: B\n---\n", []string{"parse front matter: ", `"title" already defined`}, false},
		{"title is a list", "---\ntitle: [a, b]\n---\n", []string{"parse front matter: ", "line 2", "!!seq"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewParser(Options{}, testPolicy).Parse("a.md", "a", []byte(tt.data))
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if got := errors.Is(err, ErrNoFrontMatter); got != tt.noFM {
				t.Errorf("errors.Is(err, ErrNoFrontMatter) = %v, want %v (err %q)", got, tt.noFM, err)
			}
		})
	}
}
