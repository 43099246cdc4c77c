package posts

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// frontMatter holds the keys Parse reads. Scalars decode into strings as
// written ("0012" stays "0012", a date stays the text the author typed), so
// numbers become names and Parse keeps control of date zones; unknown keys
// are ignored as Hexo ignores them.
type frontMatter struct {
	Title       string    `yaml:"title"`
	Date        string    `yaml:"date"`
	Updated     string    `yaml:"updated"`
	Author      author    `yaml:"author"`
	Categories  yaml.Node `yaml:"categories"`
	Tags        yaml.Node `yaml:"tags"`
	HeadImg     string    `yaml:"headimg"`
	Cover       string    `yaml:"cover"`
	Banner      string    `yaml:"banner"`
	Thumbnail   string    `yaml:"thumbnail"`
	Description string    `yaml:"description"`
	Excerpt     string    `yaml:"excerpt"`
	ID          string    `yaml:"id"`
	Permalink   string    `yaml:"permalink"`
	Comments    flag      `yaml:"comments"`
}

// author is a name, or a mapping with a name as some themes write it
// (author: {name: ..., link: ...}).
type author string

func (a *author) UnmarshalYAML(n *yaml.Node) error {
	n = deref(n)
	switch n.Kind {
	case yaml.ScalarNode:
		*a = author(strings.TrimSpace(n.Value))
		return nil
	case yaml.MappingNode:
		var v struct {
			Name string `yaml:"name"`
		}
		if err := n.Decode(&v); err != nil {
			return err
		}
		*a = author(strings.TrimSpace(v.Name))
		return nil
	}
	return fmt.Errorf("line %d: author: want a name, got %s", n.Line, kindName(n))
}

// flag is a boolean that remembers whether it was set. It also takes the
// strings people write for booleans, since YAML 1.2 reads "no" as text.
type flag struct {
	set, value bool
}

func (f *flag) UnmarshalYAML(n *yaml.Node) error {
	n = deref(n)
	if n.Kind == yaml.ScalarNode {
		switch strings.ToLower(strings.TrimSpace(n.Value)) {
		case "true", "yes", "on", "1":
			*f = flag{set: true, value: true}
			return nil
		case "false", "no", "off", "0":
			*f = flag{set: true, value: false}
			return nil
		}
	}
	return fmt.Errorf("line %d: want true or false, got %s", n.Line, describe(n))
}

// maxAliasDepth bounds alias chains; yaml refuses cycles, this is a guard.
const maxAliasDepth = 16

// deref follows aliases (*name) to the node they stand for.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < maxAliasDepth; i++ {
		n = n.Alias
	}
	return n
}

// isNull reports whether a key was absent or written without a value.
func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return "a scalar"
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

// describe names a node for an error: its text if it is a scalar.
func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return fmt.Sprintf("%q", n.Value)
	}
	return kindName(n)
}
