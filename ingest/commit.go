package ingest

import (
	"context"
	"sync"

	"github.com/feedrelay/feedrelay"
)

// maxPollsPerCommit bounds one group commit (and so how long the write
// lock is held at a time).
const maxPollsPerCommit = 64

// committer groups the writes of polls that finish close together into one
// transaction. SQLite has one writer and a commit costs far more than the
// few rows of a poll (about 1 ms against 0.2 ms per item when measured),
// so a thousand sources polled at once would otherwise queue behind a
// thousand commits. There is no timer and no extra goroutine: the first
// writer to arrive commits; writers that arrive while it is committing
// queue, and it commits them as the next batch before it returns.
type committer struct {
	db interface {
		StorePolls(ctx context.Context, polls []feedrelay.PollWrite) ([]feedrelay.PollWriteResult, error)
	}
	mu      sync.Mutex
	queue   []*pendingWrite
	leading bool
}

type pendingWrite struct {
	write feedrelay.PollWrite
	res   feedrelay.PollWriteResult
	done  chan struct{}
}

// store commits w (possibly with others) and returns its outcomes.
func (c *committer) store(ctx context.Context, w feedrelay.PollWrite) ([]feedrelay.UpsertOutcome, error) {
	pw := &pendingWrite{write: w, done: make(chan struct{})}
	c.mu.Lock()
	c.queue = append(c.queue, pw)
	if c.leading {
		c.mu.Unlock()
		<-pw.done // the leader commits it; it never stops before its queue is empty
		return pw.res.Items, pw.res.Err
	}
	c.leading = true
	for len(c.queue) > 0 {
		n := min(len(c.queue), maxPollsPerCommit)
		batch := c.queue[:n:n]
		c.queue = c.queue[n:]
		c.mu.Unlock()
		c.commitBatch(context.WithoutCancel(ctx), batch)
		c.mu.Lock()
	}
	c.leading = false
	c.queue = nil
	c.mu.Unlock()
	<-pw.done
	return pw.res.Items, pw.res.Err
}

func (c *committer) commitBatch(ctx context.Context, batch []*pendingWrite) {
	writes := make([]feedrelay.PollWrite, len(batch))
	for i, pw := range batch {
		writes[i] = pw.write
	}
	res, err := c.db.StorePolls(ctx, writes)
	for i, pw := range batch {
		if err != nil {
			pw.res.Err = err
		} else {
			pw.res = res[i]
		}
		close(pw.done)
	}
}
