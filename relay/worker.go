package relay

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/groupcommit"
	"github.com/feedrelay/feedrelay/relay/platform"
	"github.com/feedrelay/feedrelay/safehttp"
)

// Store is what delivery needs from storage.
type Store interface {
	DueRelayTargets(ctx context.Context, now time.Time) ([]feedrelay.RelayTarget, error)
	PendingDeliveries(ctx context.Context, targetID int64, limit int) ([]feedrelay.Delivery, error)
	RecordDeliveryAttempts(ctx context.Context, list []feedrelay.DeliveryAttempt) ([]int, error)
	PruneDeliveries(ctx context.Context, cutoff time.Time) (int, error)
}

// Options configure a Worker.
type Options struct {
	Concurrency int           // sends at once over all targets, default 8
	Tick        time.Duration // how often Run looks for due deliveries, default 1s
	BaseURL     string        // the server's public URL, for article links
	// StopAfter permanent errors in a row stop a target, default 3: one
	// bad answer can be a platform hiccup, three are a revoked key.
	StopAfter int
	// MaxBackoff caps the wait between retries of a failing target.
	MaxBackoff time.Duration
	// KeepDelivered is how long delivered rows stay in the outbox (the
	// "delivered" counts cover this window), default 30 days.
	KeepDelivered time.Duration
	Logger        *slog.Logger
	Now           func() time.Time
}

// Worker sends due deliveries: one message at a time per target, in
// article order, paced by a token bucket per target.
type Worker struct {
	store      Store
	client     *safehttp.Client
	formatters map[string]platform.Formatter
	opts       Options
	log        *slog.Logger
	sem        chan struct{}
	wake       chan struct{}

	mu        sync.Mutex
	inflight  map[int64]bool
	notBefore map[int64]time.Time // pacing waits, kept in memory only
	limiters  map[int64]*limiter
	records   groupcommit.Batcher[feedrelay.DeliveryAttempt, int]
}

// maxResponseBytes bounds what a platform's answer may be: they are small
// JSON objects (Discord's ?wait=true echo of the message is the largest).
const maxResponseBytes = 256 << 10

// maxRateLimitWait caps how long a platform's rate-limit answer parks a
// target before it is asked again.
const maxRateLimitWait = time.Hour

// shutdownGrace is how long a send in flight may finish after shutdown
// begins.
const shutdownGrace = 5 * time.Second

// sendsPerClaim bounds how many messages one target sends before its slot
// goes back to the pool, so a long backlog cannot starve other targets.
const sendsPerClaim = 50

