package feedrelay_test

import (
	"errors"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
)

func TestGUIDForKey(t *testing.T) {
	for key, want := range map[string]string{
		"000_003725e72fda6c0c":      "urn:feedrelay:post:000_003725e72fda6c0c",
		"2023/shenzhen-chongdian":   "urn:feedrelay:post:2023%2Fshenzhen-chongdian",
		"新闻":                        "urn:feedrelay:post:%E6%96%B0%E9%97%BB",
		"a b&c":                     "urn:feedrelay:post:a%20b%26c",
		"urn:uuid:1234":             "urn:uuid:1234",
		"tag:example.com,2022:post": "tag:example.com,2022:post",
		"c:drive":                   "urn:feedrelay:post:c:drive",
	} {
		if got := feedrelay.GUIDForKey(key); got != want {
			t.Errorf("GUIDForKey(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestArticleURL(t *testing.T) {
	a := feedrelay.Article{Key: "2023/新闻 稿"}
	if got, want := a.URL("http://h:8080/"), "http://h:8080/articles/2023/%E6%96%B0%E9%97%BB%20%E7%A8%BF"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	a.Link = "https://example.com/x"
	if a.URL("http://h") != a.Link {
		t.Errorf("URL ignores Link")
	}
}

func TestValidateNamesTheField(t *testing.T) {
	ok := feedrelay.Article{Key: "k", GUID: "urn:x:g", Title: "T", Published: time.Now()}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid article: %v", err)
	}
	for _, key := range []string{"a/../b", "./a", "trail/", "x?y", "a//b"} {
		a := ok
		a.Key = key
		var fe *feedrelay.FieldError
		if err := a.Validate(); !errors.As(err, &fe) || fe.Field != "id" {
			t.Errorf("key %q: Validate() = %v, want an id error", key, err)
		}
	}
	for field, mutate := range map[string]func(*feedrelay.Article){
		"title":      func(a *feedrelay.Article) { a.Title = "  " },
		"id":         func(a *feedrelay.Article) { a.Key = "a?b" },
		"published":  func(a *feedrelay.Article) { a.Published = time.Time{} },
		"link":       func(a *feedrelay.Article) { a.Link = "javascript:alert(1)" },
		"image":      func(a *feedrelay.Article) { a.Image = "/relative.png" },
		"categories": func(a *feedrelay.Article) { a.Categories = []feedrelay.CategoryPath{{"A", ""}} },
		"guid":       func(a *feedrelay.Article) { a.GUID = "not a uri at all" },
		"source.url": func(a *feedrelay.Article) { a.Source.URL = "javascript:alert(1)" },
		"updated":    func(a *feedrelay.Article) { a.Updated = time.Date(2922, 1, 1, 0, 0, 0, 0, time.UTC) },
		"tags":       func(a *feedrelay.Article) { a.Tags = []string{"a\tb"} },
	} {
		a := ok
		mutate(&a)
		err := a.Validate()
		var fe *feedrelay.FieldError
		if !errors.As(err, &fe) || fe.Field != field || !errors.Is(err, feedrelay.ErrInvalid) {
			t.Errorf("%s: Validate() = %v, want a FieldError for %q", field, err, field)
		}
	}
}

func TestSlugizeAndSlugPath(t *testing.T) {
	for name, want := range map[string]string{
		"新媒体":             "新媒体",
		"Hello World":     "Hello-World",
		"C++ & Go!":       "C-Go",
		"Café":            "Cafe",
		"  spaced  out  ": "spaced-out",
		"+++":             "+++",
		"a_b-c":           "a-b-c",
		"Node.js / Deno":  "Node-js-Deno",
		"ümlaut Ärger":    "umlaut-Arger",
	} {
		if got := feedrelay.Slugize(name); got != want {
			t.Errorf("Slugize(%q) = %q, want %q", name, got, want)
		}
	}
	p := feedrelay.CategoryPath{"新媒体", "高科技行业门户"}
	if got, want := p.SlugPath(), "%E6%96%B0%E5%AA%92%E4%BD%93/%E9%AB%98%E7%A7%91%E6%8A%80%E8%A1%8C%E4%B8%9A%E9%97%A8%E6%88%B7"; got != want {
		t.Errorf("SlugPath = %q, want %q", got, want)
	}
	for raw, want := range map[string]string{
		"/新媒体/高科技行业门户/": p.SlugPath(),
		p.SlugPath():    p.SlugPath(),
		"Hello-World":   "Hello-World",
	} {
		got, ok := feedrelay.ParseSlugPath(raw)
		if !ok || got != want {
			t.Errorf("ParseSlugPath(%q) = %q %v, want %q", raw, got, ok, want)
		}
	}
	if _, ok := feedrelay.ParseSlugPath("%ZZ"); ok {
		t.Errorf("ParseSlugPath accepted a bad escape")
	}
	if levels := p.Levels(); len(levels) != 2 || len(levels[0]) != 1 || levels[1][1] != "高科技行业门户" {
		t.Errorf("Levels = %v", levels)
	}
}
