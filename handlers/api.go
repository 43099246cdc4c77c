package handlers

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/sanitize"
)

// apiArticle is the JSON shape of an article in the API, in and out.
type apiArticle struct {
	ID          string          `json:"id"`
	GUID        string          `json:"guid,omitempty"`
	URL         string          `json:"url,omitempty"` // output only: where the article is read
	Title       string          `json:"title"`
	Author      string          `json:"author,omitempty"`
	Summary     string          `json:"summary,omitempty"`
	ContentHTML string          `json:"content_html,omitempty"`
	Link        string          `json:"link,omitempty"`
	Image       string          `json:"image,omitempty"`
	Thumbnail   string          `json:"thumbnail,omitempty"`
	Published   *string         `json:"published,omitempty"` // RFC 3339
	Updated     *string         `json:"updated,omitempty"`   // RFC 3339
	Comments    *bool           `json:"comments,omitempty"`
	Categories  []apiCategory   `json:"categories,omitempty"`
	Tags        []string        `json:"tags,omitempty"`
	Source      *apiAttribution `json:"source,omitempty"`
}

type apiAttribution struct {
	Title          string `json:"title,omitempty"`
	URL            string `json:"url,omitempty"`
	OriginalLink   string `json:"original_link,omitempty"`
	OriginalAuthor string `json:"original_author,omitempty"`
}

// apiCategory accepts a string (one level) or an array of strings (one
// hierarchy, root first) and always writes the array form.
type apiCategory feedrelay.CategoryPath

func (c *apiCategory) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*c = apiCategory{one}
		return nil
	}
	var path []string
	if err := json.Unmarshal(b, &path); err != nil {
		return errors.New("a category is a string or an array of strings (root first)")
	}
	*c = path
	return nil
}

func (s *Server) toAPI(a feedrelay.Article) apiArticle {
	out := apiArticle{ID: a.Key, GUID: a.GUID, URL: a.URL(s.cfg.BaseURL), Title: a.Title, Author: a.Author,
		Summary: a.Summary, ContentHTML: a.ContentHTML, Link: a.Link, Image: a.Image, Thumbnail: a.Thumbnail,
		Published: formatAPITime(a.Published), Updated: formatAPITime(a.Updated), Comments: &a.Comments, Tags: a.Tags}
	for _, p := range a.Categories {
		out.Categories = append(out.Categories, apiCategory(p))
	}
	if !a.Source.IsZero() {
		out.Source = &apiAttribution{a.Source.Title, a.Source.URL, a.Source.OriginalLink, a.Source.OriginalAuthor}
	}
	return out
}

// fromAPI turns request JSON into an article: HTML from outside goes
// through the one sanitize policy and a missing summary is derived from the
// content, exactly as for imported posts.
func fromAPI(in apiArticle, policy *sanitize.Policy, now time.Time) (feedrelay.Article, error) {
	a := feedrelay.Article{Key: strings.TrimSpace(in.ID), GUID: strings.TrimSpace(in.GUID), Title: strings.TrimSpace(in.Title),
		Author: in.Author, Summary: strings.TrimSpace(in.Summary), ContentHTML: policy.HTML(in.ContentHTML), Link: in.Link,
		Image: in.Image, Thumbnail: in.Thumbnail, Comments: true, Tags: in.Tags}
	var err error
	a.Published = now
	if in.Published != nil {
		if a.Published, err = parseAPITime("published", *in.Published); err != nil {
			return a, err
		}
	}
	if in.Updated != nil {
		if a.Updated, err = parseAPITime("updated", *in.Updated); err != nil {
			return a, err
		}
	}
	if in.Comments != nil {
		a.Comments = *in.Comments
	}
	for _, c := range in.Categories {
		a.Categories = append(a.Categories, feedrelay.CategoryPath(c))
	}
	if in.Source != nil {
		a.Source = feedrelay.Attribution{Title: in.Source.Title, URL: in.Source.URL, OriginalLink: in.Source.OriginalLink, OriginalAuthor: in.Source.OriginalAuthor}
	}
	if a.Summary == "" {
		a.Summary = sanitize.Summary(a.ContentHTML, 140)
	} else {
		a.Summary = sanitize.PlainText(a.Summary)
	}
	return a, nil
}

func formatAPITime(t time.Time) *string {
	s := t.Format(time.RFC3339Nano)
	return &s
}

func parseAPITime(field, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return t, &feedrelay.FieldError{Field: field, Reason: fmt.Sprintf("%s must be an RFC 3339 date like 2022-02-15T11:48:00+08:00, not %q", field, v)}
	}
	return t, nil
}

