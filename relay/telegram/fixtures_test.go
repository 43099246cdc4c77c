package telegram

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const token = "123456:ABC-DEF_ghi"

var target = &feedrelay.RelayTarget{
	Name: "team", Platform: feedrelay.PlatformTelegram,
	URL: "https://api.telegram.org", BotToken: token, ChatID: "-1001234567890",
}

// chinese has a head image; hostile carries everything Telegram could read
// as markup; plain has nothing but a title and a link.
var (
	chinese = platform.Item{
		DeliveryID:  "fr-delivery-1",
		Title:       "深度学习：从入门到精通（第二版）",
		Summary:     "本文介绍神经网络的基本原理，并给出 PyTorch 示例代码。",
		URL:         "https://example.com/articles/dl-2",
		Image:       "https://img.example.com/head.jpg",
		Author:      "张三",
		Published:   time.Date(2026, 2, 28, 9, 30, 0, 0, time.UTC),
		Categories:  []string{"技术 > 人工智能"},
		SourceTitle: "机器之心",
		SourceURL:   "https://jiqizhixin.example/feed",
	}
	hostile = platform.Item{
		DeliveryID:  "fr-delivery-2",
		Title:       `<script>alert("x")</script> & <!channel> *bold* _x_ <http://evil|x>`,
		Summary:     "Tom & Jerry <b>not bold</b> @everyone <@U123> 1 < 2 > 0",
		URL:         "https://example.com/a?x=1&y=<2>|z",
		Author:      "Eve <eve@example.com>",
		ContentHTML: `<p>Hello <script>bad()</script><b>world</b> <a href="javascript:x()">js</a></p>`,
		Categories:  []string{"News > World", "*Hot*"},
	}
	plain = platform.Item{DeliveryID: "fr-delivery-3", Title: "Plain", URL: "https://example.com/p",
		ContentHTML: `<h2>Intro</h2><p>First <em>point</em> &amp; <code>x &lt; y</code>.</p><ul><li>one</li><li>two</li></ul>`}
)

// golden compares req, rendered for people, with testdata/name.golden
// (go test -update rewrites it).
func golden(t *testing.T, name string, req platform.Request) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(req.Method + " " + req.URL + "\n")
	keys := make([]string, 0, len(req.Header))
	for k := range req.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(k + ": " + strings.Join(req.Header[k], ", ") + "\n")
	}
	b.WriteString("\n")
	if err := json.Indent(&b, req.Body, "", "  "); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, req.Body)
	}
	b.WriteString("\n")
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", name, path, b.Bytes())
	}
}

// decode unmarshals a request body into generic maps.
func decode(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	return m
}