// NewWorker builds a worker; client carries the outbound rules.
func NewWorker(store Store, client *safehttp.Client, formatters map[string]platform.Formatter, opts Options) *Worker {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.Tick <= 0 {
		opts.Tick = time.Second
	}
	if opts.StopAfter <= 0 {
		opts.StopAfter = 3
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = time.Hour
	}
	if opts.KeepDelivered <= 0 {
		opts.KeepDelivered = 30 * 24 * time.Hour
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Worker{store: store, client: client, formatters: formatters, opts: opts, log: opts.Logger,
		sem: make(chan struct{}, opts.Concurrency), wake: make(chan struct{}, 1),
		inflight: map[int64]bool{}, notBefore: map[int64]time.Time{}, limiters: map[int64]*limiter{},
		// With many targets a commit per message, not the network, was
		// the ceiling: results arriving during a commit share the next.
		records: groupcommit.Batcher[feedrelay.DeliveryAttempt, int]{Commit: store.RecordDeliveryAttempts, Max: 256}}
}

// Notify wakes Run: something was queued. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done, then waits for sends in flight.
func (w *Worker) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTicker(w.opts.Tick)
	defer t.Stop()
	var pruned time.Time
	for {
		if _, err := w.startDue(ctx, &wg); err != nil && ctx.Err() == nil {
			w.log.Warn("list due relay targets", "err", err)
		}
		if now := w.opts.Now(); now.Sub(pruned) >= time.Hour {
			pruned = now
			w.forget(now)
			if n, err := w.store.PruneDeliveries(ctx, now.Add(-w.opts.KeepDelivered)); err != nil && ctx.Err() == nil {
				w.log.Warn("prune delivered deliveries", "err", err)
			} else if n > 0 {
				w.log.Info("pruned delivered deliveries", "rows", n, "older_than", w.opts.KeepDelivered.String())
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wake:
		}
	}
}

// DeliverDue runs one pass: every due target not already sending gets a
// turn (up to sendsPerClaim messages). It waits for the pass to finish and
// returns how many targets had a turn. Tests drive the worker with it.
func (w *Worker) DeliverDue(ctx context.Context) (int, error) {
	var wg sync.WaitGroup
	n, err := w.startDue(ctx, &wg)
	wg.Wait()
	return n, err
}

func (w *Worker) startDue(ctx context.Context, wg *sync.WaitGroup) (int, error) {
	now := w.opts.Now()
	due, err := w.store.DueRelayTargets(ctx, now)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range due {
		w.mu.Lock()
		busy := w.inflight[t.ID] || w.notBefore[t.ID].After(now)
		if !busy {
			w.inflight[t.ID] = true
		}
		w.mu.Unlock()
		if busy {
			continue
		}
		select {
		case w.sem <- struct{}{}:
		case <-ctx.Done():
			w.release(t.ID)
			return n, ctx.Err()
		}
		n++
		wg.Add(1)
		go func(t feedrelay.RelayTarget) {
			defer wg.Done()
			defer func() { <-w.sem }()
			defer w.release(t.ID)
			w.serve(ctx, &t)
		}(t)
	}
	return n, nil
}

// forget drops the pacing state of targets idle for an hour (removed
// ones, or quiet ones): a bucket idle that long is full again anyway.
// Their next bucket starts empty, which only errs on the slow side.
func (w *Worker) forget(now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for id, l := range w.limiters {
		if now.Sub(l.used) > time.Hour && !w.inflight[id] {
			delete(w.limiters, id)
		}
	}
	for id, t := range w.notBefore {
		if t.Before(now) {
			delete(w.notBefore, id)
		}
	}
}

func (w *Worker) release(id int64) {
	w.mu.Lock()
	delete(w.inflight, id)
	w.mu.Unlock()
}

// serve sends the target's pending deliveries in order until the queue is
// empty, pacing says wait, a send fails, or its turn is used up.
func (w *Worker) serve(ctx context.Context, t *feedrelay.RelayTarget) {
	f := w.formatters[t.Platform]
	if f == nil {
		w.log.Error("relay target has an unknown platform", "target", t.Name, "platform", t.Platform)
		return
	}
	lim := w.limiter(t, f)
	batch := 1
	if t.Style == feedrelay.StyleDigest {
		batch = f.MaxItems()
		if t.DigestMax > 0 {
			batch = min(batch, t.DigestMax)
		}
	}
	var queue []feedrelay.Delivery // loaded ahead: one query per turn, not per message
	for sent := 0; sent < sendsPerClaim; sent++ {
		if ctx.Err() != nil {
			return
		}
		if len(queue) < batch {
			var err error
			if queue, err = w.store.PendingDeliveries(ctx, t.ID, max(batch, sendsPerClaim)); err != nil {
				w.log.Warn("load pending deliveries", "target", t.Name, "err", err)
				return
			}
		}
		if len(queue) == 0 {
			return
		}
		now := w.opts.Now()
		// A digest holds what is waiting when the target's turn comes, up
		// to batch: articles stored together (an import, one poll) or held
		// back by pacing go out as one message; a lone new article goes
		// alone rather than wait for company.
		list := nextMessage(queue, batch)
		if wait := lim.reserve(now); wait > 0 {
			// Paced ahead of the platform's limit rather than tripping it
			// (DingTalk blocks a robot for ten minutes on overflow).
			w.pause(t.ID, wait)
			return
		}
		if !w.send(ctx, t, f, list) {
			return
		}
		queue = queue[len(list):]
	}
}

// nextMessage picks the deliveries of the next message from the queue
// (oldest first): up to batch of them, except that a message being
// retried is sent again with exactly the deliveries it had (those that
// failed together, so its id stays the same for the receiver).
func nextMessage(queue []feedrelay.Delivery, batch int) []feedrelay.Delivery {
	n := min(batch, len(queue))
	if queue[0].Attempts > 0 {
		for i := 1; i < n; i++ {
			if queue[i].Attempts != queue[0].Attempts || !queue[i].FirstAttempt.Equal(queue[0].FirstAttempt) {
				n = i
				break
			}
		}
	}
	return queue[:n]
}

// pause keeps the worker off target id for d and wakes it after.
func (w *Worker) pause(id int64, d time.Duration) {
	w.mu.Lock()
	w.notBefore[id] = w.opts.Now().Add(d)
	w.mu.Unlock()
	time.AfterFunc(d, w.Notify)
}

// send delivers one message holding list and records the answer; it
// reports whether the target may go on sending.
func (w *Worker) send(ctx context.Context, t *feedrelay.RelayTarget, f platform.Formatter, list []feedrelay.Delivery) bool {
	items := make([]platform.Item, len(list))
	ids := make([]int64, len(list))
	for i := range list {
		items[i] = itemFor(&list[i], w.opts.BaseURL)
		ids[i] = list[i].ID
	}
	start := w.opts.Now()
	// A send in flight at shutdown gets a short grace to finish, so a
	// message the platform accepts is recorded and not sent again after
	// the restart; past the grace it is cut off and stays pending.
	sendCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(shutdownGrace, cancel) })
	out, err := Send(sendCtx, w.client, f, t, items, start)
	stop()
	cancel()
	if err != nil && ctx.Err() != nil {
		return false // cut off by shutdown: the deliveries stay pending, unrecorded
	}
	at := feedrelay.DeliveryAttempt{TargetID: t.ID, DeliveryIDs: ids, At: w.opts.Now(), StopAfter: w.opts.StopAfter}
	if err != nil {
		out = platform.Outcome{Kind: platform.Retry, Message: err.Error()}
	}
	attempts := list[0].Attempts + 1
	switch out.Kind {
	case platform.Delivered:
		at.Delivered = true
		if out.Pause > 0 {
			at.NextAttempt = at.At.Add(out.Pause)
			w.pause(t.ID, out.Pause)
		}
	case platform.Rejected:
		at.Rejected = true // dead now; the next message may go at once
	case platform.RateLimited:
		at.RateLimited = true
		wait := out.RetryAfter
		if wait <= 0 {
			wait = time.Minute
		}
		// Wait as told, up to an hour: asking again then costs one request,
		// while a garbage Retry-After could otherwise park a group for weeks.
		at.NextAttempt = at.At.Add(min(wait, maxRateLimitWait))
	case platform.Permanent:
		at.Permanent = true
		at.NextAttempt = at.At.Add(w.backoff(attempts))
	default:
		// A receiver may say how long a 503 lasts (Standard Webhooks
		// honours Retry-After there too): never retry sooner.
		at.NextAttempt = at.At.Add(max(w.backoff(attempts), out.RetryAfter))
	}
	if !at.Delivered {
		at.Error = t.Scrub(fmt.Sprintf("%s: %s", out.Kind, out.Message))
	}
	dead, rerr := w.records.Do(ctx, at)
	if rerr != nil {
		w.log.Error("record delivery attempt", "target", t.Name, "err", rerr)
		return false
	}
	if !at.Delivered {
		w.log.Warn("delivery failed", "target", t.Name, "platform", t.Platform, "deliveries", len(ids),
			"attempt", attempts, "outcome", out.Kind.String(), "next_attempt", at.NextAttempt.Format(time.RFC3339),
			"dead", dead, "err", at.Error)
		return at.Rejected
	}
	return out.Pause <= 0
}

