package handlers

import (
	"context"
	"time"

	"github.com/feedrelay/feedrelay"
)

// maxWait bounds ?wait= of the cursor API; longer waits are served as this.
const maxWait = 60 * time.Second

// stop ends every long poll's wait: New's ctx is done (shutting down).
func (s *Server) stop() { s.stopOnce.Do(func() { close(s.stopping) }) }

// articlesAfter returns up to limit articles stored after cursor after (in
// category catID and below, or all). When there are none and wait > 0 it
// waits for the store to change, looks again, and so on until articles
// turn up or wait has passed; then it looks one last time (a write by
// another process may not have been refreshed yet) and answers, possibly
// with nothing.
//
// Waiting costs no database connection and no polling: the request sleeps
// on the snapshot's changed channel, which Refresh closes when it installs
// a newer snapshot (this server's writes refresh before they answer, Run
// refreshes every RefreshInterval for other processes', main after polls).
// The wait also ends when the request's context ends (the client went
// away, under net/http) or the server shuts down (New's ctx).
func (s *Server) articlesAfter(ctx context.Context, after feedrelay.Cursor, catID int64, limit int, wait time.Duration) ([]feedrelay.Article, error) {
	var timeout <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timeout = t.C
	}
	for {
		// The snapshot is loaded before the query, never after: a write
		// committed after the query is refreshed into a newer snapshot,
		// which closes this one's channel, so no write can slip in between
		// the query and the wait unnoticed.
		snap := s.snap.Load()
		list, err := s.store.ArticlesAfter(ctx, after, catID, limit)
		if err != nil || len(list) > 0 || timeout == nil {
			return list, err
		}
		select {
		case <-snap.changed:
			// Something changed: maybe not an article we want (another
			// category, an edit), so look and wait again if need be.
		case <-timeout:
			timeout = nil // one last look, then answer
		case <-s.stopping:
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
