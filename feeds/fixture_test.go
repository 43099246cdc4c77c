package feeds

import (
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
)

var shanghai = time.FixedZone("CST", 8*3600)

const testBase = "https://blog.example.com"

func testMeta(self string) Meta {
	return Meta{
		Title:       "示例博客 Example Blog",
		Description: "关于新媒体与技术的文章",
		Language:    "zh-CN",
		BaseURL:     testBase,
		SelfURL:     testBase + self,
		PageURL:     testBase + "/",
		HubURL:      "https://hub.example.net/",
		Generator:   "feedrelay 0.1.0",
	}
}

// Content of the first article: a literal "]]>" (it would end a CDATA
// section), a vertical tab and a NUL (both forbidden in XML 1.0).
const trickyContent = `<p>第一段：内容分发。</p><pre><code>if a[b[0]]> 1 { x := "]]>" }</code></pre>` +
	"<p>控制\x0b字符\x00已删除</p>"

const trickyClean = `<p>第一段：内容分发。</p><pre><code>if a[b[0]]> 1 { x := "]]>" }</code></pre>` +
	"<p>控制字符已删除</p>"

func testArticles() []feedrelay.Article {
	return []feedrelay.Article{
		{
			Key:         "xinmeiti-neirong",
			GUID:        feedrelay.GUIDForKey("xinmeiti-neirong"),
			Title:       "新媒体时代的内容分发",
			Author:      "张三",
			Summary:     "谈谈 RSS、Atom & JSON Feed <三种格式>。",
			ContentHTML: trickyContent,
			Image:       "https://cdn.example.com/img/head.webp?w=1200",
			Published:   time.Date(2024, 3, 1, 9, 30, 0, 0, shanghai),
			Updated:     time.Date(2024, 3, 2, 18, 5, 7, 0, shanghai),
			Categories: []feedrelay.CategoryPath{
				{"新媒体", "高科技行业门户", "新闻"},
				{"新媒体", "观察"},
			},
			Tags: []string{"RSS", "新闻", "Go", "RSS"},
		},
		{
			Key:         "upstream-42",
			GUID:        "https://upstream.example.org/posts/42",
			Link:        "https://upstream.example.org/posts/42",
			Title:       "Upstream post about feeds",
			Summary:     "A re-syndicated article.",
			ContentHTML: `<p>Hello from <a href="https://upstream.example.org/">upstream</a>.</p>`,
			Image:       "https://upstream.example.org/cover.PNG",
			Published:   time.Date(2024, 2, 20, 8, 0, 0, 0, time.UTC),
			Categories:  []feedrelay.CategoryPath{{"转载"}},
			Source: feedrelay.Attribution{
				Title:          "Upstream Blog",
				URL:            "https://upstream.example.org/feed.xml",
				OriginalLink:   "https://upstream.example.org/posts/42?utm=x",
				OriginalAuthor: "Jane Roe",
			},
		},
		{
			Key:         "2024/go-tips",
			GUID:        feedrelay.GUIDForKey("2024/go-tips"),
			Title:       "Go tips \xff and \ufffe bad bytes",
			ContentHTML: "<p>Tips.</p>",
			Published:   time.Date(2024, 1, 15, 12, 0, 0, 0, time.UTC),
			Categories: []feedrelay.CategoryPath{
				{"技术", "Go"},
				{"技术", "数据库"},
			},
			Tags: []string{"go", "技术"},
		},
	}
}

// bigArticles returns n articles with about 11 KB of content each.
func bigArticles(n int) []feedrelay.Article {
	para := "<p>" + strings.Repeat("新媒体内容分发 feed syndication ", 20) + "</p>\n"
	content := strings.Repeat(para, 11*1024/len(para)+1)
	out := make([]feedrelay.Article, n)
	for i := range out {
		key := "post-" + strings.Repeat("x", i%7) + string(rune('a'+i%26))
		out[i] = feedrelay.Article{
			Key:         key,
			GUID:        feedrelay.GUIDForKey(key),
			Title:       "文章标题 " + key,
			Author:      "作者",
			Summary:     "摘要 summary",
			ContentHTML: content,
			Image:       "https://cdn.example.com/" + key + ".jpg",
			Published:   time.Date(2024, 1, 1+i%28, 8, 0, 0, 0, shanghai),
			Categories:  []feedrelay.CategoryPath{{"新媒体", "高科技行业门户", "新闻"}},
			Tags:        []string{"tag1", "tag2"},
		}
	}
	return out
}
