package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/feedrelay/feedrelay"
)

// SourceService manages upstream sources; *ingest.Service satisfies it.
type SourceService interface {
	AddSource(ctx context.Context, src feedrelay.Source) (feedrelay.Source, feedrelay.PollResult, error)
	Sources(ctx context.Context) ([]feedrelay.Source, error)
	Source(ctx context.Context, id int64) (feedrelay.Source, error)
	UpdateSource(ctx context.Context, src feedrelay.Source) (feedrelay.Source, error)
	RemoveSource(ctx context.Context, id int64, purge bool) (int, error)
	PollSource(ctx context.Context, id int64) (feedrelay.PollResult, error)
}

// apiSourceIn is the body of POST and PUT /api/v1/sources[/:id].
type apiSourceIn struct {
	URL            string            `json:"url"`
	Title          string            `json:"title"`
	Categories     []json.RawMessage `json:"categories"`
	ItemCategories bool              `json:"item_categories"`
	Every          json.RawMessage   `json:"every"` // "15m" or seconds; default 30m
	Enabled        *bool             `json:"enabled"`
	Include        []string          `json:"include"`
	Exclude        []string          `json:"exclude"`
}

// apiSource is a source as the API shows it.
type apiSource struct {
	ID             int64          `json:"id"`
	URL            string         `json:"url"`
	Title          string         `json:"title"`      // the override, "" if none
	FeedTitle      string         `json:"feed_title"` // the upstream's own
	DisplayTitle   string         `json:"display_title"`
	SiteURL        string         `json:"site_url"`
	Categories     [][]string     `json:"categories"`
	ItemCategories bool           `json:"item_categories"`
	Every          string         `json:"every"`
	EverySeconds   int64          `json:"every_seconds"`
	Enabled        bool           `json:"enabled"`
	Include        []string       `json:"include"`
	Exclude        []string       `json:"exclude"`
	Created        *string        `json:"created"`
	State          apiSourceState `json:"state"`
}

type apiSourceState struct {
	LastAttempt     *string `json:"last_attempt"`
	LastSuccess     *string `json:"last_success"`
	LastError       string  `json:"last_error"`
	Failures        int     `json:"failures"`
	NextPoll        *string `json:"next_poll"`
	DisabledReason  string  `json:"disabled_reason"`
	HasETag         bool    `json:"has_etag"`
	HasLastModified bool    `json:"has_last_modified"`
	ItemCount       int     `json:"item_count"`
}

// apiPoll is what one poll did (POST /sources and /sources/:id/fetch).
type apiPoll struct {
	SourceID    int64           `json:"source_id"`
	URL         string          `json:"url"`
	Status      int             `json:"status"`
	NotModified bool            `json:"not_modified"`
	Items       int             `json:"items"`
	Filtered    int             `json:"filtered"`
	Duplicates  int             `json:"duplicates"`
	Skipped     int             `json:"skipped"`
	Created     []apiPolledItem `json:"created"`
	Updated     int             `json:"updated"`
	Unchanged   int             `json:"unchanged"`
	Error       string          `json:"error"` // "" when the poll worked
}

type apiPolledItem struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

func (s *Server) sourceRoutes(g *echo.Group) {
	sg := g.Group("/sources", s.needService(s.cfg.Sources == nil, "upstream sources are not configured on this server"))
	getHead := []string{http.MethodGet, http.MethodHead}
	sg.Match(getHead, "", s.apiListSources)
	sg.POST("", s.apiAddSource)
	sg.Match(getHead, "/:id", s.apiGetSource)
	sg.PUT("/:id", s.apiUpdateSource)
	sg.DELETE("/:id", s.apiRemoveSource)
	sg.POST("/:id/fetch", s.apiFetchSource)
}

// needService answers 404 with msg when the service behind a route is off.
func (s *Server) needService(off bool, msg string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if !off {
			return next
		}
		return func(echo.Context) error { return echo.NewHTTPError(http.StatusNotFound, msg) }
	}
}

func (s *Server) apiListSources(c echo.Context) error {
	list, err := s.cfg.Sources.Sources(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]apiSource, 0, len(list))
	for _, src := range list {
		out = append(out, toAPISource(src))
	}
	return c.JSON(http.StatusOK, map[string]any{"sources": out})
}

func (s *Server) apiAddSource(c echo.Context) error {
	var in apiSourceIn
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	src, err := in.source()
	if err != nil {
		return err
	}
	added, res, err := s.cfg.Sources.AddSource(c.Request().Context(), src)
	var fe *feedrelay.FieldError
	if err != nil && !errors.As(err, &fe) && errors.Is(err, feedrelay.ErrInvalid) {
		// The check fetch failed: the text says why (404, an HTML page…).
		err = &feedrelay.FieldError{Field: "url", Reason: err.Error()}
	}
	if err != nil {
		return renameFields(err)
	}
	s.afterWrite(c)
	c.Response().Header().Set("Location", s.cfg.BaseURL+"/api/v1/sources/"+strconv.FormatInt(added.ID, 10))
	return c.JSON(http.StatusCreated, map[string]any{"source": toAPISource(added), "poll": s.toAPIPoll(res)})
}

