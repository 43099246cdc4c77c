// Package handlers serves feeds, HTML pages and the JSON API over HTTP with
// echo v4: conditional GET, gzip and an in-memory cache of rendered feeds.
package handlers

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/singleflight"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/sanitize"
)

// Store is what the HTTP layer needs from storage. main passes the real
// SQLite store; tests open one on a temporary file.
type Store interface {
	Articles(ctx context.Context, q feedrelay.ArticleQuery) ([]feedrelay.Article, error)
	ArticleByKey(ctx context.Context, key string) (feedrelay.Article, error)
	Categories(ctx context.Context) ([]feedrelay.Category, error)
	FeedVersions(ctx context.Context) (map[int64]feedrelay.FeedVersion, int64, error)
	ChangeSeq(ctx context.Context) (int64, error)
	CreateArticle(ctx context.Context, a feedrelay.Article) (feedrelay.Article, error)
	UpdateArticle(ctx context.Context, key string, a feedrelay.Article) (feedrelay.Article, feedrelay.WriteResult, error)
	DeleteArticle(ctx context.Context, key string) error
	// ArticlesAfter and LastCursor serve the cursor API (api_cursor.go).
	ArticlesAfter(ctx context.Context, after feedrelay.Cursor, categoryID int64, limit int) ([]feedrelay.Article, error)
	LastCursor(ctx context.Context) (feedrelay.Cursor, error)
}

// Config holds the HTTP layer's settings; main fills it from flags and env.
type Config struct {
	BaseURL         string        // absolute, e.g. http://localhost:8080
	SiteTitle       string        // feed and page title
	SiteDescription string        // feed description
	Language        string        // optional feed language, e.g. zh-CN
	CacheMaxAge     time.Duration // Cache-Control max-age of feeds
	DefaultLimit    int           // items per feed without ?limit
	MaxLimit        int           // the largest ?limit honoured
	AdminToken      string        // bearer token of the write API; empty turns it off
	MaxBodyBytes    int64         // largest accepted API request body
	CacheBytes      int64         // memory budget of the rendered-feed cache
	RefreshInterval time.Duration // how often to look for writes by other processes
	Version         string        // shown in the feed generator
	Logger          *slog.Logger
	// Sources and Relays back /api/v1/sources, /sources.opml and
	// /api/v1/relays (ingest.Service and relay.Service satisfy them); nil
	// turns those routes into a 404 saying so.
	Sources SourceService
	Relays  RelayService
	// OnWrite, if set, is called after each refresh that saw the store
	// change: this server's own writes at once, other processes' within
	// RefreshInterval. main wakes the relay worker with it. It must not
	// block.
	OnWrite func()
}

func (c *Config) setDefaults() error {
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("base URL %q must be an absolute http(s) URL", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.SiteTitle == "" {
		c.SiteTitle = "feedrelay"
	}
	if c.CacheMaxAge < 0 {
		return fmt.Errorf("cache max-age %s must not be negative", c.CacheMaxAge)
	}
	if c.DefaultLimit <= 0 {
		c.DefaultLimit = 50
	}
	if c.MaxLimit <= 0 {
		c.MaxLimit = 200
	}
	if c.DefaultLimit > c.MaxLimit {
		return fmt.Errorf("default feed limit %d is above the maximum %d", c.DefaultLimit, c.MaxLimit)
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.CacheBytes <= 0 {
		c.CacheBytes = 64 << 20
	}
	if c.RefreshInterval <= 0 {
		c.RefreshInterval = time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Server is the HTTP side of feedrelay.
type Server struct {
	cfg       Config
	store     Store
	policy    *sanitize.Policy
	echo      *echo.Echo
	log       *slog.Logger
	snap      atomic.Pointer[snapshot]
	refreshMu sync.Mutex
	started   time.Time // Last-Modified is never earlier: see render
	cache     *feedCache
	renders   singleflight.Group
	gzips     gzipPool
	templates *template.Template
	stopping  chan struct{} // closed when New's ctx ends: long polls answer at once
	stopOnce  sync.Once
}

// New builds the server and loads the first snapshot of feed versions.
// ctx also bounds the server's life: when it is done, requests waiting in
// a long poll (GET /api/v1/articles?wait=) answer at once, so a graceful
// shutdown is not held up by them.
func New(ctx context.Context, cfg Config, store Store, policy *sanitize.Policy) (*Server, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: store, policy: policy, log: cfg.Logger, started: time.Now(),
		cache: newFeedCache(cfg.CacheBytes), templates: tmpl, stopping: make(chan struct{})}
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	context.AfterFunc(ctx, s.stop)
	s.echo = s.routes()
	return s, nil
}

// Handler returns the http.Handler serving every route.
func (s *Server) Handler() http.Handler { return s.echo }

func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(s.recoverPanics, s.accessLog)

	getHead := []string{http.MethodGet, http.MethodHead}
	for _, f := range feedFormats {
		e.Match(getHead, f.file, s.serveFeed(f))
	}
	e.Match(getHead, "/", s.indexPage)
	e.Match(getHead, "/categories.opml", s.categoriesOPML)
	e.Match(getHead, "/categories/*", s.categoryRoute)
	e.Match(getHead, "/articles/*", s.articlePage)
	e.Match(getHead, "/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })

	e.Match(getHead, "/sources.opml", s.sourcesOPML, s.requireAdmin)

	api := e.Group("/api/v1")
	api.Match(getHead, "/articles", s.apiArticlesAfter)
	api.Match(getHead, "/articles/*", s.apiGetArticle)
	w := api.Group("", s.requireAdmin)
	w.POST("/articles", s.apiCreateArticle)
	w.PUT("/articles/*", s.apiUpdateArticle)
	w.DELETE("/articles/*", s.apiDeleteArticle)
	s.sourceRoutes(w)
	s.relayRoutes(w)
	return e
}

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

// handleError maps error kinds to statuses in one place. API routes answer
// JSON, everything else a short plain-text line.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, body := http.StatusInternalServerError, errorBody{Error: "internal error"}
	var he *echo.HTTPError
	var fe *feedrelay.FieldError
	var cnf *categoryNotFound
	switch {
	case errors.As(err, &fe):
		status, body = http.StatusBadRequest, errorBody{Error: fe.Reason, Field: fe.Field}
	case errors.As(err, &cnf):
		status, body = http.StatusNotFound, errorBody{Error: cnf.Error(), Field: "category"}
	case errors.As(err, &he):
		status = he.Code
		body.Error = strings.ToLower(http.StatusText(he.Code))
		if m, ok := he.Message.(string); ok {
			body.Error = m
		}
	case errors.Is(err, feedrelay.ErrNotFound):
		status, body.Error = http.StatusNotFound, "not found"
	case errors.Is(err, feedrelay.ErrConflict):
		status, body.Error = http.StatusConflict, err.Error()
	case errors.Is(err, feedrelay.ErrInvalid):
		status, body.Error = http.StatusBadRequest, err.Error()
	case errors.Is(err, context.Canceled):
		return // the client went away
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="feedrelay"`)
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		c.JSON(status, body)
		return
	}
	c.String(status, body.Error+"\n")
}

func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				err = fmt.Errorf("panic serving %s: %v", c.Request().URL.Path, r)
			}
		}()
		return next(c)
	}
}

func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err) // answer now, so the status logged is the one sent
		}
		if s.log.Enabled(c.Request().Context(), slog.LevelDebug) {
			s.log.Debug("request", "method", c.Request().Method, "path", c.Request().URL.Path,
				"status", c.Response().Status, "duration", time.Since(start))
		}
		return nil
	}
}
