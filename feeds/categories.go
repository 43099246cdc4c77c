package feeds

import (
	"strings"

	"github.com/feedrelay/feedrelay"
)

// category is one item category as the feeds show it.
type category struct {
	name string
	url  string // the category's page; empty for a tag
}

// itemCategories lists an article's categories: every level of every
// category path (an article filed under A > B > C is also in A and A > B),
// each once, followed by its tags. A level appearing under two paths with
// the same page URL is listed once; a tag is dropped when a category or an
// earlier tag already has that name, ignoring case ("go" after "Go"), so
// readers that show categories as tags show no near-duplicates.
func itemCategories(baseURL string, a *feedrelay.Article, urls categoryURLs) []category {
	var out []category
	seenURL := make(map[string]bool)
	seenName := make(map[string]bool)
	for _, p := range a.Categories {
		for _, level := range p.Levels() {
			name := xmlText(strings.TrimSpace(level[len(level)-1]))
			if name == "" {
				continue
			}
			u := urls.of(baseURL, level)
			if seenURL[u] {
				continue
			}
			seenURL[u] = true
			seenName[strings.ToLower(name)] = true
			out = append(out, category{name: name, url: u})
		}
	}
	for _, t := range a.Tags {
		name := xmlText(strings.TrimSpace(t))
		if name == "" || seenName[strings.ToLower(name)] {
			continue
		}
		seenName[strings.ToLower(name)] = true
		out = append(out, category{name: name})
	}
	return out
}

// categoryNames is the list of distinct names, for formats (JSON Feed tags)
// that have no place for a category's URL.
func categoryNames(cats []category) []string {
	if len(cats) == 0 {
		return nil
	}
	out := make([]string, 0, len(cats))
	seen := make(map[string]bool, len(cats))
	for _, c := range cats {
		if !seen[c.name] {
			seen[c.name] = true
			out = append(out, c.name)
		}
	}
	return out
}

// categoryURLs memoizes category page URLs within one render: the items of
// a category feed share the same few levels, and slugizing each level
// (Unicode normalization included) for every item was a fifth of the
// rendering time of a 50-item feed.
type categoryURLs map[string]string

func (m categoryURLs) of(baseURL string, level feedrelay.CategoryPath) string {
	key := strings.Join(level, "\x1f")
	if u, ok := m[key]; ok {
		return u
	}
	u := xmlText(feedrelay.CategoryURL(baseURL, level))
	m[key] = u
	return u
}
