package ingest

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/safehttp"
)

// Poll fetches one source now and stores what came in, updating its fetch
// state (validators, failures, next poll). The returned result says what
// happened; its Err is the poll's failure, if any (already recorded).
func (p *Poller) Poll(ctx context.Context, src feedrelay.Source) feedrelay.PollResult {
	return p.poll(ctx, src, func() {})
}

// poll is Poll with release, called once the upstream exchange is over:
// the scheduler frees the poll's slot (and its host's) then, so the next
// upstream request starts while this one waits for its commit.
func (p *Poller) poll(ctx context.Context, src feedrelay.Source, release func()) feedrelay.PollResult {
	start := p.opts.Now()
	return p.record(ctx, src, p.fetch(ctx, &src, true), start, release)
}

// record turns one exchange with the upstream into the source's new state
// and stored items.
func (p *Poller) record(ctx context.Context, src feedrelay.Source, f fetched, start time.Time, release func()) feedrelay.PollResult {
	res := feedrelay.PollResult{SourceID: src.ID, URL: src.URL}
	if ctx.Err() != nil && f.err != nil {
		// Shutting down: not the upstream's fault, record nothing.
		res.Err = ctx.Err()
		return res
	}
	st := src.State
	st.LastAttempt = start
	url, enabled := "", src.Enabled
	if f.resp != nil {
		res.Status = f.resp.Status
		if u, ok := f.resp.PermanentRedirect(); ok && u.String() != src.URL {
			url = u.String()
			res.URL = url
			p.log.Info("source moved permanently", "source_id", src.ID, "from", src.URL, "to", url)
		}
	}
	var items []feedrelay.Article
	switch {
	case f.err != nil:
		res.Err = f.err
		st.Failures++
		st.LastError = shortError(f.err)
		wait := backoff(src.Interval, st.Failures)
		var se *StatusError
		if errors.As(f.err, &se) {
			switch {
			case se.Status == http.StatusGone:
				enabled = false
				st.DisabledReason = "disabled after HTTP 410 Gone at " + start.UTC().Format(time.RFC3339)
			case se.RetryAfter > 0:
				// The upstream said when: that, but never sooner than our
				// own minimum interval.
				wait = max(se.RetryAfter, feedrelay.MinPollInterval)
			}
		}
		st.NextPoll = start.Add(wait)
		p.log.Warn("poll failed", "source_id", src.ID, "url", src.URL, "failures", st.Failures,
			"next_poll", st.NextPoll.Format(time.RFC3339), "err", st.LastError)
	default:
		st.Failures, st.LastError, st.LastSuccess = 0, "", start
		st.NextPoll = start.Add(safehttp.Jitter(src.Interval, 0.05))
		if f.resp.Status == http.StatusNotModified {
			res.NotModified = true
			break
		}
		st.ETag = f.resp.Header.Get("ETag")
		st.LastModified = f.resp.Header.Get("Last-Modified")
		st.FeedTitle, st.SiteURL = f.feed.Title, f.feed.SiteURL
		res.Items, res.Filtered = f.feed.Total, f.filtered
		res.Duplicates, res.Skipped, res.Problems = f.feed.Duplicates, f.feed.Skipped, f.feed.Problems
		var err error
		if items, err = p.itemsToStore(ctx, &src, f.feed); err != nil {
			res.Err = err
			st.LastError = shortError(err)
		}
	}
	// Bounded: a store slower than the network holds the slot again, so
	// parsed polls waiting for a commit cannot pile up in memory.
	p.writers <- struct{}{}
	release()
	written, err := p.commit.Do(ctx, feedrelay.PollWrite{SourceID: src.ID, URL: url, Enabled: enabled, State: st, Items: items})
	outcomes := written.Items
	if err == nil {
		err = written.Err
	}
	<-p.writers
	if err != nil {
		res.Err = errors.Join(res.Err, err)
		p.log.Error("store poll", "source_id", src.ID, "err", err)
		return res
	}
	changed := false
	for _, o := range outcomes {
		switch {
		case o.Err != nil:
			p.log.Warn("item not stored", "source_id", src.ID, "key", o.Article.Key, "err", o.Err)
		case o.Result == feedrelay.Created:
			res.Created = append(res.Created, o.Article)
			changed = true
		case o.Result == feedrelay.Updated:
			res.Updated++
			changed = true
		default:
			res.Unchanged++
		}
	}
	if changed && p.opts.OnStored != nil {
		p.opts.OnStored()
	}
	p.log.Debug("polled source", "source_id", src.ID, "url", src.URL, "status", res.Status,
		"not_modified", res.NotModified, "items", res.Items, "created", len(res.Created), "updated", res.Updated,
		"elapsed", p.opts.Now().Sub(start).Round(time.Millisecond))
	return res
}

// itemsToStore gives items without a usable date the time they were first
// seen: the stored published time if the item is already stored, else now.
// Without this, an undated item would look new ("now") on every poll.
func (p *Poller) itemsToStore(ctx context.Context, src *feedrelay.Source, feed *ParsedFeed) ([]feedrelay.Article, error) {
	var undated []string
	for _, it := range feed.Items {
		if !it.Dated {
			undated = append(undated, it.Article.Key)
		}
	}
	var seen map[string]time.Time
	if len(undated) > 0 {
		var err error
		if seen, err = p.store.ArticleDates(ctx, undated); err != nil {
			return nil, err
		}
	}
	out := make([]feedrelay.Article, 0, len(feed.Items))
	for _, it := range feed.Items {
		a := it.Article
		a.SourceID = src.ID
		if !it.Dated {
			if t, ok := seen[a.Key]; ok {
				a.Published = t
			}
			a.Updated = a.Published
		}
		out = append(out, a)
	}
	// Stored oldest first: feeds list the newest first, but the order of
	// storing is the order relay targets and cursor pollers see, and a
	// chat group should read a burst of new items in the order they were
	// written. (Undated items count as published when first seen.)
	slices.SortStableFunc(out, func(a, b feedrelay.Article) int { return a.Published.Compare(b.Published) })
	return out, nil
}

// Checked is a source's first fetch, done before it is stored.
type Checked struct {
	Feed  *ParsedFeed // what the URL holds
	URL   string      // the URL to store (after permanent redirects)
	f     fetched
	start time.Time
}

// Check fetches src once, unconditionally, and parses it without storing
// anything: sources add uses it so a URL that is not a feed (an HTML page,
// a 404, a timeout) is refused with the reason before it is saved.
func (p *Poller) Check(ctx context.Context, src feedrelay.Source) (*Checked, error) {
	start := p.opts.Now()
	f := p.fetch(ctx, &src, false)
	if f.err != nil {
		return nil, f.err
	}
	final := src.URL
	if u, ok := f.resp.PermanentRedirect(); ok {
		final = u.String()
	}
	return &Checked{Feed: f.feed, URL: final, f: f, start: start}, nil
}

// StoreChecked records c as the first poll of src, now stored: its items
// and validators, without asking the upstream a second time.
func (p *Poller) StoreChecked(ctx context.Context, src feedrelay.Source, c *Checked) feedrelay.PollResult {
	f := c.f
	p.parse(ctx, &src, &f) // again, for src's id (item keys name it)
	return p.record(ctx, src, f, c.start, func() {})
}

// PollSource polls the stored source id now (sources fetch ID).
func (p *Poller) PollSource(ctx context.Context, id int64) (feedrelay.PollResult, error) {
	src, err := p.store.Source(ctx, id)
	if err != nil {
		return feedrelay.PollResult{}, err
	}
	return p.Poll(ctx, src), nil
}
