// Package groupcommit batches writes that arrive while a commit is running
// into the next commit: SQLite has one writer, and a commit costs more
// than the few rows most callers bring, so many small writers otherwise
// queue behind as many commits.
package groupcommit

import (
	"context"
	"sync"
)

// Batcher commits items in groups. There is no timer and no goroutine of
// its own: the first caller to arrive commits what is queued, and callers
// that arrive meanwhile queue and are committed by it as the next batch
// before it returns, so an item never waits for company and none is left
// behind.
type Batcher[T, R any] struct {
	// Commit stores a batch in one transaction and returns one result per
	// item, in order; an error fails every item of the batch.
	Commit func(ctx context.Context, batch []T) ([]R, error)
	// Max bounds a batch (and so how long one commit holds the write lock).
	Max int

	mu      sync.Mutex
	queue   []*pending[T, R]
	leading bool
}

type pending[T, R any] struct {
	item T
	res  R
	err  error
	done chan struct{}
}

// Do commits item, possibly with others, and returns its result. The
// commit runs without ctx's cancellation: a write that was started is
// finished (it is short), so a caller shutting down cannot fail the
// items of others that the same batch carries.
func (b *Batcher[T, R]) Do(ctx context.Context, item T) (R, error) {
	p := &pending[T, R]{item: item, done: make(chan struct{})}
	b.mu.Lock()
	b.queue = append(b.queue, p)
	if b.leading {
		b.mu.Unlock()
		<-p.done // the leader commits it; it never stops before its queue is empty
		return p.res, p.err
	}
	b.leading = true
	for len(b.queue) > 0 {
		n := len(b.queue)
		if b.Max > 0 {
			n = min(n, b.Max)
		}
		batch := b.queue[:n:n]
		b.queue = b.queue[n:]
		b.mu.Unlock()
		b.commit(context.WithoutCancel(ctx), batch)
		b.mu.Lock()
	}
	b.leading = false
	b.queue = nil
	b.mu.Unlock()
	<-p.done
	return p.res, p.err
}

func (b *Batcher[T, R]) commit(ctx context.Context, batch []*pending[T, R]) {
	items := make([]T, len(batch))
	for i, p := range batch {
		items[i] = p.item
	}
	res, err := b.Commit(ctx, items)
	for i, p := range batch {
		switch {
		case err != nil:
			p.err = err
		case i < len(res):
			p.res = res[i]
		}
		close(p.done)
	}
}
