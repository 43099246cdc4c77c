package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
)

const targetColumns = `t.id, t.name, t.platform, t.url, t.bot_token, t.chat_id, t.secret, t.category_paths,
	t.include_rules, t.exclude_rules, t.style, t.digest_max, t.format, t.rate_per_minute, t.burst,
	t.retry_budget_seconds, t.enabled, t.disabled_reason, t.permanent_fails, t.last_success_unix, t.last_error,
	t.created_unix, t.next_attempt_unix`

// CreateRelayTarget stores a new target; ErrConflict if the name is taken.
// Articles stored before it existed are not delivered to it.
func (s *Store) CreateRelayTarget(ctx context.Context, t feedrelay.RelayTarget) (feedrelay.RelayTarget, error) {
	if err := t.Validate(); err != nil {
		return feedrelay.RelayTarget{}, fmt.Errorf("add relay target %q: %w", t.Name, err)
	}
	err := s.tx(ctx, func(tx *txn) error {
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM relay_targets WHERE name = ?`, t.Name).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return fmt.Errorf("a relay target named %q already exists: %w", t.Name, feedrelay.ErrConflict)
		}
		now := s.now()
		r, err := tx.ExecContext(ctx, `INSERT INTO relay_targets (name, platform, url, bot_token, chat_id, secret,
			category_paths, include_rules, exclude_rules, style, digest_max, format, rate_per_minute, burst,
			retry_budget_seconds, enabled, created_unix) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			t.Name, t.Platform, t.URL, t.BotToken, t.ChatID, t.Secret, encodePaths(t.Categories),
			strings.Join(t.Rules.Include, nameSep), strings.Join(t.Rules.Exclude, nameSep), t.Style, t.DigestMax,
			t.Format, t.RatePerMinute, t.Burst, int64(t.RetryBudget/time.Second), t.Enabled, now.Unix())
		if err != nil {
			return err
		}
		t.ID, err = r.LastInsertId()
		t.Created = time.Unix(now.Unix(), 0).UTC()
		return err
	})
	if err != nil {
		return feedrelay.RelayTarget{}, fmt.Errorf("add relay target %q: %w", t.Name, err)
	}
	return t, nil
}

// RelayTargets returns every target with its delivery counts, by name.
func (s *Store) RelayTargets(ctx context.Context) ([]feedrelay.RelayTarget, error) {
	var out []feedrelay.RelayTarget
	err := s.readTx(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+targetColumns+` FROM relay_targets t ORDER BY t.name`)
		if err != nil {
			return err
		}
		if out, err = scanTargets(rows); err != nil {
			return err
		}
		return loadDeliveryCounts(ctx, tx, out, 0)
	})
	if err != nil {
		return nil, fmt.Errorf("list relay targets: %w", err)
	}
	return out, nil
}

// RelayTarget returns one target by id, or by name when id is 0.
func (s *Store) RelayTarget(ctx context.Context, id int64, name string) (feedrelay.RelayTarget, error) {
	var out []feedrelay.RelayTarget
	err := s.readTx(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+targetColumns+` FROM relay_targets t WHERE t.id = ? OR (? = 0 AND t.name = ?)`, id, id, name)
		if err != nil {
			return err
		}
		if out, err = scanTargets(rows); err != nil {
			return err
		}
		if len(out) == 0 {
			return feedrelay.ErrNotFound
		}
		return loadDeliveryCounts(ctx, tx, out, out[0].ID)
	})
	if err != nil {
		return feedrelay.RelayTarget{}, fmt.Errorf("relay target %s: %w", targetRef(id, name), err)
	}
	return out[0], nil
}

func targetRef(id int64, name string) string {
	if id != 0 {
		return fmt.Sprint(id)
	}
	return fmt.Sprintf("%q", name)
}

