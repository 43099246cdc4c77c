package posts

import (
	"path/filepath"
	"strings"
)

// IsPostFile reports whether a path has a post extension (.md, .markdown,
// .html, .htm) case-insensitively.
func IsPostFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown", ".html", ".htm":
		return true
	}
	return false
}

// isMarkdown reports whether a post file is rendered as Markdown. Every
// other extension is HTML already: Hexo passes a file it has no renderer
// for through as it is.
func isMarkdown(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown":
		return true
	}
	return false
}

// Slug returns the slug Hexo derives for the post file at path imported
// from the directory root: the path relative to root, without its
// extension, with "/" separators ("2022/02/hello" for
// root/2022/02/hello.md). When root is the file itself, or path is not
// below root, it is the file's base name without extension.
func Slug(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		rel = filepath.Base(path)
	}
	rel = strings.TrimSuffix(rel, filepath.Ext(rel))
	return filepath.ToSlash(rel)
}
