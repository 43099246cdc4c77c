package posts

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ErrNoFrontMatter is returned (wrapped) for a file that has no front
// matter at all, so an importer can tell a stray README from a broken post.
var ErrNoFrontMatter = errors.New("no front matter")

// rawFrontMatter is a post file cut into its front matter and body.
type rawFrontMatter struct {
	// yaml is the front matter as YAML text, preceded by as many newlines
	// as there are file lines before it, so yaml's "line N" in an error
	// is the line of the file. JSON front matter is YAML too once wrapped
	// in braces.
	yaml string
	body string
	// fenced is false for Hexo's form without an opening "---": the text
	// before the first "---" line is front matter only if it is a mapping.
	fenced bool
}

// splitFrontMatter finds the front matter the way hexo-front-matter does:
// between a "---" (or ";;;" for JSON) line and the next identical line, or
// from the top of the file to the first "---" line. It tolerates a BOM,
// CRLF line ends and blank lines before the front matter.
func splitFrontMatter(data []byte) (rawFrontMatter, error) {
	s := strings.TrimPrefix(string(data), "\uFEFF")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	start := strings.TrimLeft(s, " \t\r\n")
	line := 1 + strings.Count(s[:len(s)-len(start)], "\n") // file line of start
	s = start
	if s == "" {
		return rawFrontMatter{}, fmt.Errorf("%w: the file is empty", ErrNoFrontMatter)
	}

	first, rest, _ := strings.Cut(s, "\n")
	sep := strings.TrimRight(first, " \t")
	if isSeparator(sep) {
		meta, body, ok := cutLine(rest, func(l string) bool { return l == sep })
		if !ok {
			return rawFrontMatter{}, fmt.Errorf("front matter opened by %q on line %d is never closed", sep, line)
		}
		pad := strings.Repeat("\n", line)
		if sep[0] == ';' {
			// The "{" goes on the separator's own line to keep line numbers.
			return rawFrontMatter{yaml: pad[1:] + "{\n" + meta + "\n}", body: body, fenced: true}, nil
		}
		return rawFrontMatter{yaml: pad + meta, body: body, fenced: true}, nil
	}

	meta, body, ok := cutLine(s, func(l string) bool { return isSeparator(l) && l[0] == '-' })
	if !ok {
		return rawFrontMatter{}, fmt.Errorf("%w: the file does not start with a --- line", ErrNoFrontMatter)
	}
	return rawFrontMatter{yaml: strings.Repeat("\n", line-1) + meta, body: body}, nil
}

// isSeparator reports whether line is three or more '-' or three or more ';'.
func isSeparator(line string) bool {
	if len(line) < 3 || (line[0] != '-' && line[0] != ';') {
		return false
	}
	return strings.Count(line, line[:1]) == len(line)
}

// cutLine splits s around its first line for which match is true; match
// sees the line without its trailing blanks.
func cutLine(s string, match func(line string) bool) (before, after string, ok bool) {
	for off := 0; off < len(s); {
		end, next := len(s), len(s)
		if i := strings.IndexByte(s[off:], '\n'); i >= 0 {
			end, next = off+i, off+i+1
		}
		if match(strings.TrimRight(s[off:end], " \t")) {
			return strings.TrimSuffix(s[:off], "\n"), s[next:], true
		}
		off = next
	}
	return "", "", false
}

// decodeFrontMatter reads the front matter into fm.
func decodeFrontMatter(raw rawFrontMatter, fm *frontMatter) error {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(raw.yaml), &doc); err != nil {
		if !raw.fenced {
			return fmt.Errorf("%w: the file does not start with a --- line and the text before the first one is not YAML (%v)", ErrNoFrontMatter, err)
		}
		return fmt.Errorf("parse front matter: %w", err)
	}
	if len(doc.Content) == 0 {
		if !raw.fenced {
			return fmt.Errorf("%w: the file does not start with a --- line", ErrNoFrontMatter)
		}
		return nil // "---\n\n---": empty but present
	}
	root := doc.Content[0]
	switch {
	case root.Kind == yaml.MappingNode:
	case !raw.fenced:
		return fmt.Errorf("%w: the file does not start with a --- line", ErrNoFrontMatter)
	case root.Kind == yaml.ScalarNode && root.Tag == "!!null":
		return nil
	default:
		return fmt.Errorf("parse front matter: line %d: want key: value pairs, got %s", root.Line, kindName(root))
	}
	if err := root.Decode(fm); err != nil {
		return fmt.Errorf("parse front matter: %w", err)
	}
	return nil
}
