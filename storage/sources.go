package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
)

const sourceColumns = `s.id, s.url, s.title, s.category_paths, s.item_categories, s.interval_seconds, s.enabled,
	s.include_rules, s.exclude_rules, s.etag, s.last_modified, s.feed_title, s.site_url, s.last_attempt_unix,
	s.last_success_unix, s.last_error, s.failures, s.next_poll_unix, s.disabled_reason, s.created_unix`

// CreateSource stores a new source, due for polling at once; ErrConflict
// if a source with the same URL exists.
func (s *Store) CreateSource(ctx context.Context, src feedrelay.Source) (feedrelay.Source, error) {
	if err := src.Validate(); err != nil {
		return feedrelay.Source{}, fmt.Errorf("add source %q: %w", src.URL, err)
	}
	err := s.tx(ctx, func(tx *txn) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM sources WHERE url = ?`, src.URL).Scan(&id)
		if err == nil {
			return fmt.Errorf("source %d already polls %s: %w", id, src.URL, feedrelay.ErrConflict)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now := s.now()
		r, err := tx.ExecContext(ctx, `INSERT INTO sources (url, title, category_paths, item_categories,
			interval_seconds, enabled, include_rules, exclude_rules, next_poll_unix, feed_title, site_url, created_unix)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, src.URL, src.Title, encodePaths(src.Categories), src.ItemCategories,
			int64(src.Interval/time.Second), src.Enabled, strings.Join(src.Rules.Include, nameSep),
			strings.Join(src.Rules.Exclude, nameSep), zeroNano(src.State.NextPoll), src.State.FeedTitle,
			src.State.SiteURL, now.Unix())
		if err != nil {
			return err
		}
		src.ID, err = r.LastInsertId()
		src.Created = time.Unix(now.Unix(), 0).UTC()
		return err
	})
	if err != nil {
		return feedrelay.Source{}, fmt.Errorf("add source %q: %w", src.URL, err)
	}
	return src, nil
}

// UpdateSource replaces a source's settings (URL, title, categories,
// interval, enabled, rules); its fetch state is kept.
func (s *Store) UpdateSource(ctx context.Context, src feedrelay.Source) (feedrelay.Source, error) {
	if err := src.Validate(); err != nil {
		return feedrelay.Source{}, fmt.Errorf("update source %d: %w", src.ID, err)
	}
	err := s.tx(ctx, func(tx *txn) error {
		r, err := tx.ExecContext(ctx, `UPDATE sources SET url=?, title=?, category_paths=?, item_categories=?,
			interval_seconds=?, enabled=?, include_rules=?, exclude_rules=?,
			disabled_reason = CASE WHEN ? THEN '' ELSE disabled_reason END WHERE id=?`,
			src.URL, src.Title, encodePaths(src.Categories), src.ItemCategories, int64(src.Interval/time.Second),
			src.Enabled, strings.Join(src.Rules.Include, nameSep), strings.Join(src.Rules.Exclude, nameSep),
			src.Enabled, src.ID)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return fmt.Errorf("another source already polls %s: %w", src.URL, feedrelay.ErrConflict)
			}
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return feedrelay.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return feedrelay.Source{}, fmt.Errorf("update source %d: %w", src.ID, err)
	}
	return s.Source(ctx, src.ID)
}

// Sources returns every source with its item count, by id.
func (s *Store) Sources(ctx context.Context) ([]feedrelay.Source, error) {
	out, err := s.querySources(ctx, `ORDER BY s.id`)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return out, nil
}

// Source returns one source; ErrNotFound if there is none.
func (s *Store) Source(ctx context.Context, id int64) (feedrelay.Source, error) {
	out, err := s.querySources(ctx, `WHERE s.id = ?`, id)
	if err == nil && len(out) == 0 {
		err = feedrelay.ErrNotFound
	}
	if err != nil {
		return feedrelay.Source{}, fmt.Errorf("source %d: %w", id, err)
	}
	return out[0], nil
}

// DueSources returns up to limit enabled sources whose next poll is at or
// before now, the most overdue first.
func (s *Store) DueSources(ctx context.Context, now time.Time, limit int) ([]feedrelay.Source, error) {
	out, err := s.querySources(ctx, `WHERE s.enabled = 1 AND s.next_poll_unix <= ? ORDER BY s.next_poll_unix, s.id LIMIT ?`,
		now.UnixNano(), limit)
	if err != nil {
		return nil, fmt.Errorf("list due sources: %w", err)
	}
	return out, nil
}

func (s *Store) querySources(ctx context.Context, where string, args ...any) ([]feedrelay.Source, error) {
	var out []feedrelay.Source
	err := s.readTx(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+sourceColumns+`,
			(SELECT count(*) FROM articles a WHERE a.source_id = s.id) FROM sources s `+where, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var src feedrelay.Source
			var paths, inc, exc string
			var interval, attempt, success, next, created int64
			st := &src.State
			if err := rows.Scan(&src.ID, &src.URL, &src.Title, &paths, &src.ItemCategories, &interval, &src.Enabled,
				&inc, &exc, &st.ETag, &st.LastModified, &st.FeedTitle, &st.SiteURL, &attempt, &success,
				&st.LastError, &st.Failures, &next, &st.DisabledReason, &created, &st.ItemCount); err != nil {
				return err
			}
			src.Categories = decodePaths(paths)
			src.Rules = feedrelay.Rules{Include: decodeTags(inc), Exclude: decodeTags(exc)}
			src.Interval = time.Duration(interval) * time.Second
			st.LastAttempt, st.LastSuccess, st.NextPoll = unixNanoOrZero(attempt), unixNanoOrZero(success), unixNanoOrZero(next)
			src.Created = time.Unix(created, 0).UTC()
			out = append(out, src)
		}
		return rows.Err()
	})
	return out, err
}

