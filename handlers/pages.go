package handlers

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/sanitize"
)

//go:embed templates/*.html
var templateFiles embed.FS

func parseTemplates() (*template.Template, error) {
	return template.New("pages").ParseFS(templateFiles, "templates/*.html")
}

// pageFeed is one <link rel="alternate"> autodiscovery entry (and visible link).
type pageFeed struct {
	// TypeAttr is the whole type="..." attribute: html/template would
	// write the "+" of application/rss+xml as &#43;, which naive
	// autodiscovery code (regular expressions over the page) misses.
	TypeAttr          template.HTMLAttr
	Title, URL, Label string
}

type pageLink struct{ Name, URL string }

type pageArticle struct {
	Title, URL, Date, Author, Summary string
}

type pageData struct {
	Site, Base, Title, Lang string
	Feeds                   []pageFeed
}

// feedLinks lists the three feeds of a page: pageURL is the category page
// (ending in "/") or the site root.
func feedLinks(pageURL, title string) []pageFeed {
	out := make([]pageFeed, len(feedFormats))
	for i, f := range feedFormats {
		ct, _, _ := strings.Cut(f.contentType, ";")
		out[i] = pageFeed{TypeAttr: template.HTMLAttr(`type="` + ct + `"`), Title: title + " (" + f.name + ")", URL: pageURL + "feed." + f.ext, Label: f.name}
	}
	return out
}

func (s *Server) pageArticles(list []feedrelay.Article) []pageArticle {
	out := make([]pageArticle, len(list))
	for i := range list {
		a := &list[i]
		out[i] = pageArticle{Title: a.Title, URL: a.URL(s.cfg.BaseURL), Date: a.Published.Format("2006-01-02 15:04"),
			Author: a.Author, Summary: a.Summary}
	}
	return out
}

