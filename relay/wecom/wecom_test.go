package wecom

import (
	"net/http"
	"strings"
	"testing"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func TestGolden(t *testing.T) {
	items := fixtures()
	for _, c := range []struct {
		file, format string
		items        []platform.Item
	}{
		{"news.json", "", items},
		{"news_single.json", "news", items[:1]},
		{"markdown.json", "markdown", items},
		{"markdown_single.json", "markdown", items[1:2]},
	} {
		t.Run(c.file, func(t *testing.T) {
			platformtest.GoldenBody(t, c.file, build(t, c.format, c.items).Body)
		})
	}
}

func TestRequest(t *testing.T) {
	req := build(t, "", fixtures())
	if req.Method != http.MethodPost || req.URL != hookURL {
		t.Errorf("request %s %s, want POST %s", req.Method, req.URL, hookURL)
	}
	if ct := req.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if New().MaxItems() != 8 {
		t.Errorf("MaxItems %d, want the news limit 8", New().MaxItems())
	}
	if r, b := New().DefaultRate(); float64(b)+r > 20 {
		t.Errorf("rate %v/min burst %d can exceed 20 messages in a minute", r, b)
	}
}

func TestNewsFields(t *testing.T) {
	items := fixtures()
	m := platformtest.Decode(t, build(t, "news", items).Body)
	if m["msgtype"] != "news" {
		t.Fatalf("msgtype %v", m["msgtype"])
	}
	arts, ok := m["news"].(map[string]any)["articles"].([]any)
	if !ok || len(arts) != len(items) {
		t.Fatalf("news.articles %v", m["news"])
	}
	for i, a := range arts {
		art := a.(map[string]any)
		for _, k := range []string{"title", "url"} {
			if s, ok := art[k].(string); !ok || s == "" {
				t.Errorf("article %d: %s = %v, want a string", i, k, art[k])
			}
		}
		if art["url"] != platformtest.SentURL(items[i].URL) {
			t.Errorf("article %d url %v", i, art["url"])
		}
		pic, has := art["picurl"]
		if (items[i].Image != "") != has || (has && pic != items[i].Image) {
			t.Errorf("article %d picurl %v (has %v), image %q", i, pic, has, items[i].Image)
		}
		for k := range art {
			if k != "title" && k != "description" && k != "url" && k != "picurl" {
				t.Errorf("article %d: undocumented field %q", i, k)
			}
		}
	}
	if d := arts[1].(map[string]any)["description"].(string); !strings.HasSuffix(d, "来源: 上游 *周刊*") {
		t.Errorf("upstream description %q lacks the attribution", d)
	}
	if _, has := arts[2].(map[string]any)["description"]; has {
		t.Errorf("article without summary got a description")
	}
}

func TestMarkdownFields(t *testing.T) {
	m := platformtest.Decode(t, build(t, "markdown", fixtures()).Body)
	if m["msgtype"] != "markdown" {
		t.Fatalf("msgtype %v", m["msgtype"])
	}
	content, ok := m["markdown"].(map[string]any)["content"].(string)
	if !ok {
		t.Fatalf("markdown.content %v", m["markdown"])
	}
	for _, bad := range []string{"[点我]", "*加粗*", "<script", "<@all>", "_下划线_", "`代码`", "(a b)"} {
		if strings.Contains(content, bad) {
			t.Errorf("content keeps %q unescaped:\n%s", bad, content)
		}
	}
	for _, want := range []string{
		"[深度学习框架发布 2.0 版本](https://feeds.example.com/articles/1)",
		"［点我］(https://evil.example/x) ＊加粗＊ ＜script＞",
		"](https://feeds.example.com/articles/2?q=%28a%20b%29)",
		"\n> 本次更新",
		"来源: [上游 ＊周刊＊](https://upstream.example.org/feed)",
		"[Go 1.26 released](https://feeds.example.com/articles/3)",
	} {
		if !strings.Contains(content, want) {
			t.Errorf("content lacks %q:\n%s", want, content)
		}
	}
	// Our own links are the only ones: three articles and one source.
	if n := strings.Count(content, "]("); n != 4 {
		t.Errorf("%d links in content, want 4:\n%s", n, content)
	}
	if strings.Contains(string(build(t, "markdown", fixtures()[:1]).Body), "来源") {
		t.Errorf("local article got a source line")
	}
}

func TestBuildErrors(t *testing.T) {
	items := fixtures()
	bad := items[0]
	bad.URL = "javascript:alert(1)"
	platformtest.BuildFails(t, New(), target, fixedNow, map[string]platformtest.BuildCase{
		"no items":     {Format: ""},
		"nine items":   {Format: "news", Items: platformtest.Repeat(items[0], 9)},
		"unknown type": {Format: "template_card", Items: items},
		"unsafe url":   {Format: "markdown", Items: []platform.Item{bad}},
	})
}
