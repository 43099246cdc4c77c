package storage

import (
	"context"
	"fmt"

	"github.com/feedrelay/feedrelay"
)

// ArticlesAfter returns up to limit articles first stored after cursor
// after, in the order they were stored; with categoryID ≠ 0 only those in
// that category or below it. Sequence numbers are taken inside the single
// write transaction that creates an article, so they become visible in
// order: a reader can never see seq n+1 while n is still uncommitted, and
// a poller that resumes from the last cursor it got misses nothing.
func (s *Store) ArticlesAfter(ctx context.Context, after feedrelay.Cursor, categoryID int64, limit int) ([]feedrelay.Article, error) {
	if limit <= 0 {
		limit = 50
	}
	var out []feedrelay.Article
	err := s.readTx(ctx, func(tx *txn) error {
		var query string
		args := []any{int64(after)}
		if categoryID == feedrelay.AllArticles {
			query = `SELECT ` + articleColumns + ` FROM articles a WHERE a.stored_seq > ? ORDER BY a.stored_seq LIMIT ?`
		} else {
			query = `SELECT ` + articleColumns + ` FROM articles a WHERE a.stored_seq > ?
				AND EXISTS (SELECT 1 FROM article_categories ac WHERE ac.article_id = a.id AND ac.category_id = ?)
				ORDER BY a.stored_seq LIMIT ?`
			args = append(args, categoryID)
		}
		rows, err := tx.QueryContext(ctx, query, append(args, limit)...)
		if err != nil {
			return err
		}
		out, err = scanArticles(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list articles after cursor %s: %w", after, err)
	}
	return out, nil
}

// LastCursor is the cursor of the newest stored article (0 if none), for
// bots that want to start from "now".
func (s *Store) LastCursor(ctx context.Context) (feedrelay.Cursor, error) {
	var v int64
	if err := s.read.QueryRowContext(ctx, `SELECT value FROM sequences WHERE name = 'article'`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read article sequence: %w", err)
	}
	return feedrelay.Cursor(v), nil
}
