package webhook

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/feeds"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func items() (c, h, p platform.Item) {
	return withArticle(chinese, chineseArticle), withArticle(hostile, hostileArticle), plain
}

func TestBuildGolden(t *testing.T) {
	c, h, p := items()
	raw := *target
	raw.Secret = "plain secret"
	none := *target
	none.Secret = ""
	tests := []struct {
		name   string
		target *feedrelay.RelayTarget
		items  []platform.Item
	}{
		{"chinese", target, []platform.Item{c}},
		{"hostile", &raw, []platform.Item{h}},
		{"plain", &none, []platform.Item{p}},
		{"digest", target, []platform.Item{c, h, p}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := platformtest.MustBuild(t, New(), tt.target, tt.items, now)
			platformtest.GoldenRequest(t, tt.name, req)
		})
	}
}

func TestBuildFields(t *testing.T) {
	c, _, _ := items()
	req := platformtest.MustBuild(t, New(), target, []platform.Item{c}, now)
	if req.Method != "POST" || req.URL != target.URL || req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("%s %s %v", req.Method, req.URL, req.Header)
	}
	for k, want := range map[string]string{"webhook-id": "fr-delivery-1", "webhook-timestamp": "1772366400"} {
		if got := req.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	m := platformtest.Decode(t, req.Body)
	if m["type"] != TypeArticle || m["timestamp"] != "2026-03-01T12:00:00Z" {
		t.Errorf("type %v, timestamp %v", m["type"], m["timestamp"])
	}
	data := m["data"].(map[string]any)
	if data["delivery_id"] != "fr-delivery-1" {
		t.Errorf("delivery_id = %v", data["delivery_id"])
	}
	if got, want := data["categories"], []any{[]any{"技术", "人工智能"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("categories = %v, want %v", got, want)
	}
	if got, want := data["source"], map[string]any{"title": "机器之心", "url": "https://jiqizhixin.example/feed"}; !reflect.DeepEqual(got, want) {
		t.Errorf("source = %v, want %v", got, want)
	}
	item := data["item"].(map[string]any)
	want := map[string]any{
		"id": chineseArticle.GUID, "url": chineseArticle.Link, "title": chinese.Title,
		"content_html": chineseArticle.ContentHTML, "summary": chinese.Summary, "image": chinese.Image,
		"date_published": "2026-02-28T09:30:00Z", "date_modified": "2026-02-28T10:30:00Z",
		"authors": []any{map[string]any{"name": "张三"}},
		"tags":    []any{"技术", "人工智能", "PyTorch"},
		"_feedrelay": map[string]any{
			"source_title": "机器之心", "source_url": "https://jiqizhixin.example/feed",
			"original_link": "https://jiqizhixin.example/articles/dl-2", "original_author": "张三",
		},
	}
	if !reflect.DeepEqual(item, want) {
		t.Errorf("item =\n%v\nwant\n%v", item, want)
	}
}

// The item is the one our JSON Feed carries for the same article, but for
// the deprecated "author".
func TestItemMatchesJSONFeed(t *testing.T) {
	for _, a := range []feedrelay.Article{chineseArticle, hostileArticle} {
		doc, err := feeds.JSON(feeds.Meta{Title: "t", BaseURL: base, SelfURL: base + "/feed.json"}, []feedrelay.Article{a})
		if err != nil {
			t.Fatal(err)
		}
		var feed struct{ Items []map[string]any }
		if err := json.Unmarshal(doc, &feed); err != nil {
			t.Fatal(err)
		}
		want := feed.Items[0]
		delete(want, "author")
		it := withArticle(platform.Item{DeliveryID: "fr-delivery-9"}, a)
		b, _ := json.Marshal(newFeedItem(&it))
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", a.Key, got, want)
		}
	}
}

func TestBuildDigest(t *testing.T) {
	c, h, p := items()
	req := platformtest.MustBuild(t, New(), target, []platform.Item{c, h, p}, now)
	m := platformtest.Decode(t, req.Body)
	if m["type"] != TypeDigest {
		t.Errorf("type = %v", m["type"])
	}
	entries := m["data"].(map[string]any)["items"].([]any)
	if len(entries) != 3 {
		t.Fatalf("%d items", len(entries))
	}
	last := entries[2].(map[string]any)
	if last["source"] != nil || !reflect.DeepEqual(last["categories"], []any{}) {
		t.Errorf("a local article without categories: source %v, categories %v", last["source"], last["categories"])
	}
	if it := last["item"].(map[string]any); it["id"] != plain.URL || it["content_text"] != "Plain" {
		t.Errorf("item without an article: %v", it)
	}
	id := req.Header.Get("webhook-id")
	again, _ := New().Build(target, []platform.Item{p, c, h}, now)
	other, _ := New().Build(target, []platform.Item{c, h}, now)
	if !strings.HasPrefix(id, "fr-digest-") || strings.Contains(id, ".") || again.Header.Get("webhook-id") != id {
		t.Errorf("digest id %q not stable (reordered: %q)", id, again.Header.Get("webhook-id"))
	}
	if other.Header.Get("webhook-id") == id {
		t.Error("two digests of different articles share an id")
	}
}

func TestBuildRejects(t *testing.T) {
	bad := *target
	bad.Secret = "whsec_not base64!"
	tests := map[string]struct {
		t     *feedrelay.RelayTarget
		items []platform.Item
	}{
		"no items":   {target, nil},
		"too many":   {target, make([]platform.Item, maxItems+1)},
		"no id":      {target, []platform.Item{{Title: "x"}}},
		"dotted id":  {target, []platform.Item{{DeliveryID: "a.b"}}},
		"bad secret": {&bad, []platform.Item{plain}},
		"no url":     {&feedrelay.RelayTarget{}, []platform.Item{plain}},
	}
	for name, tt := range tests {
		if _, err := New().Build(tt.t, tt.items, now); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
