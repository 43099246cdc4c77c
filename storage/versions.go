package storage

import (
	"context"
	"fmt"
	"github.com/feedrelay/feedrelay"
	"slices"
	"time"
)

// bumpVersions marks the all-articles feed and the given categories' feeds
// as changed, in the caller's transaction. The change time moves at least
// one second per change: Last-Modified has whole seconds, and a second
// write in the same second must still give a later Last-Modified, or a
// client polling with If-Modified-Since between the two would miss it.
func (s *Store) bumpVersions(ctx context.Context, tx *txn, categoryIDs []int64) error {
	now := s.now().UnixNano()
	ids := append([]int64{feedrelay.AllArticles}, categoryIDs...)
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO feed_versions (category_id, version, changed_unix) VALUES (?, 1, ?)
			ON CONFLICT (category_id) DO UPDATE SET version = version + 1,
				changed_unix = max(excluded.changed_unix, feed_versions.changed_unix + 1000000000)`, id, now); err != nil {
			return fmt.Errorf("bump feed version %d: %w", id, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE change_counter SET seq = seq + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("bump change counter: %w", err)
	}
	return nil
}

// ChangeSeq returns a number that grows with every write, from any process.
func (s *Store) ChangeSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.read.QueryRowContext(ctx, `SELECT seq FROM change_counter WHERE id = 1`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read change counter: %w", err)
	}
	return seq, nil
}

// FeedVersions returns the current version of every feed that has one,
// together with the change counter they were read at.
func (s *Store) FeedVersions(ctx context.Context) (map[int64]feedrelay.FeedVersion, int64, error) {
	out := map[int64]feedrelay.FeedVersion{}
	var seq int64
	err := s.readTx(ctx, func(tx *txn) error {
		if err := tx.QueryRowContext(ctx, `SELECT seq FROM change_counter WHERE id = 1`).Scan(&seq); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT category_id, version, changed_unix FROM feed_versions`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, v, ch int64
			if err := rows.Scan(&id, &v, &ch); err != nil {
				return err
			}
			out[id] = feedrelay.FeedVersion{Version: v, Changed: time.Unix(0, ch).UTC()}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read feed versions: %w", err)
	}
	return out, seq, nil
}
