package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/feedrelay/feedrelay"
)

// RelayService manages relay targets; *relay.Service satisfies it.
type RelayService interface {
	AddTarget(ctx context.Context, t feedrelay.RelayTarget) (feedrelay.RelayTarget, error)
	Targets(ctx context.Context) ([]feedrelay.RelayTarget, error)
	Target(ctx context.Context, id int64, name string) (feedrelay.RelayTarget, error)
	RemoveTarget(ctx context.Context, id int64) error
	SetEnabled(ctx context.Context, id int64, enabled bool) error
	Retry(ctx context.Context, id int64) (int, error)
	Test(ctx context.Context, id int64) (feedrelay.RelayTestResult, error)
}

// apiRelayIn is the body of POST /api/v1/relays.
type apiRelayIn struct {
	Name          string            `json:"name"`
	Platform      string            `json:"platform"`
	URL           string            `json:"url"`
	BotToken      string            `json:"bot_token"`
	ChatID        string            `json:"chat_id"`
	Secret        string            `json:"secret"`
	Categories    []json.RawMessage `json:"categories"`
	Include       []string          `json:"include"`
	Exclude       []string          `json:"exclude"`
	Style         string            `json:"style"`
	DigestMax     int               `json:"digest_max"`
	Format        string            `json:"format"`
	RatePerMinute float64           `json:"rate_per_minute"`
	Burst         int               `json:"burst"`
	RetryBudget   json.RawMessage   `json:"retry_budget"` // "24h" or seconds
	Enabled       *bool             `json:"enabled"`
}

// apiRelay is a target as the API shows it: its secrets never leave the
// server, only masked (url, bot_token) or as "is set" (secret).
type apiRelay struct {
	ID                 int64         `json:"id"`
	Name               string        `json:"name"`
	Platform           string        `json:"platform"`
	URL                string        `json:"url"`
	BotToken           string        `json:"bot_token,omitempty"`
	ChatID             string        `json:"chat_id,omitempty"`
	SecretSet          bool          `json:"secret_set"`
	Categories         [][]string    `json:"categories"`
	Include            []string      `json:"include"`
	Exclude            []string      `json:"exclude"`
	Style              string        `json:"style"`
	DigestMax          int           `json:"digest_max"`
	Format             string        `json:"format"`
	RatePerMinute      float64       `json:"rate_per_minute"`
	Burst              int           `json:"burst"`
	RetryBudget        string        `json:"retry_budget"`
	RetryBudgetSeconds int64         `json:"retry_budget_seconds"`
	Enabled            bool          `json:"enabled"`
	Created            *string       `json:"created"`
	State              apiRelayState `json:"state"`
}

type apiRelayState struct {
	Pending        int     `json:"pending"`
	Delivered      int     `json:"delivered"`
	Failed         int     `json:"failed"` // pending, failed at least once
	Dead           int     `json:"dead"`
	LastSuccess    *string `json:"last_success"`
	LastError      string  `json:"last_error"`
	DisabledReason string  `json:"disabled_reason"` // stopped by the worker
	PermanentFails int     `json:"permanent_fails"`
	NextAttempt    *string `json:"next_attempt"` // null: may send now
}

// apiRelayTest is how the platform answered POST /relays/:id/test. A
// refusal is still a 200: the test itself worked.
type apiRelayTest struct {
	Delivered  bool    `json:"delivered"`
	Outcome    string  `json:"outcome"` // delivered, retry, rate-limited, permanent, error
	Message    string  `json:"message"`
	RetryAfter float64 `json:"retry_after"` // seconds the platform asked us to wait
	ElapsedMS  int64   `json:"elapsed_ms"`
}

func (s *Server) relayRoutes(g *echo.Group) {
	rg := g.Group("/relays", s.needService(s.cfg.Relays == nil, "relay targets are not configured on this server"))
	getHead := []string{http.MethodGet, http.MethodHead}
	rg.Match(getHead, "", s.apiListRelays)
	rg.POST("", s.apiAddRelay)
	rg.Match(getHead, "/:id", s.apiGetRelay)
	rg.PATCH("/:id", s.apiPatchRelay)
	rg.DELETE("/:id", s.apiRemoveRelay)
	rg.POST("/:id/test", s.apiTestRelay)
	rg.POST("/:id/retry", s.apiRetryRelay)
}

func (s *Server) apiListRelays(c echo.Context) error {
	list, err := s.cfg.Relays.Targets(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]apiRelay, 0, len(list))
	for i := range list {
		out = append(out, toAPIRelay(&list[i]))
	}
	return c.JSON(http.StatusOK, map[string]any{"relays": out})
}

