package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/feeds"
)

// feedFormat is one of the three feed document types.
type feedFormat struct {
	ext         string // file extension in the URL: feed.<ext>
	file        string // "/feed.<ext>", the end of every feed URL of this format
	name        string // for people: "RSS"
	contentType string
	render      func(feeds.Meta, []feedrelay.Article) ([]byte, error)
}

var feedFormats = []feedFormat{
	{"rss", "/feed.rss", "RSS", "application/rss+xml; charset=utf-8", feeds.RSS},
	{"atom", "/feed.atom", "Atom", "application/atom+xml; charset=utf-8", feeds.Atom},
	{"json", "/feed.json", "JSON Feed", "application/feed+json; charset=utf-8", feeds.JSON},
}

// serveFeed serves the all-articles feed in format f.
func (s *Server) serveFeed(f feedFormat) echo.HandlerFunc {
	return func(c echo.Context) error {
		return s.feed(c, f, nil)
	}
}

// categoryRoute dispatches /categories/{path}/feed.{ext} to the feed and
// /categories/{path}/ to the HTML page. {path} is the category's levels,
// each percent-encoded (raw UTF-8 is accepted too).
func (s *Server) categoryRoute(c echo.Context) error {
	escaped := c.Request().URL.EscapedPath()
	if f, cat, ok, err := s.matchFeed(escaped); ok {
		if err != nil {
			return err
		}
		return s.feed(c, f, cat)
	}
	rest := strings.TrimPrefix(escaped, "/categories/")
	if !strings.HasSuffix(rest, "/") {
		if _, err := s.lookupCategory(rest); err != nil {
			return err
		}
		return c.Redirect(http.StatusMovedPermanently, "/categories/"+rest+"/")
	}
	cat, err := s.lookupCategory(rest)
	if err != nil {
		return err
	}
	return s.categoryPage(c, cat)
}

// matchFeed recognises a feed URL by its escaped path: /feed.{ext} (cat is
// nil) or /categories/{path}/feed.{ext}. ok says the path has a feed's
// shape; err is then set when the category does not exist.
func (s *Server) matchFeed(escapedPath string) (f feedFormat, cat *feedrelay.Category, ok bool, err error) {
	// Runs on every request the fast path sees: no string is built here.
	rest, inCategory := strings.CutPrefix(escapedPath, "/categories/")
	for _, f := range feedFormats {
		if !inCategory {
			if escapedPath == f.file {
				return f, nil, true, nil
			}
			continue
		}
		if slugPart, isFeed := strings.CutSuffix(rest, f.file); isFeed {
			c, err := s.lookupCategory(slugPart)
			if err != nil {
				return f, nil, true, err
			}
			return f, &c, true, nil
		}
	}
	return feedFormat{}, nil, false, nil
}

func (s *Server) lookupCategory(escaped string) (feedrelay.Category, error) {
	bySlug := s.snap.Load().bySlug
	// Links we hand out use the canonical form, so most requests match it
	// as they are, without unescaping and re-escaping every level.
	if cat, ok := bySlug[strings.Trim(escaped, "/")]; ok {
		return cat, nil
	}
	slug, ok := feedrelay.ParseSlugPath(escaped)
	if !ok {
		return feedrelay.Category{}, echo.NewHTTPError(http.StatusNotFound, "unknown category")
	}
	cat, ok := bySlug[slug]
	if !ok {
		return feedrelay.Category{}, echo.NewHTTPError(http.StatusNotFound, "unknown category")
	}
	return cat, nil
}

// feed answers one feed request over net/http (echo).
func (s *Server) feed(c echo.Context, f feedFormat, cat *feedrelay.Category) error {
	limit, err := s.limit(c.QueryParam("limit"))
	if err != nil {
		return err
	}
	r, err := s.rendered(c.Request().Context(), f, cat, limit)
	if err != nil {
		return err
	}
	return writeRendered(c, r)
}

