package posts

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/feedrelay/feedrelay"
)

const seedPath = "../../shared/seeds/000_003725e72fda6c0c.txt"

// The real post the importer was written for: blank first line, RFC 1123
// date, a plain category list, inline styles and a no-referrer image.
func TestParseSeed(t *testing.T) {
	data, err := os.ReadFile(seedPath)
	if os.IsNotExist(err) {
		t.Skipf("seed %s not present", seedPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewParser(Options{}, testPolicy).Parse(seedPath, "000_003725e72fda6c0c", data)
	if err != nil {
		t.Fatal(err)
	}
	const img = "https://mp.ofweek.com/Upload/News/Img/member4608/202202/wx_article__2583cc499672f279ef08e9820b88b4d7.jpg"
	checks := []struct {
		field     string
		got, want any
	}{
		{"Title", a.Title, "数字化、全面上云，助力汽车行业带来深刻变革"},
		{"Categories", a.Categories, []feedrelay.CategoryPath{{"新媒体", "高科技行业门户", "新闻"}}},
		{"Author", a.Author, "高科技行业门户"},
		{"Image", a.Image, img},
		{"Thumbnail", a.Thumbnail, img},
		{"Comments", a.Comments, false},
		{"Published", a.Published.UTC().Format(time.RFC3339), "2022-02-15T03:48:00Z"},
		{"Updated", a.Updated.Equal(a.Published), true},
		{"Key", a.Key, "000_003725e72fda6c0c"},
		{"GUID", a.GUID, feedrelay.GUIDForKey("000_003725e72fda6c0c")},
		{"Link", a.Link, ""},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.field, c.got, c.want)
		}
	}
	if n := utf8.RuneCountInString(a.Summary); n == 0 || n > SummaryLen+1 {
		t.Errorf("Summary has %d runes, want 1..%d: %q", n, SummaryLen+1, a.Summary)
	}
	if !strings.HasPrefix(a.Summary, "本文来源：智车科技 ／ 导读 ／ 随着2021年") {
		t.Errorf("Summary = %q, want it to start with the first paragraphs", a.Summary)
	}
	for _, w := range []string{`referrerpolicy="no-referrer"`, "text-indent: 2em", `<img src="` + img + `"`, "<strong>数字化成为驱动研发的关键所在</strong>", "color: #999999"} {
		if !strings.Contains(a.ContentHTML, w) {
			t.Errorf("ContentHTML does not contain %q", w)
		}
	}
	if strings.Contains(a.ContentHTML, "hrefStyle") || strings.Contains(a.ContentHTML, "font-family") {
		t.Errorf("ContentHTML kept a class or font-family: %q", a.ContentHTML)
	}
}

// The example posts in examples/posts must all import; they also cover the
// shapes the importer promises to read.
func TestParseExamples(t *testing.T) {
	const dir = "../examples/posts"
	var files []string
	err := walkFiles(dir, func(path string) {
		if IsPostFile(path) {
			files = append(files, path)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 6 {
		t.Fatalf("found %d example posts in %s, want at least 6", len(files), dir)
	}
	p := NewParser(Options{Location: shanghai}, testPolicy)
	var threeLevel, several, image, excerpt, html, tagged bool
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := p.Parse(f, Slug(dir, f), data)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		for _, c := range a.Categories {
			threeLevel = threeLevel || len(c) == 3
		}
		several = several || len(a.Categories) > 1
		image = image || a.Image != ""
		excerpt = excerpt || (strings.Contains(string(data), "<!-- more -->") && strings.HasSuffix(f, ".md"))
		html = html || strings.HasSuffix(f, ".html")
		tagged = tagged || len(a.Tags) > 0
		if a.Summary == "" {
			t.Errorf("%s: empty summary", f)
		}
	}
	for what, ok := range map[string]bool{
		"a 3-level category": threeLevel, "several hierarchies": several, "a head image": image,
		"a .md with <!-- more -->": excerpt, "an .html post": html, "tags": tagged,
	} {
		if !ok {
			t.Errorf("no example post has %s", what)
		}
	}
}

func walkFiles(dir string, fn func(path string)) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		path := dir + "/" + e.Name()
		if e.IsDir() {
			if err := walkFiles(path, fn); err != nil {
				return err
			}
			continue
		}
		fn(path)
	}
	return nil
}

// seedSizedPost builds a post shaped like the seed, about 11 KB of HTML.
func seedSizedPost() []byte {
	var b strings.Builder
	b.WriteString("\n---\ntitle: '数字化、全面上云，助力汽车行业带来深刻变革'\ncategories: \n - 新媒体\n - 高科技行业门户\n - 新闻\n" +
		"headimg: 'https://mp.ofweek.com/a.jpg'\nauthor: 高科技行业门户\ncomments: false\n" +
		"date: Tue, 15 Feb 2022 03:48:00 GMT\nthumbnail: 'https://mp.ofweek.com/a.jpg'\n---\n\n<div>\n")
	for i := 0; b.Len() < 11_000; i++ {
		b.WriteString(`<p style="text-indent: 2em; text-align: left;">在研发端，数据的重要性越来越强，海量的数据成为优化算法和帮助研发人员进行决策的主要依靠。`)
		b.WriteString(`<span class="hrefStyle"><a href="https://www.ofweek.com/auto/" target="_blank" title="智能汽车">智能汽车</a></span></p>`)
		if i%3 == 0 {
			b.WriteString(`<p style="text-align:center"><img src="https://mp.ofweek.com/b.jpg" referrerpolicy="no-referrer"></p>`)
			b.WriteString(`<p style="text-indent: 2em; text-align: left;"><strong>小标题</strong></p>`)
		}
	}
	b.WriteString("\n</div>\n")
	return []byte(b.String())
}

func BenchmarkParseSeedSized(b *testing.B) {
	data := seedSizedPost()
	p := NewParser(Options{}, testPolicy)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := p.Parse("seed.md", "seed", data); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(seedSizedPost()[:2000], true)
	f.Add([]byte("---\ntitle: A\ndate: 2022-02-15\ncategories: [[a, b], c]\ntags: x\n---\n# h\n\n<!-- more -->\n\nbody"), true)
	f.Add([]byte(";;;\n\"title\": \"A\", \"date\": \"2022-02-15T00:00:00Z\"\n;;;\n<p>x</p>"), false)
	f.Add([]byte("title: A\ndate: Tue, 15 Feb 2022 03:48:00 GMT\n---\nx"), false)
	f.Add([]byte("\uFEFF\r\n---\r\nx: &a [*a]\r\ncategories: *a\r\n---\r\n"), true)
	f.Add([]byte("---\ntitle: [\n---\n"), true)
	f.Add([]byte("---\n"), false)
	f.Add([]byte(""), true)
	p := NewParser(Options{}, testPolicy)
	mod := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte, markdown bool) {
		name := "f.html"
		if markdown {
			name = "f.md"
		}
		a, err := p.ParseWithModTime(name, "f", data, mod)
		if err != nil {
			if !strings.HasPrefix(err.Error(), `post "`+name+`": `) {
				t.Errorf("error %q does not start with the file name", err)
			}
			return
		}
		if err := a.Validate(); err != nil {
			t.Errorf("Parse returned an invalid article: %v", err)
		}
		if strings.Contains(strings.ToLower(a.ContentHTML), "<script") {
			t.Errorf("ContentHTML kept a script: %q", a.ContentHTML)
		}
	})
}