func (s *Server) apiGetSource(c echo.Context) error {
	id, err := pathID(c, "source")
	if err != nil {
		return err
	}
	src, err := s.cfg.Sources.Source(c.Request().Context(), id)
	if err != nil {
		return notFoundAs(err, fmt.Sprintf("no source with id %d", id))
	}
	return c.JSON(http.StatusOK, toAPISource(src))
}

func (s *Server) apiUpdateSource(c echo.Context) error {
	id, err := pathID(c, "source")
	if err != nil {
		return err
	}
	var in apiSourceIn
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	src, err := in.source()
	if err != nil {
		return err
	}
	src.ID = id
	updated, err := s.cfg.Sources.UpdateSource(c.Request().Context(), src)
	if err != nil {
		return notFoundAs(renameFields(err), fmt.Sprintf("no source with id %d", id))
	}
	s.afterWrite(c)
	return c.JSON(http.StatusOK, toAPISource(updated))
}

func (s *Server) apiRemoveSource(c echo.Context) error {
	id, err := pathID(c, "source")
	if err != nil {
		return err
	}
	purge := false
	if raw := c.QueryParam("purge"); raw != "" {
		if purge, err = strconv.ParseBool(raw); err != nil {
			return &feedrelay.FieldError{Field: "purge", Reason: fmt.Sprintf("purge must be true or false, not %q", raw)}
		}
	}
	n, err := s.cfg.Sources.RemoveSource(c.Request().Context(), id, purge)
	if err != nil {
		return notFoundAs(err, fmt.Sprintf("no source with id %d", id))
	}
	s.afterWrite(c)
	c.Response().Header().Set("X-Purged-Articles", strconv.Itoa(n))
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) apiFetchSource(c echo.Context) error {
	id, err := pathID(c, "source")
	if err != nil {
		return err
	}
	res, err := s.cfg.Sources.PollSource(c.Request().Context(), id)
	if err != nil {
		return notFoundAs(err, fmt.Sprintf("no source with id %d", id))
	}
	s.afterWrite(c)
	return c.JSON(http.StatusOK, s.toAPIPoll(res))
}

func (in apiSourceIn) source() (feedrelay.Source, error) {
	src := feedrelay.Source{URL: strings.TrimSpace(in.URL), Title: strings.TrimSpace(in.Title),
		ItemCategories: in.ItemCategories, Enabled: in.Enabled == nil || *in.Enabled,
		Rules: feedrelay.Rules{Include: in.Include, Exclude: in.Exclude}}
	var err error
	if src.Categories, err = parseCategories(in.Categories); err != nil {
		return src, err
	}
	src.Interval, err = parseDurationJSON(in.Every, "every", "from 1m to 168h")
	return src, err
}

func toAPISource(src feedrelay.Source) apiSource {
	st := src.State
	return apiSource{ID: src.ID, URL: src.URL, Title: src.Title, FeedTitle: st.FeedTitle, DisplayTitle: src.DisplayTitle(),
		SiteURL: st.SiteURL, Categories: pathsOut(src.Categories), ItemCategories: src.ItemCategories,
		Every: src.Interval.String(), EverySeconds: int64(src.Interval / time.Second), Enabled: src.Enabled,
		Include: nonNil(src.Rules.Include), Exclude: nonNil(src.Rules.Exclude), Created: timeOrNull(src.Created),
		State: apiSourceState{LastAttempt: timeOrNull(st.LastAttempt), LastSuccess: timeOrNull(st.LastSuccess),
			LastError: st.LastError, Failures: st.Failures, NextPoll: timeOrNull(st.NextPoll),
			DisabledReason: st.DisabledReason, HasETag: st.ETag != "", HasLastModified: st.LastModified != "",
			ItemCount: st.ItemCount}}
}

func (s *Server) toAPIPoll(r feedrelay.PollResult) apiPoll {
	out := apiPoll{SourceID: r.SourceID, URL: r.URL, Status: r.Status, NotModified: r.NotModified, Items: r.Items,
		Filtered: r.Filtered, Duplicates: r.Duplicates, Skipped: r.Skipped, Created: make([]apiPolledItem, 0, len(r.Created)), Updated: r.Updated, Unchanged: r.Unchanged}
	for _, a := range r.Created {
		out.Created = append(out.Created, apiPolledItem{ID: a.Key, Title: a.Title, URL: a.URL(s.cfg.BaseURL)})
	}
	if r.Err != nil {
		out.Error = r.Err.Error()
	}
	return out
}