// SaveSourceState records a poll: the new fetch state, and (after a
// permanent redirect or a 410) the source's new URL or disabled flag.
func (s *Store) SaveSourceState(ctx context.Context, id int64, url string, enabled bool, st feedrelay.SourceState) error {
	err := s.tx(ctx, func(tx *txn) error { return saveSourceState(ctx, tx, id, url, enabled, st) })
	if err != nil {
		return fmt.Errorf("save state of source %d: %w", id, err)
	}
	return nil
}

// StorePolls stores several polls in one transaction (the poller groups
// the polls that finish while a commit is running: one commit instead of
// one per source). Each poll's items and its source's new state commit
// together, so the validators (ETag) that let the next poll skip these
// items are never saved without the items themselves; each poll succeeds
// or fails alone (its own savepoint), and within a poll each item does.
func (s *Store) StorePolls(ctx context.Context, polls []feedrelay.PollWrite) ([]feedrelay.PollWriteResult, error) {
	out := make([]feedrelay.PollWriteResult, len(polls))
	err := s.tx(ctx, func(tx *txn) error {
		var touched []int64
		for i, p := range polls {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT poll`); err != nil {
				return err
			}
			items, cats, err := s.storePoll(ctx, tx, p, false)
			if errors.Is(err, errRetryWithSavepoints) {
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO poll`); err != nil {
					return err
				}
				tx.categoryIDs, tx.tagIDs = nil, nil
				items, cats, err = s.storePoll(ctx, tx, p, true)
			}
			if err != nil {
				if _, rbErr := tx.ExecContext(ctx, `ROLLBACK TO poll`); rbErr != nil {
					return rbErr
				}
				tx.categoryIDs, tx.tagIDs = nil, nil
				out[i].Err = fmt.Errorf("store poll of source %d: %w", p.SourceID, err)
			} else {
				out[i].Items = items
				touched = append(touched, cats...)
			}
			if _, err := tx.ExecContext(ctx, `RELEASE poll`); err != nil {
				return err
			}
		}
		if len(touched) == 0 {
			return nil
		}
		return s.bumpVersions(ctx, tx, touched)
	})
	if err != nil {
		return nil, fmt.Errorf("store %d polls: %w", len(polls), err)
	}
	return out, nil
}

func (s *Store) storePoll(ctx context.Context, tx *txn, p feedrelay.PollWrite, savepoints bool) ([]feedrelay.UpsertOutcome, []int64, error) {
	if err := saveSourceState(ctx, tx, p.SourceID, p.URL, p.Enabled, p.State); err != nil {
		return nil, nil, err
	}
	return s.upsertInTx(ctx, tx, p.Items, savepoints)
}

func saveSourceState(ctx context.Context, tx *txn, id int64, url string, enabled bool, st feedrelay.SourceState) error {
	r, err := tx.ExecContext(ctx, `UPDATE sources SET url = CASE WHEN ? <> '' AND NOT EXISTS
				(SELECT 1 FROM sources o WHERE o.url = ? AND o.id <> sources.id) THEN ? ELSE url END,
			enabled = ?, etag = ?, last_modified = ?, feed_title = ?, site_url = ?, last_attempt_unix = ?,
			last_success_unix = ?, last_error = ?, failures = ?, next_poll_unix = ?, disabled_reason = ?
			WHERE id = ?`, url, url, url, enabled, st.ETag, st.LastModified, st.FeedTitle, st.SiteURL,
		zeroNano(st.LastAttempt), zeroNano(st.LastSuccess), st.LastError, st.Failures, zeroNano(st.NextPoll),
		st.DisabledReason, id)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("source %d: %w", id, feedrelay.ErrNotFound)
	}
	return nil
}

func zeroNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// DeleteSource removes a source. Its articles stay in their feeds unless
// purge is set, in which case they are deleted too.
func (s *Store) DeleteSource(ctx context.Context, id int64, purge bool) (purged int, err error) {
	err = s.tx(ctx, func(tx *txn) error {
		var touched []int64
		if purge {
			rows, err := tx.QueryContext(ctx, `SELECT DISTINCT ac.category_id FROM article_categories ac
				JOIN articles a ON a.id = ac.article_id WHERE a.source_id = ?`, id)
			if err != nil {
				return err
			}
			for rows.Next() {
				var c int64
				if err := rows.Scan(&c); err != nil {
					rows.Close()
					return err
				}
				touched = append(touched, c)
			}
			if err := rows.Close(); err != nil {
				return err
			}
			r, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE source_id = ?`, id)
			if err != nil {
				return err
			}
			n, _ := r.RowsAffected()
			purged = int(n)
		}
		r, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return feedrelay.ErrNotFound
		}
		if purged > 0 {
			return s.bumpVersions(ctx, tx, touched)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("remove source %d: %w", id, err)
	}
	return purged, nil
}

// ArticleDates returns the published time of those keys that are stored:
// an upstream item without a usable date keeps the time it was first seen.
func (s *Store) ArticleDates(ctx context.Context, keys []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := s.readTx(ctx, func(tx *txn) error {
		for _, k := range keys {
			var pub int64
			var off int
			err := tx.QueryRowContext(ctx, `SELECT published_unix, published_offset FROM articles WHERE key = ?`, k).Scan(&pub, &off)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			out[k] = joinTime(pub, off)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look up article dates: %w", err)
	}
	return out, nil
}
