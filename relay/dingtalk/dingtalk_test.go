package dingtalk

import (
	"net/http"
	"strings"
	"testing"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func TestGolden(t *testing.T) {
	items := fixtures()
	withPics := []platform.Item{items[0], items[0]}
	withPics[1].Title, withPics[1].URL = "第二篇：图文并茂", "https://feeds.example.com/articles/4"
	for _, c := range []struct {
		file, format string
		items        []platform.Item
	}{
		{"link.json", "", items[:1]},
		{"link_upstream.json", "link", items[1:2]},
		{"feedcard.json", "feedcard", items},
		{"feedcard_auto.json", "", withPics},
		{"markdown.json", "markdown", items},
	} {
		t.Run(c.file, func(t *testing.T) {
			platformtest.GoldenBody(t, c.file, build(t, c.format, c.items).Body)
		})
	}
}

func TestRequest(t *testing.T) {
	req := build(t, "", fixtures())
	if req.Method != http.MethodPost || req.URL != hookURL {
		t.Errorf("request %s %s, want POST %s (unsigned without a secret)", req.Method, req.URL, hookURL)
	}
	if ct := req.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if r, b := New().DefaultRate(); float64(b)+r > 20 {
		t.Errorf("rate %v/min burst %d can exceed 20 messages in a minute", r, b)
	}
}

// TestFormats checks which msgtype each Format picks and the documented
// field names of each (link's messageUrl/picUrl, feedCard's messageURL/picURL).
func TestFormats(t *testing.T) {
	items := fixtures()
	for _, c := range []struct {
		format string
		n      int
		want   string
		fields []string
	}{
		{"", 1, "link", []string{"title", "text", "messageUrl", "picUrl"}},
		{"link", 1, "link", []string{"title", "text", "messageUrl", "picUrl"}},
		{"link", 3, "feedCard", nil},
		{"", 3, "markdown", []string{"title", "text"}},
		{"markdown", 1, "markdown", []string{"title", "text"}},
		{"FeedCard", 2, "feedCard", nil},
	} {
		m := platformtest.Decode(t, build(t, c.format, items[:c.n]).Body)
		if m["msgtype"] != c.want {
			t.Errorf("format %q, %d items: msgtype %v, want %s", c.format, c.n, m["msgtype"], c.want)
			continue
		}
		body, ok := m[c.want].(map[string]any)
		if !ok {
			t.Errorf("format %q: no %q object in %v", c.format, c.want, m)
			continue
		}
		for _, f := range c.fields {
			if s, ok := body[f].(string); !ok || s == "" {
				t.Errorf("format %q: %s.%s = %v, want a string", c.format, c.want, f, body[f])
			}
		}
		if c.want == "feedCard" {
			links := body["links"].([]any)
			if len(links) != c.n {
				t.Errorf("feedCard has %d links, want %d", len(links), c.n)
			}
			for i, l := range links {
				link := l.(map[string]any)
				if link["title"] == "" || link["messageURL"] != platformtest.SentURL(items[i].URL) {
					t.Errorf("link %d: %v", i, link)
				}
				if _, has := link["picURL"]; has != (items[i].Image != "") {
					t.Errorf("link %d picURL present %v, image %q", i, has, items[i].Image)
				}
				if _, wrong := link["messageUrl"]; wrong {
					t.Errorf("link %d uses link's casing messageUrl", i)
				}
			}
		}
	}
}

func TestMarkdownEscapes(t *testing.T) {
	m := platformtest.Decode(t, build(t, "markdown", fixtures()).Body)["markdown"].(map[string]any)
	text := m["text"].(string)
	for _, bad := range []string{"[点我]", "*加粗*", "<script", "_下划线_", "`代码`", "(a b)"} {
		if strings.Contains(text, bad) {
			t.Errorf("text keeps %q unescaped:\n%s", bad, text)
		}
	}
	for _, want := range []string{
		"#### [深度学习框架发布 2.0 版本](https://feeds.example.com/articles/1)",
		"\n\n![](https://img.example.com/covers/1.png)",
		"#### [［点我］(https://evil.example/x) ＊加粗＊ ＜script＞",
		"](https://feeds.example.com/articles/2?q=%28a%20b%29)",
		"###### 来源: [上游 ＊周刊＊](https://upstream.example.org/feed)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "]("); n != 5 { // three articles, one source, one image
		t.Errorf("%d links in text, want 5:\n%s", n, text)
	}
	if m["title"] != "深度学习框架发布 2.0 版本 等 3 篇" {
		t.Errorf("title %q", m["title"])
	}
}

func TestBuildErrors(t *testing.T) {
	items := fixtures()
	bad := items[0]
	bad.URL = "ftp://example.com/x"
	platformtest.BuildFails(t, New(), target, fixedNow, map[string]platformtest.BuildCase{
		"no items":     {Format: ""},
		"too many":     {Format: "feedcard", Items: platformtest.Repeat(items[0], maxItems+1)},
		"unsafe url":   {Format: "", Items: []platform.Item{bad}},
		"unknown type": {Format: "actionCard", Items: items},
	})
}
