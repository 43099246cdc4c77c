package posts

import (
	"net/url"
	"strings"
)

// deriveKey picks the article key: the front-matter id, else the
// permalink, else the slug. It also says which one it used, for errors.
func deriveKey(id, permalink, slug string) (key, from string) {
	if id = strings.TrimSpace(id); id != "" {
		return id, "id"
	}
	if k := permalinkKey(permalink); k != "" {
		return k, "permalink"
	}
	return slug, "slug"
}

// permalinkKey turns a Hexo permalink into a key: the path of an absolute
// URL, without surrounding slashes and without the ".html" or
// "index.html" that static hosting adds, so "/2022/02/post/index.html",
// "https://old.example/2022/02/post/" and "2022/02/post.html" all give
// "2022/02/post".
func permalinkKey(p string) string {
	p = strings.TrimSpace(p)
	if u, err := url.Parse(p); err == nil {
		p = u.Path // drops scheme, host, query and fragment; decodes %XX
	}
	p = strings.Trim(p, "/")
	if p == "index.html" || strings.HasSuffix(p, "/index.html") {
		p = strings.TrimSuffix(p, "index.html")
	} else {
		p = strings.TrimSuffix(p, ".html")
	}
	return strings.Trim(p, "/")
}
