package slack

import (
	"net/http"
	"strings"
	"testing"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func TestBuildGolden(t *testing.T) {
	platformtest.GoldenRequests(t, New(), now, platformtest.Singles(target, chinese, hostile, plain))
}

func TestBuildFields(t *testing.T) {
	req := platformtest.MustBuild(t, New(), target, []platform.Item{chinese}, now)
	if req.Method != http.MethodPost || req.URL != target.URL {
		t.Errorf("request line = %s %s, want POST %s", req.Method, req.URL, target.URL)
	}
	if ct := req.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	m := platformtest.Decode(t, req.Body)
	if m["text"] != chinese.Title {
		t.Errorf("text = %v, want the title", m["text"])
	}
	blocks := m["blocks"].([]any)
	if len(blocks) != 2 {
		t.Fatalf("%d blocks, want section and context", len(blocks))
	}
	sec := blocks[0].(map[string]any)
	text := sec["text"].(map[string]any)
	if sec["type"] != "section" || text["type"] != "mrkdwn" {
		t.Errorf("first block = %v", sec)
	}
	wantText := "*<" + chinese.URL + "|" + chinese.Title + ">*\n" + chinese.Summary
	if text["text"] != wantText {
		t.Errorf("section text = %q, want %q", text["text"], wantText)
	}
	acc := sec["accessory"].(map[string]any)
	if acc["type"] != "image" || acc["image_url"] != chinese.Image || acc["alt_text"] != chinese.Title {
		t.Errorf("accessory = %v", acc)
	}
	ctx := blocks[1].(map[string]any)
	els := ctx["elements"].([]any)
	var got []string
	for _, e := range els {
		got = append(got, e.(map[string]any)["text"].(string))
	}
	want := []string{"<https://jiqizhixin.example/feed|机器之心>", "张三", "技术 &gt; 人工智能"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("context = %q, want %q", got, want)
	}
}

// Nothing a title or summary holds may become a mention, a link or a tag.
func TestBuildEscapes(t *testing.T) {
	req := platformtest.MustBuild(t, New(), target, []platform.Item{hostile}, now)
	m := platformtest.Decode(t, req.Body)
	sec := m["blocks"].([]any)[0].(map[string]any)
	if _, ok := sec["accessory"]; ok {
		t.Error("an item without an image has an image accessory")
	}
	texts := []string{m["text"].(string), sec["text"].(map[string]any)["text"].(string)}
	for _, b := range m["blocks"].([]any)[1:] {
		for _, e := range b.(map[string]any)["elements"].([]any) {
			texts = append(texts, e.(map[string]any)["text"].(string))
		}
	}
	link := "<https://example.com/a?x=1&amp;y=%3C2%3E%7Cz|"
	for i, s := range texts {
		rest := s
		if i == 1 {
			if !strings.HasPrefix(s, "*"+link) {
				t.Errorf("section does not start with the escaped link: %q", s)
			}
			rest = strings.TrimPrefix(s, "*"+link)
			rest = strings.Replace(rest, ">*", "", 1) // the link's own end
		}
		if strings.ContainsAny(rest, "<>") {
			t.Errorf("text %d keeps a raw < or >: %q", i, s)
		}
		if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(rest, "&amp;", ""), "&lt;", ""), "&gt;", ""), "&") {
			t.Errorf("text %d keeps a raw &: %q", i, s)
		}
	}
	if !strings.Contains(texts[1], "&lt;!channel&gt;") || !strings.Contains(texts[1], "&lt;http://evil|x&gt;") {
		t.Errorf("section = %q", texts[1])
	}
}

func TestBuildRejects(t *testing.T) {
	if _, err := New().Build(target, nil, now); err == nil {
		t.Error("no items: no error")
	}
	many := make([]platform.Item, maxItems+1)
	for i := range many {
		many[i] = plain
	}
	if _, err := New().Build(target, many, now); err == nil {
		t.Error("too many items: no error")
	}
	if _, err := New().Build(target, many[:maxItems], now); err != nil {
		t.Errorf("MaxItems items: %v", err)
	}
}