// Send builds the platform's message for items and sends it to t once,
// returning how the platform answered. relays test uses it directly.
func Send(ctx context.Context, client *safehttp.Client, f platform.Formatter, t *feedrelay.RelayTarget, items []platform.Item, now time.Time) (platform.Outcome, error) {
	req, err := f.Build(t, items, now)
	if err != nil {
		// This article cannot be put in this platform's message (the
		// target's settings were checked when it was added): its delivery
		// goes dead, the next one is tried.
		return platform.Outcome{Kind: platform.Rejected, Message: "build message: " + err.Error()}, nil
	}
	method := req.Method
	if method == "" {
		method = http.MethodPost
	}
	hr, err := http.NewRequestWithContext(ctx, method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return platform.Outcome{}, fmt.Errorf("build request: %w", err)
	}
	for k, vs := range req.Header {
		hr.Header[k] = vs
	}
	if hr.Header.Get("Content-Type") == "" {
		hr.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	// Every message names its deliveries, whatever the platform: chat
	// APIs have no idempotency field, but a proxy or a self-hosted
	// receiver can drop a resent message by this header.
	ids := make([]string, len(items))
	for i := range items {
		ids[i] = items[i].DeliveryID
	}
	hr.Header.Set("X-Feedrelay-Delivery", strings.Join(ids, ","))
	resp, err := client.DoLimit(ctx, hr, maxResponseBytes)
	if err != nil {
		// The client's error quotes the URL, which holds the target's key
		// or token; it goes to the log, last_error and relays test.
		return platform.Outcome{}, &maskedError{msg: t.Scrub(strings.ReplaceAll(err.Error(), hr.URL.Redacted(), feedrelay.MaskedURL(req.URL))), err: err}
	}
	for _, h := range resp.Redirects {
		// The client follows redirects, but 301, 302 and 303 turn the POST
		// into a bodiless GET: the final answer is not about the message.
		if h.Status != http.StatusTemporaryRedirect && h.Status != http.StatusPermanentRedirect {
			return platform.Outcome{Kind: platform.Permanent, Message: fmt.Sprintf(
				"HTTP %d redirect to %s: the message was not delivered; update the URL", h.Status, feedrelay.MaskedURL(h.To.String()))}, nil
		}
	}
	return f.Interpret(resp.Status, resp.Header, resp.Body), nil
}

// maskedError is a send error whose message names the URL masked.
type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

// backoff is the wait after the n-th failed attempt: 5 s doubling, capped
// at MaxBackoff, with ±20% jitter so targets on one platform that failed
// together do not retry in lockstep.
func (w *Worker) backoff(n int) time.Duration {
	d := 5 * time.Second
	for i := 1; i < n && d < w.opts.MaxBackoff; i++ {
		d *= 2
	}
	return safehttp.Jitter(min(d, w.opts.MaxBackoff), 0.2)
}

// limiter paces one target.
type limiter struct {
	perMinute float64
	burst     int
	lim       *rate.Limiter
	used      time.Time // last claim of the target, for forget
}

// limiter returns the target's token bucket, rebuilt if its settings
// changed. A new bucket starts empty: the worker does not know what was
// sent just before a restart, and starting full could overflow the
// platform's window.
func (w *Worker) limiter(t *feedrelay.RelayTarget, f platform.Formatter) *limiter {
	perMinute, burst := t.RatePerMinute, t.Burst
	defRate, defBurst := f.DefaultRate()
	if perMinute == 0 {
		perMinute = defRate
	}
	if burst == 0 {
		burst = defBurst
	}
	burst = max(burst, 1)
	w.mu.Lock()
	defer w.mu.Unlock()
	if l := w.limiters[t.ID]; l != nil && l.perMinute == perMinute && l.burst == burst {
		l.used = w.opts.Now()
		return l
	}
	l := &limiter{perMinute: perMinute, burst: burst, used: w.opts.Now()}
	if perMinute == feedrelay.RateUnlimited || perMinute <= 0 {
		l.lim = rate.NewLimiter(rate.Inf, burst)
	} else {
		l.lim = rate.NewLimiter(rate.Limit(perMinute/60), burst)
		l.lim.AllowN(w.opts.Now(), burst)
	}
	w.limiters[t.ID] = l
	return l
}

// reserve takes a token if one is available now; otherwise it takes none
// and says how long until one will be.
func (l *limiter) reserve(now time.Time) time.Duration {
	r := l.lim.ReserveN(now, 1)
	if !r.OK() {
		return time.Minute
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}
