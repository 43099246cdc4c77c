package posts

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestParseFields(t *testing.T) {
	tests := []struct {
		name, yaml string
		check      func(t *testing.T, title, author, image, thumb string, comments bool)
	}{
		{"title as written", "title: '  数字化、全面上云  '", func(t *testing.T, title, _, _, _ string, _ bool) {
			if title != "数字化、全面上云" {
				t.Errorf("Title = %q", title)
			}
		}},
		{"numeric title", "title: 2022", func(t *testing.T, title, _, _, _ string, _ bool) {
			if title != "2022" {
				t.Errorf("Title = %q, want 2022", title)
			}
		}},
		{"multi-line title joined", "title: >\n  one\n  two", func(t *testing.T, title, _, _, _ string, _ bool) {
			if title != "one two" {
				t.Errorf("Title = %q, want %q", title, "one two")
			}
		}},
		{"missing title falls back to slug's last segment", "", func(t *testing.T, title, _, _, _ string, _ bool) {
			if title != "hello-world" {
				t.Errorf("Title = %q, want hello-world", title)
			}
		}},
		{"author name", "author: 高科技行业门户", func(t *testing.T, _, author, _, _ string, _ bool) {
			if author != "高科技行业门户" {
				t.Errorf("Author = %q", author)
			}
		}},
		{"author mapping", "author:\n  name: Ada\n  link: https://ada.example/", func(t *testing.T, _, author, _, _ string, _ bool) {
			if author != "Ada" {
				t.Errorf("Author = %q, want Ada", author)
			}
		}},
		{"headimg first", "headimg: https://a.example/h.jpg\ncover: https://a.example/c.jpg\nthumbnail: https://a.example/t.jpg",
			func(t *testing.T, _, _, image, thumb string, _ bool) {
				if image != "https://a.example/h.jpg" || thumb != "https://a.example/t.jpg" {
					t.Errorf("Image, Thumbnail = %q, %q", image, thumb)
				}
			}},
		{"cover before banner, thumbnail falls back to image", "banner: https://a.example/b.jpg\ncover: https://a.example/c.jpg",
			func(t *testing.T, _, _, image, thumb string, _ bool) {
				if image != "https://a.example/c.jpg" || thumb != image {
					t.Errorf("Image, Thumbnail = %q, %q; want cover for both", image, thumb)
				}
			}},
		{"thumbnail only", "thumbnail: https://a.example/t.jpg", func(t *testing.T, _, _, image, thumb string, _ bool) {
			if image != "https://a.example/t.jpg" || thumb != image {
				t.Errorf("Image, Thumbnail = %q, %q", image, thumb)
			}
		}},
		{"relative image skipped", "headimg: /images/a.jpg\ncover: //cdn.example/c.jpg", func(t *testing.T, _, _, image, _ string, _ bool) {
			if image != "https://cdn.example/c.jpg" {
				t.Errorf("Image = %q, want the protocol-relative cover made https", image)
			}
		}},
		{"comments default on", "", func(t *testing.T, _, _, _, _ string, c bool) {
			if !c {
				t.Error("Comments = false, want Hexo's default true")
			}
		}},
		{"comments false", "comments: false", func(t *testing.T, _, _, _, _ string, c bool) {
			if c {
				t.Error("Comments = true")
			}
		}},
		{"comments no string", "comments: 'no'", func(t *testing.T, _, _, _, _ string, c bool) {
			if c {
				t.Error("Comments = true")
			}
		}},
		{"comments yes", "comments: yes", func(t *testing.T, _, _, _, _ string, c bool) {
			if !c {
				t.Error("Comments = false")
			}
		}},
		{"comments empty keeps default", "comments:", func(t *testing.T, _, _, _, _ string, c bool) {
			if !c {
				t.Error("Comments = false")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := NewParser(Options{}, testPolicy).Parse("a.md", "2022/hello-world", []byte(withFrontMatter(tt.yaml, "")))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, a.Title, a.Author, a.Image, a.Thumbnail, a.Comments)
			if a.Link != "" {
				t.Errorf("Link = %q, want empty for an imported post", a.Link)
			}
		})
	}
}

func TestParseCommentsError(t *testing.T) {
	_, err := NewParser(Options{}, testPolicy).Parse("a.md", "a", []byte(withFrontMatter("comments: maybe", "")))
	if err == nil || !strings.Contains(err.Error(), `want true or false, got "maybe"`) {
		t.Errorf("Parse error = %v, want a comments error", err)
	}
}

