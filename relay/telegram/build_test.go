package telegram

import (
	"strings"
	"testing"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

func withFormat(f string) *feedrelay.RelayTarget {
	t := *target
	t.Format = f
	return &t
}

func TestBuildGolden(t *testing.T) {
	tests := []struct {
		name   string
		format string
		items  []platform.Item
	}{
		{"chinese", "", []platform.Item{chinese}},
		{"chinese-photo", "photo", []platform.Item{chinese}},
		{"hostile", "message", []platform.Item{hostile}},
		{"hostile-photo", "photo", []platform.Item{hostile}}, // no image: sendMessage
		{"plain", "", []platform.Item{plain}},
		{"digest", "photo", []platform.Item{chinese, hostile, plain}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := platformtest.MustBuild(t, New(), withFormat(tt.format), tt.items, now)
			platformtest.GoldenRequest(t, tt.name, req)
		})
	}
}

func TestBuildFields(t *testing.T) {
	tests := []struct {
		format, method, textKey string
		item                    platform.Item
		limit                   int
	}{
		{"", "sendMessage", "text", chinese, maxText},
		{"photo", "sendPhoto", "caption", chinese, maxCaption},
		{"photo", "sendMessage", "text", hostile, maxText},
		{"message", "sendMessage", "text", plain, maxText},
	}
	for _, tt := range tests {
		req := platformtest.MustBuild(t, New(), withFormat(tt.format), []platform.Item{tt.item}, now)
		wantURL := "https://api.telegram.org/bot" + token + "/" + tt.method
		if req.URL != wantURL || req.Method != "POST" {
			t.Errorf("%s %s, want POST %s", req.Method, req.URL, wantURL)
		}
		m := platformtest.Decode(t, req.Body)
		if m["chat_id"] != float64(-1001234567890) || m["parse_mode"] != "HTML" {
			t.Errorf("chat_id %v, parse_mode %v", m["chat_id"], m["parse_mode"])
		}
		text, _ := m[tt.textKey].(string)
		n, err := checkHTML(text)
		if err != nil || n > tt.limit {
			t.Errorf("%s: %d visible, %v: %q", tt.textKey, n, err, text)
		}
		wantHead := `<b><a href="` + escapeAttr(tt.item.URL) + `">` + escapeText(tt.item.Title) + "</a></b>"
		if !strings.HasPrefix(text, wantHead) {
			t.Errorf("text starts %q, want %q", text, wantHead)
		}
		if tt.method == "sendPhoto" {
			if m["photo"] != tt.item.Image {
				t.Errorf("photo = %v", m["photo"])
			}
		} else if lp := m["link_preview_options"].(map[string]any); lp["url"] != tt.item.URL {
			t.Errorf("link_preview_options = %v", lp)
		}
	}
}

func TestBuildHostile(t *testing.T) {
	req := platformtest.MustBuild(t, New(), target, []platform.Item{hostile}, now)
	text := platformtest.Decode(t, req.Body)["text"].(string)
	for _, bad := range []string{"<script", "<!channel>", "<b>not", "javascript:"} {
		if strings.Contains(text, bad) {
			t.Errorf("text contains %q: %q", bad, text)
		}
	}
	if !strings.Contains(text, "&lt;script&gt;") || !strings.Contains(text, "Tom &amp; Jerry &lt;b&gt;not bold&lt;/b&gt;") {
		t.Errorf("title or summary not escaped: %q", text)
	}
	// Without a summary the article's content is converted, never passed on.
	noSummary := hostile
	noSummary.Summary = ""
	req = platformtest.MustBuild(t, New(), target, []platform.Item{noSummary}, now)
	text = platformtest.Decode(t, req.Body)["text"].(string)
	if !strings.Contains(text, "Hello <b>world</b> js") || strings.Contains(text, "bad()") {
		t.Errorf("content not converted: %q", text)
	}
}

func TestBuildChatIDAndBase(t *testing.T) {
	tg := *target
	tg.ChatID, tg.URL = "@feedrelay_news", "http://localhost:8081/"
	req := platformtest.MustBuild(t, New(), &tg, []platform.Item{plain}, now)
	if req.URL != "http://localhost:8081/bot"+token+"/sendMessage" {
		t.Errorf("URL = %s", req.URL)
	}
	if id := platformtest.Decode(t, req.Body)["chat_id"]; id != "@feedrelay_news" {
		t.Errorf("chat_id = %v", id)
	}
	tg.URL = ""
	if req, _ = New().Build(&tg, []platform.Item{plain}, now); !strings.HasPrefix(req.URL, "https://api.telegram.org/bot") {
		t.Errorf("default base: %s", req.URL)
	}
}

func TestBuildRejects(t *testing.T) {
	for name, tg := range map[string]*feedrelay.RelayTarget{
		"format":   withFormat("markdown"),
		"no token": {ChatID: "1"},
		"no chat":  {BotToken: token},
	} {
		if _, err := New().Build(tg, []platform.Item{plain}, now); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := New().Build(target, nil, now); err == nil {
		t.Error("no items: no error")
	}
	if _, err := New().Build(target, make([]platform.Item, maxItems+1), now); err == nil {
		t.Error("too many items: no error")
	}
}
