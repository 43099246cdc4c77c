package feishu

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var fixedNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

const hookURL = "https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

// testSecret is a made-up 签名校验 secret.
const testSecret = "SECf1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2"

// fixtures: a Chinese article with an image, a hostile title with Markdown
// specials and <script> from an upstream source, an English one without
// image or summary.
func fixtures() []platform.Item {
	return []platform.Item{
		{
			DeliveryID: "fr-delivery-1",
			Title:      "深度学习框架发布 2.0 版本",
			Summary:    "本次更新带来了更快的训练速度、更低的显存占用，以及全新的分布式调度器。",
			URL:        "https://feeds.example.com/articles/1",
			Image:      "https://img.example.com/covers/1.png",
			Published:  fixedNow.Add(-time.Hour),
		},
		{
			DeliveryID:  "fr-delivery-2",
			Title:       "[点我](https://evil.example/x) *加粗* <script>alert(1)</script>",
			Summary:     "摘要里也有 _下划线_、`代码` 和 <@all> 提及。",
			URL:         "https://feeds.example.com/articles/2?q=(a b)",
			SourceTitle: "上游 *周刊*",
			SourceURL:   "https://upstream.example.org/feed",
		},
		{
			DeliveryID: "fr-delivery-3",
			Title:      "Go 1.26 released",
			URL:        "https://feeds.example.com/articles/3",
		},
	}
}

func target(format string) *feedrelay.RelayTarget {
	return &feedrelay.RelayTarget{Name: "ops", Platform: feedrelay.PlatformFeishu, URL: hookURL, Format: format}
}

func build(t *testing.T, format string, items []platform.Item) platform.Request {
	t.Helper()
	req, err := New().Build(target(format), items, fixedNow)
	if err != nil {
		t.Fatalf("Build(%q): %v", format, err)
	}
	return req
}

// decode unmarshals a body into generic maps, as the platform would see it.
func decode(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	return m
}

// golden compares body (indented) with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, body []byte) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, body, "", "  "); err != nil {
		t.Fatalf("indent: %v", err)
	}
	pretty.WriteByte('\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("%s differs from the built body:\n--- got\n%s\n--- want\n%s", path, pretty.Bytes(), want)
	}
}

// sentURL is u as the message carries it: inner spaces percent-encoded.
func sentURL(u string) string { return strings.ReplaceAll(u, " ", "%20") }