func TestParseBody(t *testing.T) {
	tests := []struct {
		name, file, body string
		want, notWant    []string
	}{
		{
			name: "markdown with table, code and strikethrough",
			file: "a.md",
			body: "# Head\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n```go\nx := 1 < 2\n```\n\n~~old~~ https://go.dev\n",
			want: []string{"<h1>Head</h1>", "<table>", "<th>a</th>", `<td style="text-align: center">2</td>`,
				`<pre><code class="language-go">x := 1 &lt; 2`, "<del>old</del>", `<a href="https://go.dev" rel="nofollow">https://go.dev</a>`},
		},
		{
			name: "markdown line breaks as in Hexo",
			file: "a.markdown",
			body: "第一行\n第二行\n",
			want: []string{"<p>第一行<br>\n第二行</p>"},
		},
		{
			name:    "raw html in markdown passes, then is sanitized",
			file:    "a.md",
			body:    "<div>\n<p style=\"text-indent: 2em;\">段落</p>\n</div>\n\n<script>alert(1)</script>\n",
			want:    []string{`<p style="text-indent: 2em">段落</p>`},
			notWant: []string{"script", "alert"},
		},
		{
			name:    "html file is not markdown",
			file:    "a.HTML",
			body:    "<p>*not emphasis*</p>\n\n    <p>not code</p>",
			want:    []string{"<p>*not emphasis*</p>", "<p>not code</p>"},
			notWant: []string{"<em>", "<pre>"},
		},
		{
			name:    "more marker removed",
			file:    "a.md",
			body:    "intro\n\n<!-- more -->\n\nrest\n",
			want:    []string{"<p>intro</p>", "<p>rest</p>"},
			notWant: []string{"more", "<!--"},
		},
		{
			name:    "task list brackets stay",
			file:    "a.md",
			body:    "- [ ] todo\n",
			want:    []string{"<li>[ ] todo</li>"},
			notWant: []string{"<input"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustParse(t, Options{}, tt.file, withFrontMatter("title: T", tt.body))
			for _, w := range tt.want {
				if !strings.Contains(a.ContentHTML, w) {
					t.Errorf("ContentHTML = %q\nwant it to contain %q", a.ContentHTML, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(a.ContentHTML, w) {
					t.Errorf("ContentHTML = %q\nwant no %q", a.ContentHTML, w)
				}
			}
		})
	}
}

func TestParseSummary(t *testing.T) {
	long := strings.Repeat("数字化", 100)
	tests := []struct {
		name, file, yaml, body string
		want                   string
	}{
		{"more marker", "a.md", "", "First *part* &amp; more.\n\n<!--more-->\n\nSecond part.", "First part & more."},
		{"description wins over the marker (as in hexo-generator-feed)", "a.md", "description: this one", "First part.\n\n<!--more-->\n\nSecond part.", "this one"},
		{"more marker any spacing and case", "a.html", "", "<p>Intro</p><!--   MORE  --><p>Rest</p>", "Intro"},
		{"marker inside code does not count", "a.md", "", "`<!-- more -->` shown\n\nbody", "<!-- more --> shown body"},
		{"empty excerpt falls back", "a.html", "description: Desc", "<!-- more --><p>Body</p>", "Desc"},
		{"description", "a.html", "description: '<b>Bold</b> &amp; plain'", "<p>Body</p>", "Bold & plain"},
		{"excerpt key", "a.html", "excerpt: From excerpt", "<p>Body</p>", "From excerpt"},
		{"description before excerpt", "a.html", "excerpt: second\ndescription: first", "<p>Body</p>", "first"},
		{"content start", "a.html", "", "<p>Hello</p><script>x()</script><p>world</p>", "Hello world"},
		{"content truncated to 140", "a.html", "", "<p>" + long + "</p>", string([]rune(long)[:SummaryLen]) + "…"},
		{"empty content", "a.html", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustParse(t, Options{}, tt.file, withFrontMatter("title: T\n"+tt.yaml, tt.body))
			if a.Summary != tt.want {
				t.Errorf("Summary = %q, want %q", a.Summary, tt.want)
			}
			if n := utf8.RuneCountInString(a.Summary); n > SummaryLen+1 && tt.name == "content truncated to 140" {
				t.Errorf("Summary has %d runes", n)
			}
		})
	}
}

// One Parser serves the whole import, possibly from several goroutines.
func TestParseConcurrent(t *testing.T) {
	p := NewParser(Options{}, testPolicy)
	data := []byte(withFrontMatter("title: T\ncategories: [a, b]", "# x\n\n| a |\n|---|\n| 1 |\n\n<!-- more -->\n\ntext"))
	want, err := p.Parse("a.md", "a", data)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := p.Parse("a.md", "a", data)
				if err != nil || got.ContentHTML != want.ContentHTML || got.Summary != want.Summary {
					t.Errorf("concurrent Parse = %q, %q, %v; want %q, %q", got.ContentHTML, got.Summary, err, want.ContentHTML, want.Summary)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestSiteURLResolvesRelativeLinksAndImages(t *testing.T) {
	site, _ := url.Parse("https://blog.example.com/")
	body := `<p><img src="/images/a.png"> <img src="diagram.png"> <a href="/about/">about</a> <a href="https://x.example/">x</a></p>`
	a := mustParse(t, Options{SiteURL: site}, "post.html", withFrontMatter("title: T\nid: 2022/hello\nheadimg: cover.jpg", body))
	for _, want := range []string{
		`src="https://blog.example.com/images/a.png"`,
		`src="https://blog.example.com/2022/hello/diagram.png"`,
		`href="https://blog.example.com/about/"`,
		`href="https://x.example/"`,
	} {
		if !strings.Contains(a.ContentHTML, want) {
			t.Errorf("content lacks %s:\n%s", want, a.ContentHTML)
		}
	}
	if a.Image != "https://blog.example.com/2022/hello/cover.jpg" {
		t.Errorf("head image %q", a.Image)
	}
	plain := mustParse(t, Options{}, "post.html", withFrontMatter("title: T\nheadimg: cover.jpg", body))
	if !strings.Contains(plain.ContentHTML, `src="/images/a.png"`) || plain.Image != "" {
		t.Errorf("without a site URL: image %q, content %s", plain.Image, plain.ContentHTML)
	}
}
