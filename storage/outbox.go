package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/feedrelay/feedrelay"
)

// outboxTarget is what matching a new article against a target needs.
type outboxTarget struct {
	target  feedrelay.RelayTarget
	matcher *feedrelay.Matcher
}

// enqueueDeliveries writes one pending delivery per enabled target that
// follows the new article a, inside the transaction that creates it.
// Targets stopped by the worker (bad key) still queue: after relays retry
// the group gets what it missed.
func (s *Store) enqueueDeliveries(ctx context.Context, tx *txn, a *feedrelay.Article, now int64) error {
	if !tx.targetsLoaded {
		rows, err := tx.QueryContext(ctx, `SELECT id, category_paths, include_rules, exclude_rules FROM relay_targets WHERE enabled = 1`)
		if err != nil {
			return fmt.Errorf("load relay targets: %w", err)
		}
		for rows.Next() {
			var t feedrelay.RelayTarget
			var paths, inc, exc string
			if err := rows.Scan(&t.ID, &paths, &inc, &exc); err != nil {
				rows.Close()
				return fmt.Errorf("load relay targets: %w", err)
			}
			t.Categories = decodePaths(paths)
			t.Rules = feedrelay.Rules{Include: decodeTags(inc), Exclude: decodeTags(exc)}
			m, err := t.Rules.Compile("rules")
			if err != nil { // validated on write; a bad row must not block storing articles
				m = nil
			}
			tx.targets = append(tx.targets, outboxTarget{target: t, matcher: m})
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("load relay targets: %w", err)
		}
		tx.targetsLoaded = true
	}
	const perInsert = 300 // three parameters per row, far below SQLite's limit
	args := make([]any, 0, 3*perInsert)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		n := len(args) / 3
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO deliveries (target_id, article_id, created_unix) VALUES `+valueRows(3, n), args...)
		args = args[:0]
		if err != nil {
			return fmt.Errorf("queue deliveries: %w", err)
		}
		return nil
	}
	for i := range tx.targets {
		t := &tx.targets[i]
		if !t.target.Matches(a, t.matcher) {
			continue
		}
		args = append(args, t.target.ID, a.ID, now)
		if len(args) == 3*perInsert {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// DueRelayTargets returns the targets the worker may send to at now:
// enabled, not stopped, past their backoff, with something pending.
func (s *Store) DueRelayTargets(ctx context.Context, now time.Time) ([]feedrelay.RelayTarget, error) {
	var out []feedrelay.RelayTarget
	err := s.readTx(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+targetColumns+` FROM relay_targets t
			WHERE t.enabled = 1 AND t.disabled_reason = '' AND t.next_attempt_unix <= ?
			AND EXISTS (SELECT 1 FROM deliveries d WHERE d.target_id = t.id AND d.status = 'pending')
			ORDER BY t.next_attempt_unix, t.id`, now.UnixNano())
		if err != nil {
			return err
		}
		out, err = scanTargets(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list due relay targets: %w", err)
	}
	return out, nil
}

// PendingDeliveries returns up to limit of the target's pending
// deliveries, oldest first (article order), with their articles.
func (s *Store) PendingDeliveries(ctx context.Context, targetID int64, limit int) ([]feedrelay.Delivery, error) {
	var out []feedrelay.Delivery
	err := s.readTx(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT d.id, d.target_id, d.article_id, d.status, d.attempts,
			d.first_attempt_unix, d.last_error, d.created_unix, `+articleColumns+`
			FROM deliveries d JOIN articles a ON a.id = d.article_id
			WHERE d.target_id = ? AND d.status = 'pending' ORDER BY d.id LIMIT ?`, targetID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d feedrelay.Delivery
			var first, created int64
			dest := []any{&d.ID, &d.TargetID, &d.ArticleID, &d.Status, &d.Attempts, &first, &d.LastError, &created}
			a, adest := articleDest()
			if err := rows.Scan(append(dest, adest...)...); err != nil {
				return err
			}
			a.finish()
			d.Article = a.Article
			d.FirstAttempt = unixNanoOrZero(first)
			d.Created = time.Unix(0, created).UTC()
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("pending deliveries of target %d: %w", targetID, err)
	}
	return out, nil
}

// RecordDeliveryAttempt stores the result of one send; see
// RecordDeliveryAttempts.
func (s *Store) RecordDeliveryAttempt(ctx context.Context, at feedrelay.DeliveryAttempt) (dead int, err error) {
	out, err := s.RecordDeliveryAttempts(ctx, []feedrelay.DeliveryAttempt{at})
	if err != nil {
		return 0, err
	}
	return out[0], nil
}