// decodeArticle reads the request body as one apiArticle: at most
// MaxBodyBytes, no unknown fields, nothing after the object.
func (s *Server) decodeArticle(c echo.Context) (apiArticle, error) {
	var in apiArticle
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, s.cfg.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return in, echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", s.cfg.MaxBodyBytes))
	}
	if err != nil {
		return in, echo.NewHTTPError(http.StatusBadRequest, "read request body: "+err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, jsonError(err)
	}
	if dec.More() {
		return in, echo.NewHTTPError(http.StatusBadRequest, "request body must hold one JSON object")
	}
	return in, nil
}

// jsonError names the field and the reason of a decoding failure.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return &feedrelay.FieldError{Field: typeErr.Field, Reason: fmt.Sprintf("%s must be a JSON %s, not %s", typeErr.Field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value)}
	case errors.As(err, &syntaxErr):
		return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("invalid JSON at byte %d: %v", syntaxErr.Offset, err))
	case errors.Is(err, io.EOF):
		return echo.NewHTTPError(http.StatusBadRequest, "request body is empty: send a JSON object")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &feedrelay.FieldError{Field: field, Reason: fmt.Sprintf("unknown field %q", field)}
	}
	return echo.NewHTTPError(http.StatusBadRequest, "invalid JSON: "+err.Error())
}

func jsonKind(k string) string {
	switch k {
	case "slice":
		return "array"
	case "struct", "map":
		return "object"
	case "ptr":
		return "value"
	}
	return k
}

func newKey() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) apiCreateArticle(c echo.Context) error {
	in, err := s.decodeArticle(c)
	if err != nil {
		return err
	}
	if strings.TrimSpace(in.ID) == "" {
		in.ID = newKey()
	}
	a, err := fromAPI(in, s.policy, time.Now())
	if err != nil {
		return err
	}
	if a.GUID == "" {
		a.GUID = feedrelay.GUIDForKey(a.Key)
	}
	stored, err := s.store.CreateArticle(c.Request().Context(), a)
	if err != nil {
		return err
	}
	s.afterWrite(c)
	c.Response().Header().Set("Location", s.cfg.BaseURL+"/api/v1/articles/"+feedrelay.EscapeKeyPath(stored.Key))
	return c.JSON(http.StatusCreated, s.toAPI(stored))
}

func (s *Server) apiUpdateArticle(c echo.Context) error {
	key, err := articleKey(c, "/api/v1/articles/")
	if err != nil {
		return err
	}
	in, err := s.decodeArticle(c)
	if err != nil {
		return err
	}
	if in.ID != "" && in.ID != key {
		return &feedrelay.FieldError{Field: "id", Reason: "id in the body differs from the id in the URL"}
	}
	existing, err := s.store.ArticleByKey(c.Request().Context(), key)
	if err != nil {
		return err
	}
	in.ID = key
	a, err := fromAPI(in, s.policy, existing.Published)
	if err != nil {
		return err
	}
	a.GUID = existing.GUID
	if in.Updated == nil {
		// A replacement that changes the article without saying when is
		// an update now; one that changes nothing keeps its date, so
		// readers that sort or dedupe on it see no false edit.
		a.Updated = existing.Updated
		if !sameContent(a, existing) {
			a.Updated = time.Now()
		}
	}
	stored, _, err := s.store.UpdateArticle(c.Request().Context(), key, a)
	if err != nil {
		return err
	}
	s.afterWrite(c)
	return c.JSON(http.StatusOK, s.toAPI(stored))
}

func (s *Server) apiDeleteArticle(c echo.Context) error {
	key, err := articleKey(c, "/api/v1/articles/")
	if err != nil {
		return err
	}
	if err := s.store.DeleteArticle(c.Request().Context(), key); err != nil {
		return err
	}
	s.afterWrite(c)
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) apiGetArticle(c echo.Context) error {
	key, err := articleKey(c, "/api/v1/articles/")
	if err != nil {
		return err
	}
	a, err := s.store.ArticleByKey(c.Request().Context(), key)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.toAPI(a))
}

// afterWrite makes a write visible in the feeds before the response goes
// out, so a client that writes and then polls sees new ETags.
func (s *Server) afterWrite(c echo.Context) {
	if err := s.Refresh(c.Request().Context()); err != nil {
		s.log.Warn("refresh after write failed", "err", err)
	}
}

func isNotFound(err error) bool { return errors.Is(err, feedrelay.ErrNotFound) }

// sameContent reports whether a replacement leaves everything a reader
// sees as it was (identity and dates aside).
func sameContent(a, b feedrelay.Article) bool {
	a.ID, a.GUID, a.Published, a.Updated, a.Seq, a.SourceID = b.ID, b.GUID, b.Published, b.Updated, b.Seq, b.SourceID
	if len(a.Categories) == 0 && len(b.Categories) == 0 {
		a.Categories = b.Categories
	}
	if len(a.Tags) == 0 && len(b.Tags) == 0 {
		a.Tags = b.Tags
	}
	return reflect.DeepEqual(a, b)
}
