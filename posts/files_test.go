package posts

import (
	"path/filepath"
	"testing"
)

func TestIsPostFile(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"a.md", true},
		{"dir/a.MD", true},
		{"a.markdown", true},
		{"a.html", true},
		{"a.HTM", true},
		{"a.txt", false},
		{"a.md.bak", false},
		{"md", false},
		{".md", true}, // a hidden file is still a post file by extension
		{"a", false},
	}
	for _, tt := range tests {
		if got := IsPostFile(tt.path); got != tt.want {
			t.Errorf("IsPostFile(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestSlug(t *testing.T) {
	root := filepath.FromSlash("/site/source/_posts")
	tests := []struct {
		root, path, want string
	}{
		{root, filepath.Join(root, "hello.md"), "hello"},
		{root, filepath.Join(root, "2022", "02", "新闻.md"), "2022/02/新闻"},
		{root, filepath.Join(root, "a.b.html"), "a.b"},
		{root + string(filepath.Separator), filepath.Join(root, "x", "y.md"), "x/y"},
		{filepath.Join(root, "one.md"), filepath.Join(root, "one.md"), "one"},
		{root, filepath.FromSlash("/elsewhere/two.md"), "two"},
		{"posts", filepath.Join("posts", "sub", "three.markdown"), "sub/three"},
	}
	for _, tt := range tests {
		if got := Slug(tt.root, tt.path); got != tt.want {
			t.Errorf("Slug(%q, %q) = %q, want %q", tt.root, tt.path, got, tt.want)
		}
	}
}