func (s *Server) renderPage(c echo.Context, name string, data any) error {
	var buf bytes.Buffer
	if err := s.templates.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=60")
	// Defence in depth behind the sanitizer: pages run no script at all,
	// and images may come from anywhere (mirrored posts hotlink them).
	h.Set("Content-Security-Policy", "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; media-src *; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

func (s *Server) indexPage(c echo.Context) error {
	snap := s.snap.Load()
	list, err := s.store.Articles(c.Request().Context(), feedrelay.ArticleQuery{Limit: 20})
	if err != nil {
		return err
	}
	type catRow struct {
		Name, URL string
		Count     int
		Indent    int
		Feeds     []pageFeed
	}
	rows := make([]catRow, len(snap.categories))
	for i, cat := range snap.categories {
		u := feedrelay.CategoryURL(s.cfg.BaseURL, cat.Path)
		rows[i] = catRow{Name: cat.Name, URL: u, Count: cat.Count, Indent: 1 * (cat.Depth() - 1), Feeds: feedLinks(u, cat.Path.String())}
	}
	return s.renderPage(c, "index", struct {
		pageData
		Categories []catRow
		Articles   []pageArticle
	}{
		pageData:   pageData{Site: s.cfg.SiteTitle, Base: s.cfg.BaseURL, Title: s.cfg.SiteTitle, Lang: s.cfg.Language, Feeds: feedLinks(s.cfg.BaseURL+"/", s.cfg.SiteTitle)},
		Categories: rows,
		Articles:   s.pageArticles(list),
	})
}

const categoryPageSize = 50

func (s *Server) categoryPage(c echo.Context, cat feedrelay.Category) error {
	page := 1
	if p := c.QueryParam("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return &feedrelay.FieldError{Field: "page", Reason: "page must be a whole number from 1 up"}
		}
		page = n
	}
	list, err := s.store.Articles(c.Request().Context(), feedrelay.ArticleQuery{CategoryID: cat.ID, Limit: categoryPageSize, Offset: (page - 1) * categoryPageSize})
	if err != nil {
		return err
	}
	u := feedrelay.CategoryURL(s.cfg.BaseURL, cat.Path)
	var prev, next string
	if page > 1 {
		prev = u + "?page=" + strconv.Itoa(page-1)
	}
	if page*categoryPageSize < cat.Count {
		next = u + "?page=" + strconv.Itoa(page+1)
	}
	return s.renderPage(c, "category", struct {
		pageData
		Heading          string
		Crumbs           []pageLink
		Count            int
		Articles         []pageArticle
		PrevURL, NextURL string
	}{
		pageData: pageData{Site: s.cfg.SiteTitle, Base: s.cfg.BaseURL, Title: cat.Path.String() + " · " + s.cfg.SiteTitle,
			Lang: s.cfg.Language, Feeds: feedLinks(u, s.cfg.SiteTitle+" · "+cat.Path.String())},
		Heading:  cat.Name,
		Crumbs:   s.crumbs(cat.Path),
		Count:    cat.Count,
		Articles: s.pageArticles(list),
		PrevURL:  prev, NextURL: next,
	})
}

// crumbs links every level of a category path.
func (s *Server) crumbs(p feedrelay.CategoryPath) []pageLink {
	out := make([]pageLink, 0, len(p))
	for _, l := range p.Levels() {
		out = append(out, pageLink{Name: l[len(l)-1], URL: feedrelay.CategoryURL(s.cfg.BaseURL, l)})
	}
	return out
}

// articleKey reads the article key from the escaped request path below
// prefix (/articles/{key}, /api/v1/articles/{key}); a key may hold "/".
func articleKey(c echo.Context, prefix string) (string, error) {
	segs, ok := feedrelay.UnescapeSegments(strings.TrimPrefix(c.Request().URL.EscapedPath(), prefix))
	if !ok {
		return "", echo.NewHTTPError(http.StatusNotFound, "unknown article")
	}
	return strings.Join(segs, "/"), nil
}

func (s *Server) articlePage(c echo.Context) error {
	key, err := articleKey(c, "/articles/")
	if err != nil {
		return err
	}
	a, err := s.store.ArticleByKey(c.Request().Context(), key)
	if err != nil {
		if isNotFound(err) {
			return echo.NewHTTPError(http.StatusNotFound, "unknown article")
		}
		return err
	}
	feedsOf := feedLinks(s.cfg.BaseURL+"/", s.cfg.SiteTitle)
	var crumbs []pageLink
	for _, p := range a.Categories {
		crumbs = append(crumbs, s.crumbs(p)...)
		feedsOf = append(feedsOf, feedLinks(feedrelay.CategoryURL(s.cfg.BaseURL, p), s.cfg.SiteTitle+" · "+p.String())...)
	}
	var src *feedrelay.Attribution
	if !a.Source.IsZero() {
		src = &a.Source
	}
	return s.renderPage(c, "article", struct {
		pageData
		Article pageArticle
		Crumbs  []pageLink
		Source  *feedrelay.Attribution
		Image   string
		Content template.HTML
		Tags    []string
	}{
		pageData: pageData{Site: s.cfg.SiteTitle, Base: s.cfg.BaseURL, Title: a.Title + " · " + s.cfg.SiteTitle, Lang: s.cfg.Language, Feeds: feedsOf},
		Article:  s.pageArticles([]feedrelay.Article{a})[0],
		Crumbs:   crumbs,
		Source:   src,
		Image:    imageUnlessInContent(a),
		// ContentHTML went through the sanitize policy when it was stored;
		// balanced here so it cannot close or leave open the page's own
		// elements.
		Content: template.HTML(sanitize.Balance(a.ContentHTML)),
		Tags:    a.Tags,
	})
}

// imageUnlessInContent shows the head image above the text unless the body
// already starts with it (mirrored posts often repeat it).
func imageUnlessInContent(a feedrelay.Article) string {
	if a.Image == "" || strings.Contains(a.ContentHTML, a.Image) {
		return ""
	}
	return a.Image
}
