package feedrelay

import (
	"errors"
	"strings"
	"testing"
)

func TestMaskedURLHidesKeysAndTokens(t *testing.T) {
	for _, c := range []struct{ raw, secret, keep string }{
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa", "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa", "/cgi-bin/webhook/send?key="},
		{"https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789abcdef", "abcdef0123456789abcdef", "/robot/send?access_token="},
		{"https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d-4e5f-6789-abcd-ef0123456789", "0a1b2c3d-4e5f-6789-abcd-ef0123456789", "/open-apis/bot/v2/hook/"},
		{"https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX", "XXXXXXXXXXXXXXXXXXXXXXXX", "/services/T000/B000/"},
		{"https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz0123456789", "/api/webhooks/"},
	} {
		got := MaskedURL(c.raw)
		if strings.Contains(got, c.secret) || !strings.Contains(got, c.keep) {
			t.Errorf("MaskedURL(%q) = %q: must hide %q and keep %q", c.raw, got, c.secret, c.keep)
		}
	}
	if Mask("short") != "****" || Mask("") != "" || Mask("0123456789abc") != "012…abc" {
		t.Errorf("Mask: %q %q %q", Mask("short"), Mask(""), Mask("0123456789abc"))
	}
}

func TestRulesMatchKeywordsAndRegexps(t *testing.T) {
	m, err := Rules{Include: []string{"无人机", "/^go(lang)?\\b/i"}, Exclude: []string{"广告"}}.Compile("rules")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		title, text string
		want        bool
	}{
		{"智慧农业无人机", "", true},
		{"Golang 1.26", "", true},
		{"ago", "nothing", false},
		{"无人机广告", "", false},
		{"天气", "茶园里的无人机", true},
	} {
		if got := m.Match(c.title, c.text); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.title, c.text, got, c.want)
		}
	}
	if _, err := (Rules{Include: []string{"/[/"}}).Compile("rules"); err == nil || !strings.Contains(err.Error(), "rules.include") {
		t.Errorf("bad regexp: %v, want an error naming rules.include", err)
	}
	if !(*Matcher)(nil).Match("x", "y") || !(&Matcher{}).Empty() {
		t.Error("an empty matcher must pass everything")
	}
}

func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []Cursor{0, 1, 35, 36, 1 << 40} {
		got, err := ParseCursor(c.String())
		if err != nil || got != c {
			t.Errorf("ParseCursor(%q) = %d, %v; want %d", c.String(), got, err, c)
		}
	}
	for _, bad := range []string{"x1", "c-1", "c!", "czzzzzzzzzzzzzzz"} {
		if _, err := ParseCursor(bad); err == nil {
			t.Errorf("ParseCursor(%q) accepted", bad)
		}
	}
}

func TestRelayTargetValidate(t *testing.T) {
	ok := RelayTarget{Name: "产品群", Platform: PlatformWeCom, URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}
	if err := ok.Validate(); err != nil || ok.Style != StyleSingle || ok.RetryBudget != DefaultRetryBudget {
		t.Fatalf("valid target: %v %+v", err, ok)
	}
	for _, c := range []struct {
		field string
		edit  func(*RelayTarget)
	}{
		{"name", func(t *RelayTarget) { t.Name = "12" }},
		{"name", func(t *RelayTarget) { t.Name = "+11" }},
		{"name", func(t *RelayTarget) { t.Name = " " }},
		{"platform", func(t *RelayTarget) { t.Platform = "wechat" }},
		{"url", func(t *RelayTarget) { t.URL = "ftp://x/y" }},
		{"style", func(t *RelayTarget) { t.Style = "burst" }},
		{"rate", func(t *RelayTarget) { t.RatePerMinute = -5 }},
		{"retry_budget", func(t *RelayTarget) { t.RetryBudget = 10 }},
		{"bot_token", func(t *RelayTarget) { t.Platform = PlatformTelegram; t.URL = "" }},
	} {
		tg := ok
		c.edit(&tg)
		var fe *FieldError
		if err := tg.Validate(); !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: %v, want a FieldError on %s", c.field, err, c.field)
		}
	}
}
