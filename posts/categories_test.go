package posts

import (
	"reflect"
	"strings"
	"testing"

	"github.com/feedrelay/feedrelay"
)

type paths = []feedrelay.CategoryPath

func TestCategories(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		flat bool
		want paths
	}{
		{"absent", "", false, nil},
		{"empty value", "categories:", false, nil},
		{"one name", "categories: 新闻", false, paths{{"新闻"}}},
		{
			"seed block list is one hierarchy",
			"categories: \n - 新媒体\n - 高科技行业门户\n - 新闻",
			false,
			paths{{"新媒体", "高科技行业门户", "新闻"}},
		},
		{"flow list is one hierarchy", "categories: [新媒体, 高科技行业门户, 新闻]", false, paths{{"新媒体", "高科技行业门户", "新闻"}}},
		{
			"list of lists and a name",
			"categories: [[Programming, Golang], Tutorials]",
			false,
			paths{{"Programming", "Golang"}, {"Tutorials"}},
		},
		{
			"block list of lists",
			"categories:\n  - [Programming, Golang]\n  - [Programming, Rust]\n  - Tutorials",
			false,
			paths{{"Programming", "Golang"}, {"Programming", "Rust"}, {"Tutorials"}},
		},
		{"numbers become names", "categories: [2022, 3.5]", false, paths{{"2022", "3.5"}}},
		{"empty names skipped", "categories: [a, '', ~, ' b ']", false, paths{{"a", "b"}}},
		{"duplicate hierarchies kept once", "categories: [[a, b], [a, b], c, c]", false, paths{{"a", "b"}, {"c"}}},
		{"empty inner list dropped", "categories: [[], a]", false, paths{{"a"}}},
		{"null beside a hierarchy dropped", "categories: [[A, B], ~]", false, paths{{"A", "B"}}},
		{"flat reads siblings", "categories: [新媒体, 高科技行业门户, 新媒体]", true, paths{{"新媒体"}, {"高科技行业门户"}}},
		{"flat keeps explicit hierarchies", "categories: [[a, b], c]", true, paths{{"a", "b"}, {"c"}}},
		{"alias", "x: &c [a, b]\ncategories: *c", false, paths{{"a", "b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustParse(t, Options{FlatCategories: tt.flat}, "a.md", withFrontMatter(tt.yaml, ""))
			if !reflect.DeepEqual(a.Categories, tt.want) {
				t.Errorf("Categories = %q, want %q", a.Categories, tt.want)
			}
		})
	}
}

func TestCategoriesErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"mapping", "categories: {a: b}", "categories: line 3: want a name or a list, got a mapping"},
		{"too deep", "categories: [[a, [b]]]", "categories: line 3: want a name, got a list"},
		{"mapping in list", "categories: [a, {b: c}]", "categories: line 3: want a name, got a mapping"},
		{"tags mapping", "tags: {a: b}", "tags: line 3: want a name or a list, got a mapping"},
		{"nested tags", "tags: [[a]]", "tags: line 3: want a name, got a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewParser(Options{}, testPolicy).Parse("a.md", "a", []byte(withFrontMatter(tt.yaml, "")))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestTags(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"absent", "", nil},
		{"one", "tags: Go", []string{"Go"}},
		{"list trimmed and deduped", "tags: [' Go ', Hexo, Go, '', 2022]", []string{"Go", "Hexo", "2022"}},
		{"case differs is another tag", "tags: [go, Go]", []string{"go", "Go"}},
		{"block list", "tags:\n  - 云计算\n  - 汽车", []string{"云计算", "汽车"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustParse(t, Options{}, "a.md", withFrontMatter(tt.yaml, ""))
			if !reflect.DeepEqual(a.Tags, tt.want) {
				t.Errorf("Tags = %q, want %q", a.Tags, tt.want)
			}
		})
	}
}
