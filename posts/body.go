package posts

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"

	"github.com/feedrelay/feedrelay/sanitize"
)

// newMarkdown builds the Markdown renderer, set up like Hexo's default
// (hexo-renderer-marked): raw HTML passes through, so a .md file that is
// mostly HTML renders unchanged; GFM tables, strikethrough and autolinks;
// and a single newline is a line break (marked's breaks: true). Task-list
// checkboxes are left out because the sanitizer drops <input>, which would
// leave "[ ] item" without its box; unrendered, the brackets stay visible.
// The sanitizer runs afterwards, so raw HTML is safe to let through here.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithRendererOptions(html.WithUnsafe(), html.WithHardWraps()),
	)
}

// content returns the sanitized HTML of a post body and its plain-text
// summary: the description (or excerpt) from the front matter if set, else
// the part before <!-- more --> if there is one, else the start of the
// content.
func (p *Parser) content(name, body, description, excerpt string) (contentHTML, summary string, err error) {
	rendered, err := p.render(name, body)
	if err != nil {
		return "", "", err
	}
	before, rendered, hasExcerpt := cutExcerpt(rendered)
	contentHTML = strings.TrimSpace(p.policy.HTML(rendered))
	// The author's own description comes first, as in hexo-generator-feed;
	// then the part before <!-- more -->; then the start of the text.
	for _, s := range []string{description, excerpt} {
		if summary == "" {
			summary = sanitize.PlainText(s)
		}
	}
	if summary == "" && hasExcerpt {
		summary = sanitize.PlainText(p.policy.HTML(before))
	}
	if summary == "" {
		summary = sanitize.Summary(contentHTML, SummaryLen)
	}
	return contentHTML, summary, nil
}

// render turns a post body into HTML, not yet sanitized.
func (p *Parser) render(name, body string) (string, error) {
	if !isMarkdown(name) {
		return body, nil
	}
	var buf bytes.Buffer
	buf.Grow(len(body) + len(body)/4)
	if err := p.md.Convert([]byte(body), &buf); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return buf.String(), nil
}

// moreMarker is Hexo's excerpt marker, <!-- more -->, with any spacing.
// It is looked for in the rendered HTML, as Hexo does, so a marker inside a
// code block (rendered as &lt;!--) does not count.
var moreMarker = regexp.MustCompile(`(?i)<!--\s*more\s*-->`)

// cutExcerpt splits rendered HTML at the first excerpt marker. rest is the
// whole document without the marker.
func cutExcerpt(doc string) (excerpt, rest string, ok bool) {
	loc := moreMarker.FindStringIndex(doc)
	if loc == nil {
		return "", doc, false
	}
	return doc[:loc[0]], doc[:loc[0]] + doc[loc[1]:], true
}
