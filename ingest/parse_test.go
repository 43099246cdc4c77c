package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var testFeedURL, _ = url.Parse("https://blog.example.com/feed.xml")

// encodeFixture fills a Chinese fixture's declaration and encodes it, so
// the bytes are truly GBK (or Big5...), as a server would send them.
func encodeFixture(t *testing.T, name, decl string, enc encoding.Encoding) []byte {
	t.Helper()
	b := bytes.Replace(readFixture(t, name), []byte("{{DECL}}"), []byte(decl), 1)
	if enc == nil {
		return b
	}
	out, err := enc.NewEncoder().Bytes(b)
	if err != nil {
		t.Fatalf("encode %s: %v", name, err)
	}
	if bytes.Equal(out, b) {
		t.Fatalf("encoding %s changed nothing", name)
	}
	return out
}

func TestParseFeedCharsets(t *testing.T) {
	const (
		hansTitle, hansItem = "中文科技博客", "你好，世界：第一篇文章"
		hansDesc            = "这是第一篇文章的摘要，介绍我们的新网站。"
		hantTitle, hantItem = "繁體中文新聞台", "歡迎來到臺灣：第一則報導"
		hantDesc            = "這是第一則報導的摘要，介紹我們的新聞網站。"
	)
	gbk, gb18030, big5 := simplifiedchinese.GBK, simplifiedchinese.GB18030, traditionalchinese.Big5
	tests := []struct {
		name, fixture, decl string
		enc                 encoding.Encoding
		contentType         string
		title, item, desc   string
	}{
		{"gbk in prolog", "zh-hans.xml", `<?xml version="1.0" encoding="gbk"?>`, gbk, "", hansTitle, hansItem, hansDesc},
		{"GB2312 in prolog, header says utf-8", "zh-hans.xml", `<?xml version="1.0" encoding="GB2312"?>`, gbk, "text/xml; charset=utf-8", hansTitle, hansItem, hansDesc},
		{"gb18030 in prolog", "zh-hans.xml", `<?xml version='1.0' encoding='GB18030' standalone='yes'?>`, gb18030, "application/rss+xml", hansTitle, hansItem, hansDesc},
		{"big5 in prolog", "zh-hant.xml", `<?xml version="1.0" encoding="big5"?>`, big5, "", hantTitle, hantItem, hantDesc},
		{"gbk in header only", "zh-hans.xml", `<?xml version="1.0"?>`, gbk, "application/rss+xml; charset=GBK", hansTitle, hansItem, hansDesc},
		{"gb2312 in a sloppy header, no prolog", "zh-hans.xml", "", gbk, "text/xml;charset=gb2312;", hansTitle, hansItem, hansDesc},
		{"big5 in header only", "zh-hant.xml", `<?xml version="1.0" standalone="yes"?>`, big5, `text/xml; charset="Big5"`, hantTitle, hantItem, hantDesc},
		{"utf-8 body under a stale gbk prolog", "zh-hans.xml", `<?xml version="1.0" encoding="gbk"?>`, nil, "text/xml; charset=gbk", hansTitle, hansItem, hansDesc},
		{"utf-8 with BOM", "zh-hant.xml", "\uFEFF" + `<?xml version="1.0" encoding="utf-8"?>`, nil, "", hantTitle, hantItem, hantDesc},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := encodeFixture(t, tt.fixture, tt.decl, tt.enc)
			if tt.enc == gbk && strings.Contains(tt.decl+tt.contentType, "2312") {
				for _, c := range body { // EUC-CN: GB2312 text uses only bytes >= 0xA1
					if c >= 0x80 && c < 0xA1 {
						t.Fatalf("fixture is not GB2312: byte %#x", c)
					}
				}
			}
			f, err := ParseFeed(body, tt.contentType, testFeedURL)
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != tt.title || len(f.Items) != 1 || f.Items[0].Title != tt.item || f.Items[0].Description != tt.desc {
				t.Fatalf("got title %q, items %d", f.Title, len(f.Items))
			}
			pf, _ := MapItems(f, testSource(), testFeedURL, testPolicy, nil, testNow)
			if len(pf.Items) != 1 || pf.Items[0].Article.Title != tt.item || pf.Items[0].Article.Summary != tt.desc {
				t.Fatalf("mapped %+v", pf)
			}
		})
	}
}

