package ingest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/feedrelay/feedrelay"
)

// ServiceStore is what managing sources needs from storage, beside Store.
type ServiceStore interface {
	Store
	CreateSource(ctx context.Context, src feedrelay.Source) (feedrelay.Source, error)
	UpdateSource(ctx context.Context, src feedrelay.Source) (feedrelay.Source, error)
	Sources(ctx context.Context) ([]feedrelay.Source, error)
	DeleteSource(ctx context.Context, id int64, purge bool) (int, error)
}

// Service manages sources for the CLI and the API: adding one checks that
// the URL really is a feed before saving it.
type Service struct {
	Store  ServiceStore
	Poller *Poller
}

// AddSource validates src, fetches its URL once (an HTML page, a 404 or a
// timeout is refused with the reason, nothing saved), saves it, and stores
// its current items from that same answer. A source added with Enabled false is checked and
// saved but not polled.
func (s *Service) AddSource(ctx context.Context, src feedrelay.Source) (feedrelay.Source, feedrelay.PollResult, error) {
	if err := src.Validate(); err != nil {
		return feedrelay.Source{}, feedrelay.PollResult{}, err
	}
	checked, err := s.Poller.Check(ctx, src)
	if err != nil {
		return feedrelay.Source{}, feedrelay.PollResult{}, fmt.Errorf("add source %s: %w", src.URL, &CheckError{URL: src.URL, Err: err})
	}
	src.URL = checked.URL
	src.State.FeedTitle, src.State.SiteURL = checked.Feed.Title, checked.Feed.SiteURL
	src.State.NextPoll = time.Time{} // due now, until StoreChecked records the first poll
	created, err := s.Store.CreateSource(ctx, src)
	if err != nil {
		return feedrelay.Source{}, feedrelay.PollResult{}, err
	}
	if !created.Enabled {
		return created, feedrelay.PollResult{SourceID: created.ID, URL: created.URL}, nil
	}
	res := s.Poller.StoreChecked(ctx, created, checked) // the check's answer is the first poll
	if stored, err := s.Store.Source(ctx, created.ID); err == nil {
		created = stored
	}
	return created, res, nil
}

// CheckError says a URL could not be added because fetching it failed or
// it is not a feed. It unwraps to feedrelay.ErrInvalid (the API answers
// 422-style 400) and to the fetch error.
type CheckError struct {
	URL string
	Err error
}

func (e *CheckError) Error() string { return e.Err.Error() }

// Unwrap exposes both the kind and the cause.
func (e *CheckError) Unwrap() []error { return []error{feedrelay.ErrInvalid, e.Err} }

// Sources lists every source with its state.
func (s *Service) Sources(ctx context.Context) ([]feedrelay.Source, error) {
	return s.Store.Sources(ctx)
}

// Source returns one source.
func (s *Service) Source(ctx context.Context, id int64) (feedrelay.Source, error) {
	return s.Store.Source(ctx, id)
}

// UpdateSource changes a source's settings.
func (s *Service) UpdateSource(ctx context.Context, src feedrelay.Source) (feedrelay.Source, error) {
	return s.Store.UpdateSource(ctx, src)
}

// RemoveSource deletes a source (and with purge its articles).
func (s *Service) RemoveSource(ctx context.Context, id int64, purge bool) (int, error) {
	return s.Store.DeleteSource(ctx, id, purge)
}

// PollSource polls one source now.
func (s *Service) PollSource(ctx context.Context, id int64) (feedrelay.PollResult, error) {
	return s.Poller.PollSource(ctx, id)
}

// ImportResult counts what a bulk add did.
type ImportResult struct {
	Added      []feedrelay.Source
	Duplicates int
	Failed     []error // one per source that could not be added, saying which and why
}

// ImportSources adds many sources (from OPML). Duplicates of stored
// sources are skipped and counted; sources that fail the check are
// reported and skipped. With check false the URLs are saved without being
// fetched first (the scheduler polls them soon).
func (s *Service) ImportSources(ctx context.Context, list []feedrelay.Source, check bool) ImportResult {
	var res ImportResult
	existing := map[string]bool{}
	if stored, err := s.Store.Sources(ctx); err == nil {
		for _, src := range stored {
			existing[src.URL] = true
		}
	}
	for _, src := range list {
		if ctx.Err() != nil {
			res.Failed = append(res.Failed, fmt.Errorf("%s: %w", src.URL, ctx.Err()))
			continue
		}
		if existing[src.URL] {
			res.Duplicates++
			continue
		}
		var added feedrelay.Source
		var err error
		if check {
			added, _, err = s.AddSource(ctx, src)
		} else {
			added, err = s.Store.CreateSource(ctx, src)
		}
		switch {
		case errors.Is(err, feedrelay.ErrConflict):
			res.Duplicates++
		case err != nil:
			res.Failed = append(res.Failed, err)
		default:
			existing[added.URL] = true
			res.Added = append(res.Added, added)
		}
	}
	return res
}