// RecordDeliveryAttempts stores the results of several sends in one
// transaction (the worker groups the answers that arrive while a commit is
// running). A success marks the deliveries delivered. A rejected message
// goes dead at once. A rate-limit answer moves the target's next attempt
// without counting an attempt (the backoff does not grow), though the
// retry budget runs from the first answer of any kind. Any other
// failure counts an attempt, moves deliveries past the target's retry
// budget to dead, pushes the target's next attempt back, and stops the
// target after StopAfter permanent failures in a row. It returns how many
// deliveries went dead per attempt.
func (s *Store) RecordDeliveryAttempts(ctx context.Context, list []feedrelay.DeliveryAttempt) ([]int, error) {
	out := make([]int, len(list))
	err := s.tx(ctx, func(tx *txn) error {
		for i, at := range list {
			n, err := recordAttempt(ctx, tx, at)
			if err != nil {
				return fmt.Errorf("target %d: %w", at.TargetID, err)
			}
			out[i] = n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("record %d delivery attempts: %w", len(list), err)
	}
	return out, nil
}

func recordAttempt(ctx context.Context, tx *txn, at feedrelay.DeliveryAttempt) (dead int, err error) {
	now := at.At.UnixNano()
	for _, id := range at.DeliveryIDs {
		var err error
		switch {
		case at.Delivered:
			_, err = tx.ExecContext(ctx, `UPDATE deliveries SET status = 'delivered', delivered_unix = ?,
				attempts = attempts + 1, last_error = '' WHERE id = ? AND target_id = ?`, now, id, at.TargetID)
		case at.Rejected:
			_, err = tx.ExecContext(ctx, `UPDATE deliveries SET status = 'dead', attempts = attempts + 1, last_error = ?,
				first_attempt_unix = CASE first_attempt_unix WHEN 0 THEN ? ELSE first_attempt_unix END
				WHERE id = ? AND target_id = ? AND status = 'pending'`, at.Error, now, id, at.TargetID)
			dead++
		case at.RateLimited:
			// Not an attempt (the backoff does not grow), but the budget's
			// clock starts: a receiver that answers 429 forever must not
			// keep deliveries pending forever.
			_, err = tx.ExecContext(ctx, `UPDATE deliveries SET last_error = ?,
				first_attempt_unix = CASE first_attempt_unix WHEN 0 THEN ? ELSE first_attempt_unix END
				WHERE id = ? AND target_id = ?`, at.Error, now, id, at.TargetID)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE deliveries SET attempts = attempts + 1, last_error = ?,
				first_attempt_unix = CASE first_attempt_unix WHEN 0 THEN ? ELSE first_attempt_unix END
				WHERE id = ? AND target_id = ?`, at.Error, now, id, at.TargetID)
		}
		if err != nil {
			return 0, fmt.Errorf("record delivery %d: %w", id, err)
		}
	}
	switch {
	case at.Delivered:
		_, err := tx.ExecContext(ctx, `UPDATE relay_targets SET last_success_unix = ?, last_error = '',
			permanent_fails = 0, next_attempt_unix = ? WHERE id = ?`,
			at.At.Unix(), zeroNano(at.NextAttempt), at.TargetID)
		return 0, err
	case at.Rejected:
		_, err := tx.ExecContext(ctx, `UPDATE relay_targets SET last_error = ?, next_attempt_unix = ?,
			permanent_fails = 0 WHERE id = ?`, at.Error, zeroNano(at.NextAttempt), at.TargetID)
		return dead, err
	}
	r, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = 'dead'
		WHERE target_id = ? AND status = 'pending' AND first_attempt_unix > 0
		AND first_attempt_unix + (SELECT retry_budget_seconds FROM relay_targets WHERE id = ?) * 1000000000 <= ?`,
		at.TargetID, at.TargetID, now)
	if err != nil {
		return 0, fmt.Errorf("expire deliveries: %w", err)
	}
	n, _ := r.RowsAffected()
	permanent := 0
	if at.Permanent {
		permanent = 1
	}
	stop := ""
	if at.Permanent && at.StopAfter > 0 {
		stop = at.Error
	}
	_, err = tx.ExecContext(ctx, `UPDATE relay_targets SET last_error = ?, next_attempt_unix = ?,
		permanent_fails = CASE ? WHEN 1 THEN permanent_fails + 1 ELSE 0 END,
		disabled_reason = CASE WHEN ? <> '' AND permanent_fails + 1 >= ? THEN ? ELSE disabled_reason END
		WHERE id = ?`, at.Error, zeroNano(at.NextAttempt), permanent, stop, at.StopAfter, stop, at.TargetID)
	return int(n), err
}

func unixNanoOrZero(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}

// PruneDeliveries deletes delivered rows delivered before cutoff: the
// outbox would otherwise grow by one row per article and target forever.
// Pending and dead rows are kept (they are work, or evidence). It returns
// how many rows went.
func (s *Store) PruneDeliveries(ctx context.Context, cutoff time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *txn) error {
		r, err := tx.ExecContext(ctx, `DELETE FROM deliveries WHERE status = 'delivered' AND delivered_unix < ?`, cutoff.UnixNano())
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune delivered deliveries: %w", err)
	}
	return int(n), nil
}
