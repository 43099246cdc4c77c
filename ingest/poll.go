package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/groupcommit"
	"github.com/feedrelay/feedrelay/safehttp"
	"github.com/feedrelay/feedrelay/sanitize"
)

// Store is what polling needs from storage.
type Store interface {
	DueSources(ctx context.Context, now time.Time, limit int) ([]feedrelay.Source, error)
	Source(ctx context.Context, id int64) (feedrelay.Source, error)
	SaveSourceState(ctx context.Context, id int64, url string, enabled bool, st feedrelay.SourceState) error
	StorePolls(ctx context.Context, polls []feedrelay.PollWrite) ([]feedrelay.PollWriteResult, error)
	ArticleDates(ctx context.Context, keys []string) (map[string]time.Time, error)
}

// Options configure a Poller.
type Options struct {
	Concurrency int // polls at once, default 8
	PerHost     int // polls at once per upstream host, default 2
	// Tick is how often Run looks for due sources, default 5s.
	Tick time.Duration
	// OnStored is called after a poll stored new or changed articles (main
	// refreshes the feed caches and wakes the relay worker).
	OnStored func()
	Logger   *slog.Logger
	Now      func() time.Time
}

// Poller polls sources and stores their items.
type Poller struct {
	store   Store
	client  *safehttp.Client
	policy  *sanitize.Policy
	opts    Options
	log     *slog.Logger
	disp    *dispatcher
	commit  groupcommit.Batcher[feedrelay.PollWrite, feedrelay.PollWriteResult]
	writers chan struct{} // polls parsed and waiting for their commit
	parsing chan struct{} // polls parsing and mapping: one per CPU
}

// NewPoller builds a poller; client carries the outbound rules (private
// addresses, timeout, body cap, User-Agent).
func NewPoller(store Store, client *safehttp.Client, policy *sanitize.Policy, opts Options) *Poller {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.PerHost <= 0 {
		opts.PerHost = 2
	}
	if opts.Tick <= 0 {
		opts.Tick = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &Poller{store: store, client: client, policy: policy, opts: opts, log: opts.Logger}
	p.disp = newDispatcher(opts.Concurrency, opts.PerHost)
	// SQLite has one writer, and a commit cost about 1 ms against 0.2 ms
	// per item: the polls that finish during a commit share the next one.
	p.commit = groupcommit.Batcher[feedrelay.PollWrite, feedrelay.PollWriteResult]{Commit: store.StorePolls, Max: 64}
	p.writers = make(chan struct{}, 4*opts.Concurrency)
	// Parsing and sanitizing are CPU work whose memory peaks at several
	// times the body: more of them at once than CPUs only adds memory.
	p.parsing = make(chan struct{}, runtime.GOMAXPROCS(0))
	return p
}

// feedAccept prefers feed types but takes anything: many servers label
// feeds text/html or application/octet-stream.
const feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"

// fetched is one HTTP exchange with an upstream, classified.
type fetched struct {
	resp     *safehttp.Response
	feed     *ParsedFeed
	filtered int
	err      error
	status   int
}

// fetch GETs src (conditionally, with its validators unless fresh) and
// parses a 200 answer.
func (p *Poller) fetch(ctx context.Context, src *feedrelay.Source, conditional bool) fetched {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src.URL, nil)
	if err != nil {
		return fetched{err: fmt.Errorf("build request: %w", err)}
	}
	req.Header.Set("Accept", feedAccept)
	if conditional {
		if src.State.ETag != "" {
			req.Header.Set("If-None-Match", src.State.ETag)
		}
		if src.State.LastModified != "" {
			req.Header.Set("If-Modified-Since", src.State.LastModified)
		}
	}
	resp, err := p.client.Do(ctx, req)
	if err != nil {
		return fetched{err: err}
	}
	f := fetched{resp: resp, status: resp.Status}
	switch {
	case resp.Status == http.StatusNotModified:
		if !conditional {
			f.err = fmt.Errorf("HTTP 304 to an unconditional request")
		}
		return f
	case resp.Status != http.StatusOK:
		f.err = statusError(resp)
		return f
	}
	p.parse(ctx, src, &f)
	return f
}

// parse maps a 200 answer's body to src's articles (item keys name the
// source, so a body fetched before the source was stored is parsed again
// for it: see StoreChecked).
func (p *Poller) parse(ctx context.Context, src *feedrelay.Source, f *fetched) {
	select {
	case p.parsing <- struct{}{}:
	case <-ctx.Done():
		f.err = ctx.Err()
		return
	}
	defer func() { <-p.parsing }()
	resp := f.resp
	parsed, err := ParseFeed(resp.Body, resp.Header.Get("Content-Type"), resp.URL)
	if err != nil {
		f.err = err
		return
	}
	m, err := src.Rules.Compile("rules")
	if err != nil {
		f.err = err
		return
	}
	pf, filtered := MapItems(parsed, src, resp.URL, p.policy, m, p.opts.Now())
	f.feed, f.filtered = &pf, filtered
}

// StatusError is an upstream's non-200 answer.
type StatusError struct {
	Status     int
	RetryAfter time.Duration // from Retry-After, 0 if absent
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
	switch {
	case e.Status == http.StatusNotFound:
		msg += ": no feed at this URL"
	case e.Status == http.StatusGone:
		msg += ": the upstream says the feed was removed for good"
	case e.Status == http.StatusTooManyRequests || e.Status == http.StatusServiceUnavailable:
		if e.RetryAfter > 0 {
			msg += fmt.Sprintf(": asked to retry after %s", e.RetryAfter.Round(time.Second))
		}
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		msg += ": the upstream refuses access"
	}
	return msg
}

func statusError(resp *safehttp.Response) error {
	// Capped: an upstream cannot park its source for longer than a failing
	// one would wait anyway.
	after := min(safehttp.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()), MaxBackoff)
	return &StatusError{Status: resp.Status, RetryAfter: after}
}

// shortError is the one-line, human form of a poll error kept in the
// source's state.
func shortError(err error) string {
	var be *safehttp.BlockedError
	switch {
	case errors.As(err, &be):
		return be.Error()
	case errors.Is(err, safehttp.ErrTimeout):
		return "timed out: " + err.Error()
	}
	s := err.Error()
	if len(s) > 300 {
		s = sanitize.Truncate(s, 300)
	}
	return s
}

// describeHost is the key for per-host fairness: the URL's host name.
func describeHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Hostname())
}
