package posts

import (
	"net/url"
	"strings"

	"github.com/feedrelay/feedrelay"
)

// firstImage returns the first candidate usable as a feed image. Feeds
// need absolute URLs and Parse knows no site address, so a relative path
// ("/images/a.jpg", an asset-folder "cover.jpg") is skipped rather than
// failing the whole post; a protocol-relative "//cdn/a.jpg" becomes https.
func firstImage(candidates ...string) string {
	for _, c := range candidates {
		c = strings.TrimSpace(c)
		if strings.HasPrefix(c, "//") {
			c = "https:" + c
		}
		u, err := url.Parse(c)
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return c
		}
	}
	return ""
}

// postBase is the URL relative references in a post resolve against:
// SiteURL/<key>/, or nil without a SiteURL.
func (p *Parser) postBase(key string) *url.URL {
	if p.opts.SiteURL == nil {
		return nil
	}
	ref, err := url.Parse(feedrelay.EscapeKeyPath(key) + "/")
	if err != nil {
		return nil
	}
	site := *p.opts.SiteURL
	if !strings.HasSuffix(site.Path, "/") {
		site.Path += "/"
	}
	return site.ResolveReference(ref)
}

// resolveAll resolves each non-empty relative candidate against base.
func resolveAll(base *url.URL, candidates ...string) []string {
	if base == nil {
		return candidates
	}
	out := make([]string, len(candidates))
	for i, c := range candidates {
		c = strings.TrimSpace(c)
		if u, err := url.Parse(c); err == nil && c != "" && !u.IsAbs() && !strings.HasPrefix(c, "//") {
			c = base.ResolveReference(u).String()
		}
		out[i] = c
	}
	return out
}
