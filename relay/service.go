package relay

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/safehttp"
)

// ServiceStore is what managing relay targets needs from storage.
type ServiceStore interface {
	CreateRelayTarget(ctx context.Context, t feedrelay.RelayTarget) (feedrelay.RelayTarget, error)
	RelayTargets(ctx context.Context) ([]feedrelay.RelayTarget, error)
	RelayTarget(ctx context.Context, id int64, name string) (feedrelay.RelayTarget, error)
	DeleteRelayTarget(ctx context.Context, id int64) error
	SetRelayTargetEnabled(ctx context.Context, id int64, enabled bool) error
	RetryRelayTarget(ctx context.Context, id int64) (int, error)
}

// Service manages relay targets for the CLI and the API.
type Service struct {
	Store      ServiceStore
	Client     *safehttp.Client
	Formatters map[string]platform.Formatter
	BaseURL    string
	// Notify, if set, wakes the delivery worker (after retry).
	Notify func()
}

// AddTarget validates and stores a target. Its format must be one the
// platform knows, which a test build of a sample message proves.
func (s *Service) AddTarget(ctx context.Context, t feedrelay.RelayTarget) (feedrelay.RelayTarget, error) {
	if err := t.Validate(); err != nil {
		return feedrelay.RelayTarget{}, err
	}
	f := s.Formatters[t.Platform]
	if f == nil {
		return feedrelay.RelayTarget{}, &feedrelay.FieldError{Field: "platform", Reason: fmt.Sprintf("platform %q has no formatter", t.Platform)}
	}
	d := SampleDelivery(time.Now())
	if _, err := f.Build(&t, []platform.Item{itemFor(&d, s.BaseURL)}, time.Now()); err != nil {
		return feedrelay.RelayTarget{}, &feedrelay.FieldError{Field: "format", Reason: err.Error()}
	}
	return s.Store.CreateRelayTarget(ctx, t)
}

// Targets lists every target with its delivery counts.
func (s *Service) Targets(ctx context.Context) ([]feedrelay.RelayTarget, error) {
	return s.Store.RelayTargets(ctx)
}

// Target finds a target by id, or by name when id is 0.
func (s *Service) Target(ctx context.Context, id int64, name string) (feedrelay.RelayTarget, error) {
	return s.Store.RelayTarget(ctx, id, name)
}

// RemoveTarget deletes a target and its queue.
func (s *Service) RemoveTarget(ctx context.Context, id int64) error {
	return s.Store.DeleteRelayTarget(ctx, id)
}

// SetEnabled switches a target on or off.
func (s *Service) SetEnabled(ctx context.Context, id int64, enabled bool) error {
	return s.Store.SetRelayTargetEnabled(ctx, id, enabled)
}

// Retry restarts a stopped target and revives its dead deliveries.
func (s *Service) Retry(ctx context.Context, id int64) (int, error) {
	n, err := s.Store.RetryRelayTarget(ctx, id)
	if err == nil && s.Notify != nil {
		s.Notify()
	}
	return n, err
}

// Test sends a sample message to the target now (outside the queue and
// its pacing) and returns how the platform answered.
func (s *Service) Test(ctx context.Context, id int64) (feedrelay.RelayTestResult, error) {
	t, err := s.Store.RelayTarget(ctx, id, "")
	if err != nil {
		return feedrelay.RelayTestResult{}, err
	}
	f := s.Formatters[t.Platform]
	if f == nil {
		return feedrelay.RelayTestResult{}, fmt.Errorf("relay target %q: platform %q has no formatter", t.Name, t.Platform)
	}
	now := time.Now()
	d := SampleDelivery(now)
	d.Article.Link = strings.TrimRight(s.BaseURL, "/") + "/" // the sample is no stored article: link the site
	item := itemFor(&d, s.BaseURL)
	// No dot: Standard Webhooks ids must not contain one.
	item.DeliveryID = "fr-test-" + now.UTC().Format("20060102T150405") + fmt.Sprintf("-%03d", now.Nanosecond()/1e6)
	out, err := Send(ctx, s.Client, f, &t, []platform.Item{item}, now)
	if err != nil {
		return feedrelay.RelayTestResult{}, fmt.Errorf("test relay target %q: %w", t.Name, err)
	}
	return feedrelay.RelayTestResult{Delivered: out.Kind == platform.Delivered, Outcome: out.Kind.String(),
		Message: out.Message, RetryAfter: out.RetryAfter, Elapsed: time.Since(now)}, nil
}
