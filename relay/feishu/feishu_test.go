package feishu

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
		file, format, secret string
		items                []platform.Item
	}{
		{"card.json", "", "", items[1:2]},
		{"card_digest.json", "interactive", "", items},
		{"post.json", "post", "", items[:1]},
		{"post_digest.json", "post", "", items},
		{"card_signed.json", "", testSecret, items[:1]},
	} {
		t.Run(c.file, func(t *testing.T) {
			tg := target(c.format)
			tg.Secret = c.secret
			platformtest.GoldenBody(t, c.file, platformtest.MustBuild(t, New(), tg, c.items, fixedNow).Body)
		})
	}
}

func TestRequest(t *testing.T) {
	req := build(t, "", fixtures())
	if req.Method != http.MethodPost || req.URL != hookURL {
		t.Errorf("request %s %s, want POST %s", req.Method, req.URL, hookURL)
	}
	if ct := req.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	r, b := New().DefaultRate()
	if float64(b)+r > 100 || float64(b)+r/60 >= 6 {
		t.Errorf("rate %v/min burst %d can exceed 100/min or 5/s", r, b)
	}
	m := platformtest.Decode(t, req.Body)
	if _, has := m["sign"]; has {
		t.Errorf("unsigned target got a sign")
	}
}

func TestCardFields(t *testing.T) {
	items := fixtures()
	// One article: plain_text everywhere, a button to the article.
	m := platformtest.Decode(t, build(t, "", items[1:2]).Body)
	if m["msg_type"] != "interactive" {
		t.Fatalf("msg_type %v", m["msg_type"])
	}
	card := m["card"].(map[string]any)
	header := card["header"].(map[string]any)["title"].(map[string]any)
	if header["tag"] != "plain_text" || header["content"] != items[1].Title {
		t.Errorf("header title %v", header)
	}
	els := card["elements"].([]any)
	tags := []string{}
	for _, e := range els {
		tags = append(tags, e.(map[string]any)["tag"].(string))
	}
	if strings.Join(tags, ",") != "div,note,action" {
		t.Errorf("elements %v, want div,note,action", tags)
	}
	if txt := els[0].(map[string]any)["text"].(map[string]any); txt["tag"] != "plain_text" || txt["content"] != items[1].Summary {
		t.Errorf("summary element %v", txt)
	}
	btn := els[2].(map[string]any)["actions"].([]any)[0].(map[string]any)
	if btn["tag"] != "button" || btn["url"] != platformtest.SentURL(items[1].URL) || btn["text"].(map[string]any)["content"] != readLabel {
		t.Errorf("button %v", btn)
	}
	if strings.Contains(string(build(t, "", items[:1]).Body), "img") {
		t.Errorf("card carries an image element; custom bots cannot upload one")
	}

	// Digest: lark_md title links, escaped.
	card = platformtest.Decode(t, build(t, "interactive", items).Body)["card"].(map[string]any)
	var md []string
	for _, e := range card["elements"].([]any) {
		el := e.(map[string]any)
		if el["tag"] == "div" {
			txt := el["text"].(map[string]any)
			if txt["tag"] != "lark_md" {
				t.Errorf("digest div %v", txt)
			}
			md = append(md, txt["content"].(string))
		}
	}
	if len(md) != len(items) {
		t.Fatalf("%d article divs, want %d", len(md), len(items))
	}
	all := strings.Join(md, "\n")
	for _, bad := range []string{"[点我]", "*加粗*", "<script", "<@all>", "_下划线_", "`代码`"} {
		if strings.Contains(all, bad) {
			t.Errorf("lark_md keeps %q unescaped:\n%s", bad, all)
		}
	}
	if !strings.HasPrefix(md[1], "**[［点我］(https://evil.example/x) ＊加粗＊ ＜script＞") ||
		!strings.Contains(md[1], "](https://feeds.example.com/articles/2?q=%28a%20b%29)**") {
		t.Errorf("digest entry %q", md[1])
	}
	if n := strings.Count(all, "]("); n != len(items) {
		t.Errorf("%d links, want %d:\n%s", n, len(items), all)
	}
}

func TestPostFields(t *testing.T) {
	items := fixtures()
	m := platformtest.Decode(t, build(t, "post", items).Body)
	if m["msg_type"] != "post" {
		t.Fatalf("msg_type %v", m["msg_type"])
	}
	zh := m["content"].(map[string]any)["post"].(map[string]any)["zh_cn"].(map[string]any)
	if zh["title"] != "深度学习框架发布 2.0 版本 等 3 篇" {
		t.Errorf("title %v", zh["title"])
	}
	var links []string
	for _, p := range zh["content"].([]any) {
		for _, e := range p.([]any) {
			el := e.(map[string]any)
			switch el["tag"] {
			case "a":
				links = append(links, el["href"].(string))
				if el["text"] == "" {
					t.Errorf("link without text: %v", el)
				}
			case "text":
				if _, ok := el["text"].(string); !ok {
					t.Errorf("text element %v", el)
				}
			default:
				t.Errorf("undocumented tag %v", el["tag"])
			}
		}
	}
	if len(links) != len(items) || links[1] != platformtest.SentURL(items[1].URL) {
		t.Errorf("links %v", links)
	}
	if !strings.Contains(string(build(t, "post", items).Body), `"text":"来源: 上游 *周刊*"`) {
		t.Errorf("post lacks the source line")
	}
}

func TestBuildErrors(t *testing.T) {
	items := fixtures()
	bad := items[0]
	bad.URL = "/relative/path"
	platformtest.BuildFails(t, New(), target, fixedNow, map[string]platformtest.BuildCase{
		"no items":     {Format: ""},
		"too many":     {Format: "post", Items: platformtest.Repeat(items[0], maxItems+1)},
		"unsafe url":   {Format: "", Items: []platform.Item{bad}},
		"unknown type": {Format: "share_chat", Items: items},
	})
}
