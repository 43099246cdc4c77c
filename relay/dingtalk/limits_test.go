package dingtalk

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/relay/platform/platformtest"
)

// long is maxItems of the worst article, summaries ~10 KB, with long
// image URLs.
func long() []platform.Item {
	sum := strings.Repeat("钉钉机器人的请求体不能超过两万字节。", 90) // ≈ 10 KB
	return platformtest.LongItems(maxItems, sum, "https://img.example.com/covers/"+strings.Repeat("x", 200)+".png")
}

func TestLimits(t *testing.T) {
	for _, format := range []string{"", "link", "markdown", "feedcard"} {
		for _, n := range []int{1, 4, maxItems} {
			req := build(t, format, long()[:n])
			if len(req.Body) > maxBody {
				t.Errorf("format %q, %d items: body %d bytes, limit %d", format, n, len(req.Body), maxBody)
			}
			if !utf8.Valid(req.Body) {
				t.Errorf("format %q: body is not valid UTF-8", format)
			}
			walk(t, platformtest.Decode(t, req.Body), func(s string) {
				if !utf8.ValidString(s) {
					t.Errorf("format %q: field %q broken", format, s)
				}
			})
		}
	}
	m := platformtest.Decode(t, build(t, "markdown", long()).Body)["markdown"].(map[string]any)
	if got := strings.Count(m["text"].(string), "]("+platformtest.LongURL+")"); got != maxItems {
		t.Errorf("%d article links survived the cut, want %d", got, maxItems)
	}
	if n := utf8.RuneCountInString(m["title"].(string)); n > titleRunes+1 {
		t.Errorf("markdown title has %d runes", n)
	}
	// A URL nobody can fit is an error, not a broken message.
	huge := long()
	for i := range huge {
		huge[i].URL = "https://feeds.example.com/" + strings.Repeat("a", maxBody/4)
	}
	if _, err := New().Build(target("feedcard"), huge, fixedNow); err == nil {
		t.Errorf("Build accepted a body over %d bytes", maxBody)
	}
}

// walk calls f on every string in a decoded JSON value.
func walk(t *testing.T, v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case map[string]any:
		for _, x := range v {
			walk(t, x, f)
		}
	case []any:
		for _, x := range v {
			walk(t, x, f)
		}
	case nil, bool, float64, json.Number:
	default:
		t.Errorf("unexpected %T in body", v)
	}
}
