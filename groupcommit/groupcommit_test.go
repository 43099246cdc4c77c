package groupcommit

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestConcurrentCallersShareCommitsAndGetTheirOwnResults(t *testing.T) {
	var commits, biggest atomic.Int32
	release := make(chan struct{})
	var first sync.Once
	b := &Batcher[int, int]{Max: 16, Commit: func(_ context.Context, batch []int) ([]int, error) {
		first.Do(func() { <-release }) // hold the first commit so others queue
		commits.Add(1)
		if n := int32(len(batch)); n > biggest.Load() {
			biggest.Store(n)
		}
		out := make([]int, len(batch))
		for i, v := range batch {
			out[i] = v * 10
		}
		return out, nil
	}}
	const callers = 40
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for i := range callers {
		wg.Go(func() {
			got, err := b.Do(context.Background(), i)
			if err != nil || got != i*10 {
				errs <- errors.New("wrong result")
			}
		})
	}
	time.Sleep(50 * time.Millisecond) // let the others queue behind the held commit
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if c := commits.Load(); c >= callers || biggest.Load() > 16 {
		t.Errorf("%d commits for %d callers (largest batch %d, max 16): writes were not grouped within bounds", c, callers, biggest.Load())
	}
}

func TestCommitErrorFailsTheBatch(t *testing.T) {
	b := &Batcher[string, int]{Commit: func(context.Context, []string) ([]int, error) { return nil, errors.New("disk full") }}
	if _, err := b.Do(context.Background(), "x"); err == nil || err.Error() != "disk full" {
		t.Errorf("err %v, want the commit's error", err)
	}
	// A cancelled caller's write is still committed.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ok := &Batcher[int, int]{Commit: func(ctx context.Context, batch []int) ([]int, error) { return []int{1}, ctx.Err() }}
	if got, err := ok.Do(ctx, 1); err != nil || got != 1 {
		t.Errorf("cancelled caller: %d %v, want the write committed", got, err)
	}
}
