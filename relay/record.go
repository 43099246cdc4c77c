package relay

import (
	"context"
	"sync"

	"github.com/feedrelay/feedrelay"
)

// maxAttemptsPerCommit bounds one group commit of delivery results.
const maxAttemptsPerCommit = 256

// recorder groups the results of sends that finish close together into
// one transaction: with many targets a commit per message, not the
// network, was the ceiling. The first caller commits; callers arriving
// meanwhile queue and are committed by it as the next batch before it
// returns, so no result waits on a timer and none is lost.
type recorder struct {
	db interface {
		RecordDeliveryAttempts(ctx context.Context, list []feedrelay.DeliveryAttempt) ([]int, error)
	}
	mu      sync.Mutex
	queue   []*pendingAttempt
	leading bool
}

type pendingAttempt struct {
	at   feedrelay.DeliveryAttempt
	dead int
	err  error
	done chan struct{}
}

func (r *recorder) record(ctx context.Context, at feedrelay.DeliveryAttempt) (int, error) {
	p := &pendingAttempt{at: at, done: make(chan struct{})}
	r.mu.Lock()
	r.queue = append(r.queue, p)
	if r.leading {
		r.mu.Unlock()
		<-p.done
		return p.dead, p.err
	}
	r.leading = true
	for len(r.queue) > 0 {
		n := min(len(r.queue), maxAttemptsPerCommit)
		batch := r.queue[:n:n]
		r.queue = r.queue[n:]
		r.mu.Unlock()
		r.commit(ctx, batch)
		r.mu.Lock()
	}
	r.leading = false
	r.queue = nil
	r.mu.Unlock()
	<-p.done
	return p.dead, p.err
}

func (r *recorder) commit(ctx context.Context, batch []*pendingAttempt) {
	list := make([]feedrelay.DeliveryAttempt, len(batch))
	for i, p := range batch {
		list[i] = p.at
	}
	dead, err := r.db.RecordDeliveryAttempts(ctx, list)
	for i, p := range batch {
		if err != nil {
			p.err = err
		} else {
			p.dead = dead[i]
		}
		close(p.done)
	}
}