func TestParseFeedNotAFeed(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"empty", "", "not a feed: empty body"},
		{"blank", " \r\n\t", "not a feed: empty body"},
		{"html page", string(readFixture(t, "page.html")), "not a feed: looks like an HTML page (<html>)"},
		{"html without doctype", "<HTML><body>hi</body></HTML>", "not a feed: looks like an HTML page (<html>)"},
		{"bare doctype", "<!doctype html>", "not a feed: looks like an HTML page (<!DOCTYPE html>)"},
		{"other json", string(readFixture(t, "api.json")), "not a feed: JSON but not a JSON Feed (no \"version\": \"https://jsonfeed.org/version/1.1\")"},
		{"json array", `[{"title": "x"}]`, "not a feed: JSON but not a JSON Feed (an array)"},
		{"broken json", `{"version": "https://jsonfeed.org/version/1.1", "items": [`, "parse feed: invalid JSON: unexpected end of JSON input"},
		{"sitemap", string(readFixture(t, "sitemap.xml")), "not a feed: XML document with root element <urlset>, not <rss>, <rdf:RDF> or <feed>"},
		{"garbage", "\x00\x01\x02 binary \xff\xfe", "not a feed: starts with \"\\x00\\x01\\x02 binary \uFFFD\", neither XML nor JSON"},
		{"plain text", "Service Unavailable", `not a feed: starts with "Service Unavaila", neither XML nor JSON`},
		{"cut off tag", "<rss", "not a feed: no root element (cut off, or not XML)"},
		{"truncated rss", `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a`, "parse feed: XML syntax error on line 1: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFeed([]byte(tt.body), "text/html; charset=utf-8", testFeedURL)
			if err == nil || !errors.Is(err, ErrNotFeed) || err.Error() != tt.want {
				t.Fatalf("got %v, %v; want %q", f, err, tt.want)
			}
		})
	}
}

// dateFeed is an RSS feed with one item per pubDate.
func dateFeed(dates ...string) []byte {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>dates</title>`)
	for i, d := range dates {
		fmt.Fprintf(&b, `<item><title>item %d</title><link>/d/%d</link><pubDate>%s</pubDate></item>`, i, i, d)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func TestMapItemsDates(t *testing.T) {
	tests := []struct{ pubDate, want string }{ // want "" means undated
		{"Tues, 32 Foo 2024 10:00:00 GMT", ""},
		{"", ""},
		{"Sat, 01 Jan 2922 00:00:00 GMT", ""},
		{"Thu, 31 Dec 1799 23:00:00 GMT", ""},
		{"Tue, 05 Mar 2024 09:30:00 EST", "2024-03-05T09:30:00-05:00"},
		{"Sun, 07 Jul 2024 18:00:00 PDT", "2024-07-07T18:00:00-07:00"},
		{"Tue, 05 Mar 2024 09:30:00 GMT", "2024-03-05T09:30:00Z"},
		{"Tue, 5 Mar 2024 09:30:00 +0530", "2024-03-05T09:30:00+05:30"},
		{"2024-03-07T08:00:00+08:00", "2024-03-07T08:00:00+08:00"},
		{"2024-03-07T08:00:00.5Z", "2024-03-07T08:00:00.5Z"},
	}
	var dates []string
	for _, tt := range tests {
		dates = append(dates, tt.pubDate)
	}
	f, err := ParseFeed(dateFeed(dates...), "", testFeedURL)
	if err != nil {
		t.Fatal(err)
	}
	pf, _ := MapItems(f, testSource(), testFeedURL, testPolicy, nil, testNow)
	if len(pf.Items) != len(tests) {
		t.Fatalf("%d items, want %d: %q", len(pf.Items), len(tests), pf.Problems)
	}
	for i, tt := range tests {
		it := pf.Items[i]
		got := it.Article.Published.Format(time.RFC3339Nano)
		switch {
		case tt.want == "" && (it.Dated || !it.Article.Published.Equal(testNow) || !it.Article.Updated.IsZero()):
			t.Errorf("%q: dated %v, published %s, updated %s; want undated at now", tt.pubDate, it.Dated, got, it.Article.Updated)
		case tt.want != "" && (!it.Dated || got != tt.want || !it.Article.Updated.Equal(it.Article.Published)):
			t.Errorf("%q: dated %v, published %s, updated %s; want %s", tt.pubDate, it.Dated, got, it.Article.Updated, tt.want)
		}
	}
}

func TestPlainTitle(t *testing.T) {
	for in, want := range map[string]string{
		"  Hello <b>World</b>\n ":   "Hello World",
		"Use <T> in Go generics":    "Use <T> in Go generics",
		"AT&T &amp; friends":        "AT&T & friends",
		"caf&#233; &#x4E2D;文":       "café 中文",
		"<span class=x>新闻</span>速递": "新闻速递",
		"a < b && c > d":            "a < b && c > d",
	} {
		if got := plainTitle(in); got != want {
			t.Errorf("plainTitle(%q) = %q, want %q", in, got, want)
		}
	}
}