// DeleteRelayTarget removes a target and its outbox rows.
func (s *Store) DeleteRelayTarget(ctx context.Context, id int64) error {
	err := s.tx(ctx, func(tx *txn) error {
		r, err := tx.ExecContext(ctx, `DELETE FROM relay_targets WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return feedrelay.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove relay target %d: %w", id, err)
	}
	return nil
}

// SetRelayTargetEnabled turns a target on or off (the operator's switch).
func (s *Store) SetRelayTargetEnabled(ctx context.Context, id int64, enabled bool) error {
	err := s.tx(ctx, func(tx *txn) error {
		r, err := tx.ExecContext(ctx, `UPDATE relay_targets SET enabled = ? WHERE id = ?`, enabled, id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return feedrelay.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("enable relay target %d: %w", id, err)
	}
	return nil
}

// RetryRelayTarget restarts a target: it clears the worker's stop and
// backoff, puts its dead deliveries back in the queue (in their original
// order) and restarts the retry budget of the whole queue. It returns how
// many dead deliveries were revived.
func (s *Store) RetryRelayTarget(ctx context.Context, id int64) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *txn) error {
		r, err := tx.ExecContext(ctx, `UPDATE relay_targets SET disabled_reason = '', permanent_fails = 0,
			next_attempt_unix = 0 WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if c, _ := r.RowsAffected(); c == 0 {
			return feedrelay.ErrNotFound
		}
		r, err = tx.ExecContext(ctx, `UPDATE deliveries SET status = 'pending', attempts = 0, first_attempt_unix = 0
			WHERE target_id = ? AND status = 'dead'`, id)
		if err != nil {
			return err
		}
		if n, err = r.RowsAffected(); err != nil {
			return err
		}
		// The retry budget restarts for the whole queue: while the target
		// was stopped nothing was tried, and a stop longer than the budget
		// would otherwise let the first hiccup after the retry kill the
		// backlog the operator just asked to have sent.
		_, err = tx.ExecContext(ctx, `UPDATE deliveries SET first_attempt_unix = 0
			WHERE target_id = ? AND status = 'pending' AND first_attempt_unix <> 0`, id)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("retry relay target %d: %w", id, err)
	}
	return int(n), nil
}

func scanTargets(rows *sql.Rows) ([]feedrelay.RelayTarget, error) {
	defer rows.Close()
	var out []feedrelay.RelayTarget
	for rows.Next() {
		var t feedrelay.RelayTarget
		var paths, inc, exc string
		var budget, success, created, next int64
		if err := rows.Scan(&t.ID, &t.Name, &t.Platform, &t.URL, &t.BotToken, &t.ChatID, &t.Secret, &paths,
			&inc, &exc, &t.Style, &t.DigestMax, &t.Format, &t.RatePerMinute, &t.Burst, &budget, &t.Enabled,
			&t.State.DisabledReason, &t.State.PermanentFails, &success, &t.State.LastError, &created, &next); err != nil {
			return nil, err
		}
		t.Categories = decodePaths(paths)
		t.Rules = feedrelay.Rules{Include: decodeTags(inc), Exclude: decodeTags(exc)}
		t.RetryBudget = time.Duration(budget) * time.Second
		t.State.LastSuccess = unixOrZero(success)
		t.State.NextAttempt = unixNanoOrZero(next)
		t.Created = time.Unix(created, 0).UTC()
		out = append(out, t)
	}
	return out, rows.Err()
}

// loadDeliveryCounts fills the delivery counts of list; with only ≠ 0 it
// counts that target's rows alone (an index range, not the whole outbox).
func loadDeliveryCounts(ctx context.Context, tx *txn, list []feedrelay.RelayTarget, only int64) error {
	byID := map[int64]*feedrelay.RelayTarget{}
	for i := range list {
		byID[list[i].ID] = &list[i]
	}
	rows, err := tx.QueryContext(ctx, `SELECT target_id, status, attempts > 0, count(*) FROM deliveries
		WHERE ? = 0 OR target_id = ? GROUP BY target_id, status, attempts > 0`, only, only)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var status string
		var tried bool
		var n int
		if err := rows.Scan(&id, &status, &tried, &n); err != nil {
			return err
		}
		t := byID[id]
		if t == nil {
			continue
		}
		switch status {
		case feedrelay.DeliveryPending:
			t.State.Pending += n
			if tried {
				t.State.Failed += n
			}
		case feedrelay.DeliveryDelivered:
			t.State.Delivered += n
		case feedrelay.DeliveryDead:
			t.State.Dead += n
		}
	}
	return rows.Err()
}

func unixOrZero(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}
