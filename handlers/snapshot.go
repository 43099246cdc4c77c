package handlers

import (
	"context"
	"fmt"
	"time"

	"github.com/feedrelay/feedrelay"
)

// snapshot is what the hot path reads instead of the database: the version
// of every feed and the category of every slug. It is replaced whole (an
// atomic pointer swap) when the store's change counter moves, so serving a
// cached feed takes no database query and no lock.
type snapshot struct {
	seq        int64
	versions   map[int64]feedrelay.FeedVersion
	bySlug     map[string]feedrelay.Category
	categories []feedrelay.Category // tree order, with counts
	// changed is closed when a newer snapshot replaces this one: long
	// polls wait on it (see longpoll.go) instead of asking the database.
	changed chan struct{}
}

// Refresh reloads the snapshot if the store changed since the last one.
// Writes through this server call it before answering, so their effect is
// visible at once; Run calls it on a ticker to notice writes made by other
// processes (feedrelay import beside feedrelay serve).
func (s *Server) Refresh(ctx context.Context) error {
	replaced, err := s.refresh(ctx)
	if replaced && s.cfg.OnWrite != nil {
		s.cfg.OnWrite() // outside the lock: it is someone else's code
	}
	return err
}

// refresh does Refresh's work and reports whether it replaced a snapshot.
func (s *Server) refresh(ctx context.Context) (bool, error) {
	// One refresh at a time: two overlapping ones (the ticker and a write)
	// could otherwise finish out of order and put back an older snapshot,
	// serving a feed from before a write the client already saw succeed.
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	if cur := s.snap.Load(); cur != nil {
		seq, err := s.store.ChangeSeq(ctx)
		if err != nil {
			return false, fmt.Errorf("refresh feed versions: %w", err)
		}
		if seq == cur.seq {
			return false, nil
		}
	}
	versions, seq, err := s.store.FeedVersions(ctx)
	if err != nil {
		return false, fmt.Errorf("refresh feed versions: %w", err)
	}
	cats, err := s.store.Categories(ctx)
	if err != nil {
		return false, fmt.Errorf("refresh categories: %w", err)
	}
	next := &snapshot{seq: seq, versions: versions, categories: cats, bySlug: make(map[string]feedrelay.Category, len(cats)),
		changed: make(chan struct{})}
	for _, c := range cats {
		next.bySlug[c.Slug] = c
	}
	// Wake the long polls waiting on the old snapshot. Under refreshMu,
	// so each channel is closed exactly once.
	prev := s.snap.Swap(next)
	if prev != nil {
		close(prev.changed)
	}
	return prev != nil, nil
}

// Run refreshes the snapshot every RefreshInterval until ctx is done.
func (s *Server) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.RefreshInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("refresh failed", "err", err)
			}
		}
	}
}
