package ingest

import (
	"context"
	"sync"
	"time"
)

// maxDuePerPass bounds how many due sources one pass loads; the rest are
// picked up by the next pass.
const maxDuePerPass = 5000

// PollDue starts a poll of every due source that is not already being
// polled and waits for those polls to finish. It returns how many it
// started. Tests call it to drive one pass; Run calls it on a ticker.
func (p *Poller) PollDue(ctx context.Context) (int, error) {
	var wg sync.WaitGroup
	n, err := p.startDue(ctx, &wg)
	wg.Wait()
	return n, err
}

func (p *Poller) startDue(ctx context.Context, wg *sync.WaitGroup) (int, error) {
	due, err := p.store.DueSources(ctx, p.opts.Now(), maxDuePerPass)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, src := range due {
		src := src
		wg.Add(1)
		if !p.disp.submit(ctx, src.ID, describeHost(src.URL), func(ctx context.Context, release func()) {
			p.poll(ctx, src, release)
		}, wg.Done) {
			wg.Done() // already in flight
			continue
		}
		n++
	}
	return n, nil
}

// Run polls due sources until ctx is done, then waits for the polls in
// flight (each bounded by the client's timeout and cancelled with ctx).
// A slow upstream holds one slot, never the loop: due sources keep being
// started while others are still running.
func (p *Poller) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTicker(p.opts.Tick)
	defer t.Stop()
	for {
		if _, err := p.startDue(ctx, &wg); err != nil && ctx.Err() == nil {
			p.log.Warn("list due sources", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// dispatcher runs polls with a bound overall and per host. Waiting polls
// queue in order; a host at its bound is skipped (not waited on), so one
// slow host cannot hold slots that other hosts could use.
type dispatcher struct {
	max, maxPerHost int

	mu       sync.Mutex
	queue    []*task
	running  int
	perHost  map[string]int
	inflight map[int64]bool
}

type task struct {
	ctx  context.Context
	id   int64
	host string
	run  func(ctx context.Context, release func())
	done func()
}

func newDispatcher(max, perHost int) *dispatcher {
	return &dispatcher{max: max, maxPerHost: perHost, perHost: map[string]int{}, inflight: map[int64]bool{}}
}

// submit queues run for source id unless that source is queued or
// running already; done is called when run has returned.
func (d *dispatcher) submit(ctx context.Context, id int64, host string, run func(ctx context.Context, release func()), done func()) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.inflight[id] {
		return false
	}
	d.inflight[id] = true
	d.queue = append(d.queue, &task{ctx: ctx, id: id, host: host, run: run, done: done})
	d.startLocked()
	return true
}

func (d *dispatcher) startLocked() {
	for i := 0; i < len(d.queue) && d.running < d.max; {
		t := d.queue[i]
		if t.ctx.Err() != nil { // shutting down: drop without running
			d.queue = append(d.queue[:i], d.queue[i+1:]...)
			delete(d.inflight, t.id)
			t.done()
			continue
		}
		if d.perHost[t.host] >= d.maxPerHost {
			i++
			continue
		}
		d.queue = append(d.queue[:i], d.queue[i+1:]...)
		d.running++
		d.perHost[t.host]++
		go d.runTask(t)
	}
}

func (d *dispatcher) runTask(t *task) {
	defer t.done()
	var once sync.Once
	release := func() {
		once.Do(func() {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.running--
			if d.perHost[t.host]--; d.perHost[t.host] == 0 {
				delete(d.perHost, t.host)
			}
			d.startLocked()
		})
	}
	t.run(t.ctx, release)
	release()
	d.mu.Lock()
	delete(d.inflight, t.id) // only now: the source's write is done
	d.mu.Unlock()
}
