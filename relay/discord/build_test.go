package discord

import (
	"strings"
	"testing"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func TestBuildGolden(t *testing.T) {
	platformtest.GoldenRequests(t, New(), now, platformtest.Singles(target, chinese, hostile, plain))
}

func TestBuildFields(t *testing.T) {
	req := platformtest.MustBuild(t, New(), target, []platform.Item{chinese}, now)
	if req.Method != "POST" || req.URL != target.URL+"?wait=true" {
		t.Errorf("%s %s", req.Method, req.URL)
	}
	m := platformtest.Decode(t, req.Body)
	am := m["allowed_mentions"].(map[string]any)
	if p, ok := am["parse"].([]any); !ok || len(p) != 0 {
		t.Errorf("allowed_mentions = %v, want parse []", am)
	}
	embeds := m["embeds"].([]any)
	if len(embeds) != 1 {
		t.Fatalf("%d embeds", len(embeds))
	}
	e := embeds[0].(map[string]any)
	want := map[string]any{
		"title":       chinese.Title,
		"url":         chinese.URL,
		"description": chinese.Summary,
		"timestamp":   "2026-02-28T09:30:00Z",
		"author":      map[string]any{"name": "张三"},
		"footer":      map[string]any{"text": "机器之心 · 技术 > 人工智能"},
		"image":       map[string]any{"url": chinese.Image},
	}
	for k, v := range want {
		if got := e[k]; !equal(got, v) {
			t.Errorf("%s = %v, want %v", k, got, v)
		}
	}
	if len(e) != len(want) {
		t.Errorf("embed has %d fields, want %d: %v", len(e), len(want), e)
	}
}

func equal(a, b any) bool {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		if len(am) != len(bm) {
			return false
		}
		for k := range am {
			if !equal(am[k], bm[k]) {
				return false
			}
		}
		return true
	}
	return a == b
}

func TestBuildEscapes(t *testing.T) {
	req := platformtest.MustBuild(t, New(), target, []platform.Item{hostile}, now)
	e := platformtest.Decode(t, req.Body)["embeds"].([]any)[0].(map[string]any)
	if _, ok := e["image"]; ok {
		t.Error("an item without an image has an image")
	}
	if _, ok := e["timestamp"]; ok {
		t.Error("an item without a date has a timestamp")
	}
	title, desc := e["title"].(string), e["description"].(string)
	for _, want := range []string{`\*bold\*`, `\_x\_`, `\<!channel>`} {
		if !strings.Contains(title, want) {
			t.Errorf("title %q lacks %q", title, want)
		}
	}
	for _, want := range []string{`\<@123>`, `\[x\](https://evil.example)`, `\|\|spoiler\|\|`, "\n\\# not", "\n\\- not"} {
		if !strings.Contains(desc, want) {
			t.Errorf("description %q lacks %q", desc, want)
		}
	}
}

func TestBuildURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://discord.com/api/webhooks/1/t", "https://discord.com/api/webhooks/1/t?wait=true"},
		{"https://discord.com/api/webhooks/1/t?thread_id=9", "https://discord.com/api/webhooks/1/t?thread_id=9&wait=true"},
		{"https://discord.com/api/webhooks/1/t?wait=false", "https://discord.com/api/webhooks/1/t?wait=true"},
	}
	for _, tt := range tests {
		req, err := New().Build(&feedrelay.RelayTarget{URL: tt.in}, []platform.Item{plain}, now)
		if err != nil || req.URL != tt.want {
			t.Errorf("Build(%s).URL = %s, %v; want %s", tt.in, req.URL, err, tt.want)
		}
	}
}

func TestBuildRejects(t *testing.T) {
	if _, err := New().Build(target, nil, now); err == nil {
		t.Error("no items: no error")
	}
	if _, err := New().Build(target, make([]platform.Item, maxItems+1), now); err == nil {
		t.Error("11 items: no error")
	}
	if _, err := New().Build(&feedrelay.RelayTarget{URL: ""}, []platform.Item{plain}, now); err == nil {
		t.Error("no URL: no error")
	}
}