// rendered returns the feed from the cache, rendering it first if its
// content changed since it was last rendered. Concurrent misses for the same
// feed render it once (singleflight).
func (s *Server) rendered(ctx context.Context, f feedFormat, cat *feedrelay.Category, limit int) (*renderedFeed, error) {
	catID := feedrelay.AllArticles
	if cat != nil {
		catID = cat.ID
	}
	ver := s.snap.Load().versions[catID]
	key := feedKey{category: catID, format: f.ext, limit: limit}
	if r := s.cache.get(key); r != nil && r.version == ver.Version {
		return r, nil
	}
	sfKey := fmt.Sprintf("%d/%s/%d/%d", catID, f.ext, limit, ver.Version)
	v, err, _ := s.renders.Do(sfKey, func() (any, error) {
		if r := s.cache.get(key); r != nil && r.version == ver.Version {
			return r, nil
		}
		// Detached from the request: other waiters share this render.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		r, err := s.render(rctx, f, cat, limit, ver)
		if err != nil {
			return nil, err
		}
		s.cache.put(key, r)
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*renderedFeed), nil
}

func (s *Server) render(ctx context.Context, f feedFormat, cat *feedrelay.Category, limit int, ver feedrelay.FeedVersion) (*renderedFeed, error) {
	q := feedrelay.ArticleQuery{Limit: limit}
	meta := feeds.Meta{
		Title:       s.cfg.SiteTitle,
		Description: s.cfg.SiteDescription,
		Language:    s.cfg.Language,
		BaseURL:     s.cfg.BaseURL,
		SelfURL:     s.cfg.BaseURL + f.file,
		PageURL:     s.cfg.BaseURL + "/",
		Generator:   "feedrelay " + s.cfg.Version,
		// The store cleans text on write (Article.Clean).
		ContentIsClean: true,
	}
	if cat != nil {
		q.CategoryID = cat.ID
		meta.Title = s.cfg.SiteTitle + " · " + cat.Path.String()
		meta.PageURL = feedrelay.CategoryURL(s.cfg.BaseURL, cat.Path)
		meta.SelfURL = meta.PageURL + "feed." + f.ext
		if meta.Description == "" {
			meta.Description = cat.Path.String()
		}
	}
	if meta.Description == "" {
		meta.Description = "Articles from " + s.cfg.SiteTitle
	}
	items, err := s.store.Articles(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("render %s feed: %w", f.ext, err)
	}
	for i := range items {
		if m := items[i].Modified(); m.After(meta.Updated) {
			meta.Updated = m
		}
	}
	body, err := f.render(meta, items)
	if err != nil {
		return nil, fmt.Errorf("render %s feed: %w", f.ext, err)
	}
	// Last-Modified is when an article in the feed last changed, but never
	// earlier than this process's start: a restart with another base URL,
	// title or limit changes the bytes without a write, and clients that
	// only send If-Modified-Since must not be told 304 for them.
	lastMod := ver.Changed
	if lastMod.Before(s.started) {
		lastMod = s.started
	}
	return newRendered(ver.Version, body, f.contentType, lastMod, s.cacheControl(), &s.gzips), nil
}

func (s *Server) cacheControl() string {
	return "public, max-age=" + strconv.Itoa(int(s.cfg.CacheMaxAge/time.Second))
}

// limit reads ?limit=N: a whole number from 1 up; values above MaxLimit are
// served as MaxLimit.
func (s *Server) limit(raw string) (int, error) {
	if raw == "" {
		return s.cfg.DefaultLimit, nil
	}
	n, err := strconv.Atoi(raw)
	if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(raw, "-") {
		return s.cfg.MaxLimit, nil // a huge number is still "as many as you serve"
	}
	if err != nil || n < 1 {
		return 0, &feedrelay.FieldError{Field: "limit", Reason: fmt.Sprintf("limit must be a whole number from 1 to %d, not %q", s.cfg.MaxLimit, raw)}
	}
	return min(n, s.cfg.MaxLimit), nil
}
