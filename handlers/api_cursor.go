package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/feedrelay/feedrelay"
)

// apiCursorArticle is an article of the cursor API: the article API's
// shape plus the article's cursor.
type apiCursorArticle struct {
	apiArticle
	Cursor string `json:"cursor"`
}

// apiCursorPage is one answer of GET /api/v1/articles.
type apiCursorPage struct {
	Articles []apiCursorArticle `json:"articles"`
	// NextCursor is what to send as ?after= next time: the last article's
	// cursor, or the request's own when nothing new came.
	NextCursor string `json:"next_cursor"`
}

// apiArticlesAfter serves GET /api/v1/articles, the cursor API for bots
// and other pollers that must see every article exactly once, in the order
// they were stored (not by publication date, which upstreams get wrong):
//
//	?after=CURSOR   resume after this cursor (a next_cursor or an article's
//	                cursor); empty: from the first article; "latest": from
//	                now on (no articles, next_cursor is the newest cursor;
//	                with wait, the articles stored during the wait)
//	?category=PATH  only articles in this category or below it: the path of
//	                its /categories/PATH/ URL (escaped or not), its names
//	                joined by "/", or its display path ("A > B"), so a root
//	                category's name works too
//	?limit=N        at most N articles (default 50, at most MaxLimit)
//	?wait=30s       when nothing is new, hold the request until something
//	                is stored, at most this long ("30s" or seconds: "30";
//	                at most 60s, longer waits are served as 60s)
//
// Deleted articles leave gaps in the cursors, which is fine: cursors only
// order. The answer is never cached (Cache-Control: no-store).
func (s *Server) apiArticlesAfter(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	q := c.QueryParams()
	ctx := c.Request().Context()
	rawAfter := strings.TrimSpace(q.Get("after"))
	latest := rawAfter == "latest"
	var after feedrelay.Cursor
	var err error
	if !latest {
		if after, err = feedrelay.ParseCursor(rawAfter); err != nil {
			return &feedrelay.FieldError{Field: "after", Reason: fmt.Sprintf(
				"after must be a cursor this API returned (next_cursor or an article's cursor), \"latest\" or empty, not %q", rawAfter)}
		}
	}
	catID, err := s.cursorCategory(q.Get("category"))
	if err != nil {
		return err
	}
	limit := min(50, s.cfg.MaxLimit)
	if raw := q.Get("limit"); raw != "" {
		if limit, err = s.limit(raw); err != nil {
			return err
		}
	}
	wait, err := parseWait(q.Get("wait"))
	if err != nil {
		return err
	}
	if c.Request().Method == http.MethodHead {
		wait = 0 // nobody waits for headers
	}
	if latest {
		if after, err = s.store.LastCursor(ctx); err != nil {
			return err
		}
	} else if after > 0 {
		// A cursor past the newest article comes from another (or a
		// restored) database: waiting on it would silently skip what is
		// stored until the sequence catches up.
		last, err := s.store.LastCursor(ctx)
		if err != nil {
			return err
		}
		if after > last {
			return &feedrelay.FieldError{Field: "after", Reason: fmt.Sprintf(
				"cursor %s is ahead of the newest article (%s): it is not from this database; start again with after=latest or an empty after", rawAfter, last)}
		}
	}
	var list []feedrelay.Article
	if !latest || wait > 0 {
		if list, err = s.articlesAfter(ctx, after, catID, limit, wait); err != nil {
			return err
		}
	}
	page := apiCursorPage{Articles: make([]apiCursorArticle, 0, len(list)), NextCursor: after.String()}
	for _, a := range list {
		page.Articles = append(page.Articles, apiCursorArticle{apiArticle: s.toAPI(a), Cursor: a.Seq.String()})
		page.NextCursor = a.Seq.String()
	}
	return c.JSON(http.StatusOK, page)
}

// cursorCategory finds ?category= in the snapshot: by slug path first,
// then by names joined with "/", then by display path; 0 when empty.
func (s *Server) cursorCategory(raw string) (int64, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return feedrelay.AllArticles, nil
	}
	if cat, err := s.lookupCategory(raw); err == nil {
		return cat.ID, nil
	}
	snap := s.snap.Load()
	if names := strings.Split(strings.Trim(raw, "/"), "/"); len(names) > 0 {
		segs := make([]string, len(names))
		for i, n := range names {
			segs[i] = url.PathEscape(feedrelay.Slugize(strings.TrimSpace(n)))
		}
		if cat, ok := snap.bySlug[strings.Join(segs, "/")]; ok {
			return cat.ID, nil
		}
	}
	for _, cat := range snap.categories {
		if cat.Path.String() == raw {
			return cat.ID, nil
		}
	}
	return 0, &categoryNotFound{raw: raw}
}

