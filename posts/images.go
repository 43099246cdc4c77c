package posts

import (
	"net/url"
	"strings"
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
