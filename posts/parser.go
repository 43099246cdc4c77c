package posts

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/yuin/goldmark"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/sanitize"
)

// SummaryLen is how many characters of the content make the summary of a
// post that has no excerpt marker and no description.
const SummaryLen = 140

// Options adjust how posts are read.
type Options struct {
	Location       *time.Location // zone for dates written without one; nil = UTC
	FlatCategories bool           // read a plain list as sibling categories instead of one hierarchy
	// SiteURL is where the posts were published (Hexo's url setting), if
	// known. Relative links and images in a post, and a relative head
	// image, are resolved against SiteURL/<key>/ (root-relative ones thus
	// against the site), so they load in feed readers. Nil leaves them.
	SiteURL *url.URL
}

// Parser reads post files. It is safe for concurrent use.
type Parser struct {
	opts   Options
	policy *sanitize.Policy
	md     goldmark.Markdown
}

// NewParser returns a parser that cleans content with policy; a nil policy
// means sanitize.New().
func NewParser(opts Options, policy *sanitize.Policy) *Parser {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if policy == nil {
		policy = sanitize.New()
	}
	return &Parser{opts: opts, policy: policy, md: newMarkdown()}
}

// Parse reads one post. slug is the post's slug as Hexo derives it: the
// file path relative to the imported directory, without extension,
// "/"-separated (the caller computes it; see Slug). name is the file path
// for error messages, and its extension picks the renderer: .md and
// .markdown are Markdown, anything else is HTML already. A post without a
// date is an error; ParseWithModTime falls back to the file's time as Hexo
// does.
func (p *Parser) Parse(name, slug string, data []byte) (feedrelay.Article, error) {
	return p.ParseWithModTime(name, slug, data, time.Time{})
}

// ParseWithModTime is Parse for a caller that knows the file's modification
// time: a post whose front matter has no date is published at modTime.
// (Hexo also defaults updated to the file time; here a missing updated is
// the published time, so touching files does not make every post new.)
// A zero modTime makes a missing date an error, as in Parse.
//
// Errors start with the file name: post "a.md": parse date "Tues": ....
// A post that fails Article.Validate returns its *feedrelay.FieldError,
// wrapped.
func (p *Parser) ParseWithModTime(name, slug string, data []byte, modTime time.Time) (feedrelay.Article, error) {
	a, err := p.parse(name, slug, data, modTime)
	if err != nil {
		return feedrelay.Article{}, fmt.Errorf("post %q: %w", name, err)
	}
	return a, nil
}

func (p *Parser) parse(name, slug string, data []byte, modTime time.Time) (feedrelay.Article, error) {
	raw, err := splitFrontMatter(data)
	if err != nil {
		return feedrelay.Article{}, err
	}
	var fm frontMatter
	if err := decodeFrontMatter(raw, &fm); err != nil {
		return feedrelay.Article{}, err
	}

	a := feedrelay.Article{
		Author:   string(fm.Author),
		Comments: !fm.Comments.set || fm.Comments.value, // Hexo's default is on
	}
	// Feeds need a title; Hexo allows none and shows the slug instead.
	if a.Title = strings.Join(strings.Fields(fm.Title), " "); a.Title == "" && slug != "" {
		a.Title = path.Base(slug)
	}

	if a.Published, err = p.date("date", fm.Date, modTime); err != nil {
		return feedrelay.Article{}, err
	}
	if a.Updated, err = p.date("updated", fm.Updated, a.Published); err != nil {
		return feedrelay.Article{}, err
	}

	if a.Categories, err = categories(&fm.Categories, p.opts.FlatCategories); err != nil {
		return feedrelay.Article{}, err
	}
	if a.Tags, err = tags(&fm.Tags); err != nil {
		return feedrelay.Article{}, err
	}

	key, from := deriveKey(fm.ID, fm.Permalink, slug)
	a.Key = key
	a.GUID = feedrelay.GUIDForKey(key)
	base := p.postBase(key)

	a.Image = firstImage(resolveAll(base, fm.HeadImg, fm.Cover, fm.Banner, fm.Thumbnail)...)
	if a.Thumbnail = firstImage(resolveAll(base, fm.Thumbnail)...); a.Thumbnail == "" {
		a.Thumbnail = a.Image
	}

	if a.ContentHTML, a.Summary, err = p.content(name, raw.body, fm.Description, fm.Excerpt); err != nil {
		return feedrelay.Article{}, err
	}
	a.ContentHTML = sanitize.ResolveURLs(a.ContentHTML, base)
	// Link stays empty: an imported post lives here, at /articles/{key},
	// even when its permalink names the site it came from.

	if err := a.Validate(); err != nil {
		var fe *feedrelay.FieldError
		if errors.As(err, &fe) && fe.Field == "id" && from != "slug" {
			return feedrelay.Article{}, fmt.Errorf("key %q from %s: %w", key, from, err)
		}
		return feedrelay.Article{}, err
	}
	return a, nil
}
