package posts

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/feedrelay/feedrelay"
)

// categories reads the categories key the way Hexo's post model does:
//
//   - a name is one category: categories: News → [News]
//   - a plain list is ONE hierarchy, root first:
//     [新媒体, 高科技行业门户, 新闻] → 新媒体 > 高科技行业门户 > 新闻
//   - if any element is itself a list, every element is its own hierarchy
//     and a bare name is a one-level one:
//     [[Programming, Golang], Tutorials] → Programming > Golang, Tutorials
//
// With flat set a plain list is read as sibling one-level categories
// instead, for sites that wrote categories the way they write tags. Empty
// names are skipped and repeated hierarchies kept once.
func categories(n *yaml.Node, flat bool) ([]feedrelay.CategoryPath, error) {
	n = deref(n)
	if isNull(n) {
		return nil, nil
	}
	var paths []feedrelay.CategoryPath
	switch n.Kind {
	case yaml.ScalarNode:
		paths = append(paths, names(n.Value))
	case yaml.SequenceNode:
		nested := flat
		for _, e := range n.Content {
			if deref(e).Kind == yaml.SequenceNode {
				nested = true
			}
		}
		if !nested {
			p, err := nameList(n)
			if err != nil {
				return nil, fmt.Errorf("categories: %w", err)
			}
			paths = append(paths, p)
			break
		}
		for _, e := range n.Content {
			e = deref(e)
			if isNull(e) {
				continue // "~" or an empty item: no category, not one named "~"
			}
			if e.Kind == yaml.ScalarNode {
				paths = append(paths, names(e.Value))
				continue
			}
			p, err := nameList(e)
			if err != nil {
				return nil, fmt.Errorf("categories: %w", err)
			}
			paths = append(paths, p)
		}
	default:
		return nil, fmt.Errorf("categories: line %d: want a name or a list, got %s", n.Line, kindName(n))
	}
	return uniquePaths(paths), nil
}

// tags reads a tag name or a list of them, trimmed and each kept once.
func tags(n *yaml.Node) ([]string, error) {
	n = deref(n)
	if isNull(n) {
		return nil, nil
	}
	var list []string
	switch n.Kind {
	case yaml.ScalarNode:
		list = names(n.Value)
	case yaml.SequenceNode:
		var err error
		if list, err = nameList(n); err != nil {
			return nil, fmt.Errorf("tags: %w", err)
		}
	default:
		return nil, fmt.Errorf("tags: line %d: want a name or a list, got %s", n.Line, kindName(n))
	}
	seen := make(map[string]bool, len(list))
	out := list[:0]
	for _, t := range list {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// nameList reads a list of names, skipping empty ones as Hexo does.
func nameList(n *yaml.Node) ([]string, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: want a list of names, got %s", n.Line, kindName(n))
	}
	var out []string
	for _, e := range n.Content {
		e = deref(e)
		if e.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: want a name, got %s", e.Line, kindName(e))
		}
		if e.Tag != "!!null" {
			out = append(out, names(e.Value)...)
		}
	}
	return out, nil
}

// names returns the trimmed name, or nothing if it is blank.
func names(s string) []string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return []string{s}
}

// uniquePaths drops empty and repeated paths, keeping the first order.
func uniquePaths(paths []feedrelay.CategoryPath) []feedrelay.CategoryPath {
	seen := make(map[string]bool, len(paths))
	var out []feedrelay.CategoryPath
	for _, p := range paths {
		k := strings.Join(p, "\x00")
		if len(p) == 0 || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, p)
	}
	return out
}