func (s *Server) apiAddRelay(c echo.Context) error {
	var in apiRelayIn
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	t := feedrelay.RelayTarget{Name: in.Name, Platform: strings.ToLower(strings.TrimSpace(in.Platform)),
		URL: strings.TrimSpace(in.URL), BotToken: strings.TrimSpace(in.BotToken), ChatID: strings.TrimSpace(in.ChatID),
		Secret: in.Secret, Rules: feedrelay.Rules{Include: in.Include, Exclude: in.Exclude}, Style: in.Style,
		DigestMax: in.DigestMax, Format: in.Format, RatePerMinute: in.RatePerMinute, Burst: in.Burst,
		Enabled: in.Enabled == nil || *in.Enabled}
	var err error
	if t.Categories, err = parseCategories(in.Categories); err != nil {
		return err
	}
	if t.RetryBudget, err = parseDurationJSON(in.RetryBudget, "retry_budget", "from 1m to 720h"); err != nil {
		return err
	}
	added, err := s.cfg.Relays.AddTarget(c.Request().Context(), t)
	if err != nil {
		return renameFields(err)
	}
	c.Response().Header().Set("Location", s.cfg.BaseURL+"/api/v1/relays/"+strconv.FormatInt(added.ID, 10))
	return c.JSON(http.StatusCreated, toAPIRelay(&added))
}

// relayTarget finds the target of :id, a number or a name.
func (s *Server) relayTarget(c echo.Context) (feedrelay.RelayTarget, error) {
	ref := c.Param("id")
	if u, err := url.PathUnescape(ref); err == nil {
		ref = u
	}
	ctx := c.Request().Context()
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		t, err := s.cfg.Relays.Target(ctx, id, "")
		if !isNotFound(err) {
			return t, err
		}
	}
	t, err := s.cfg.Relays.Target(ctx, 0, ref)
	return t, notFoundAs(err, fmt.Sprintf("no relay target with id or name %q", ref))
}

func (s *Server) apiGetRelay(c echo.Context) error {
	t, err := s.relayTarget(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAPIRelay(&t))
}

func (s *Server) apiPatchRelay(c echo.Context) error {
	var in struct {
		Enabled *bool `json:"enabled"`
	}
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	if in.Enabled == nil {
		return &feedrelay.FieldError{Field: "enabled", Reason: `send {"enabled": true} or {"enabled": false}`}
	}
	t, err := s.relayTarget(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.cfg.Relays.SetEnabled(ctx, t.ID, *in.Enabled); err != nil {
		return notFoundAs(err, fmt.Sprintf("no relay target with id %d", t.ID))
	}
	if t, err = s.cfg.Relays.Target(ctx, t.ID, ""); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAPIRelay(&t))
}

func (s *Server) apiRemoveRelay(c echo.Context) error {
	t, err := s.relayTarget(c)
	if err != nil {
		return err
	}
	if err := s.cfg.Relays.RemoveTarget(c.Request().Context(), t.ID); err != nil {
		return notFoundAs(err, fmt.Sprintf("no relay target with id %d", t.ID))
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) apiTestRelay(c echo.Context) error {
	t, err := s.relayTarget(c)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := s.cfg.Relays.Test(c.Request().Context(), t.ID)
	switch {
	case isNotFound(err) || errors.Is(err, context.Canceled):
		return notFoundAs(err, fmt.Sprintf("no relay target with id %d", t.ID))
	case err != nil:
		// The receiver could not be reached (refused, timed out, a blocked
		// address): an answer about the target, not a failure of the API.
		res = feedrelay.RelayTestResult{Outcome: "error", Message: err.Error(), Elapsed: time.Since(start)}
	}
	return c.JSON(http.StatusOK, apiRelayTest{Delivered: res.Delivered, Outcome: res.Outcome,
		Message: t.Scrub(res.Message), RetryAfter: res.RetryAfter.Seconds(), ElapsedMS: res.Elapsed.Milliseconds()})
}

func (s *Server) apiRetryRelay(c echo.Context) error {
	t, err := s.relayTarget(c)
	if err != nil {
		return err
	}
	n, err := s.cfg.Relays.Retry(c.Request().Context(), t.ID)
	if err != nil {
		return notFoundAs(err, fmt.Sprintf("no relay target with id %d", t.ID))
	}
	return c.JSON(http.StatusOK, map[string]int{"revived": n})
}

func toAPIRelay(t *feedrelay.RelayTarget) apiRelay {
	st := t.State
	return apiRelay{ID: t.ID, Name: t.Name, Platform: t.Platform, URL: feedrelay.MaskedURL(t.URL),
		BotToken: feedrelay.Mask(t.BotToken), ChatID: t.ChatID, SecretSet: t.Secret != "",
		Categories: pathsOut(t.Categories), Include: nonNil(t.Rules.Include), Exclude: nonNil(t.Rules.Exclude),
		Style: t.Style, DigestMax: t.DigestMax, Format: t.Format, RatePerMinute: t.RatePerMinute, Burst: t.Burst,
		RetryBudget: t.RetryBudget.String(), RetryBudgetSeconds: int64(t.RetryBudget / time.Second),
		Enabled: t.Enabled, Created: timeOrNull(t.Created),
		State: apiRelayState{Pending: st.Pending, Delivered: st.Delivered, Failed: st.Failed, Dead: st.Dead,
			LastSuccess: timeOrNull(st.LastSuccess), LastError: t.Scrub(st.LastError),
			DisabledReason: t.Scrub(st.DisabledReason), PermanentFails: st.PermanentFails,
			NextAttempt: futureOrNull(st.NextAttempt)}}
}

// futureOrNull is a time still ahead, or null.
func futureOrNull(t time.Time) *string {
	if !t.After(time.Now()) {
		return nil
	}
	return timeOrNull(t)
}