// parseWait reads ?wait=: a Go duration ("30s", "1m") or seconds ("30",
// "2.5"); 0 when empty; at most maxWait.
func parseWait(raw string) (time.Duration, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(raw)
	if err != nil {
		secs, ferr := strconv.ParseFloat(raw, 64)
		if ferr != nil || math.IsNaN(secs) || math.IsInf(secs, 0) {
			return 0, &feedrelay.FieldError{Field: "wait", Reason: fmt.Sprintf(
				"wait must be a duration like 30s or a number of seconds, at most 60s, not %q", raw)}
		}
		d = time.Duration(min(secs, maxWait.Seconds()) * float64(time.Second))
	}
	if d < 0 {
		return 0, &feedrelay.FieldError{Field: "wait", Reason: fmt.Sprintf("wait must not be negative, not %q", raw)}
	}
	return min(d, maxWait), nil
}

// Helpers shared by the admin APIs (sources, relays).

// decodeBody reads the request body into v as decodeArticle does: at most
// MaxBodyBytes, no unknown fields, one JSON object.
func (s *Server) decodeBody(c echo.Context, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, s.cfg.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", s.cfg.MaxBodyBytes))
	}
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "read request body: "+err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return echo.NewHTTPError(http.StatusBadRequest, "request body must hold one JSON object")
	}
	return nil
}

// parseCategories reads "categories": each a string (one level) or an
// array of strings (root first).
func parseCategories(raws []json.RawMessage) ([]feedrelay.CategoryPath, error) {
	var out []feedrelay.CategoryPath
	for _, raw := range raws {
		var c apiCategory
		if err := c.UnmarshalJSON(raw); err != nil {
			return nil, &feedrelay.FieldError{Field: "categories", Reason: err.Error()}
		}
		out = append(out, feedrelay.CategoryPath(c))
	}
	return out, nil
}

// parseDurationJSON reads a duration field: a Go duration string ("15m")
// or a number of seconds (900 or "900"); 0 (the default) when absent.
func parseDurationJSON(raw json.RawMessage, field, bounds string) (time.Duration, error) {
	bad := &feedrelay.FieldError{Field: field, Reason: fmt.Sprintf(
		"%s must be a duration like \"15m\" or a number of seconds, %s, not %s", field, bounds, raw)}
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var str string
	if err := json.Unmarshal(raw, &str); err == nil {
		str = strings.TrimSpace(str)
		if d, err := time.ParseDuration(str); err == nil {
			return d, nil
		}
		raw = json.RawMessage(str)
	}
	var secs float64
	if err := json.Unmarshal(raw, &secs); err != nil || secs < 0 || secs > 1<<32 {
		return 0, bad
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// renameFields gives the domain's field names their JSON names.
func renameFields(err error) error {
	var fe *feedrelay.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	names := map[string]string{"rules.include": "include", "rules.exclude": "exclude", "rules": "include", "rate": "rate_per_minute"}
	if n, ok := names[fe.Field]; ok {
		return &feedrelay.FieldError{Field: n, Reason: fe.Reason}
	}
	return fe
}

// pathID reads the numeric :id of a route.
func pathID(c echo.Context, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, &feedrelay.FieldError{Field: "id", Reason: fmt.Sprintf("a %s id is a whole number from 1, not %q", what, c.Param("id"))}
	}
	return id, nil
}

// notFoundAs turns ErrNotFound into a 404 that says what was not found.
func notFoundAs(err error, msg string) error {
	if isNotFound(err) {
		return echo.NewHTTPError(http.StatusNotFound, msg)
	}
	return err
}

// timeOrNull is RFC 3339 in UTC, or null for the zero time.
func timeOrNull(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func pathsOut(paths []feedrelay.CategoryPath) [][]string {
	out := make([][]string, 0, len(paths))
	for _, p := range paths {
		out = append(out, p)
	}
	return out
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// categoryNotFound is a 404 that names the parameter, like the 400s do.
type categoryNotFound struct{ raw string }

func (e *categoryNotFound) Error() string {
	return fmt.Sprintf("unknown category %q: give its path as in /categories/<path>/ URLs or a root category's name", e.raw)
}
