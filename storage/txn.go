package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// txn is a transaction that prepares each distinct statement once. A batch
// import runs the same dozen statements for every article; preparing them
// again each time was a third of the cost of storing a post.
type txn struct {
	*sql.Tx
	stmts map[string]*sql.Stmt
	// categoryIDs maps a category's level names (joined by nameSep) to its
	// id, for this transaction; cleared when a savepoint rolls back.
	categoryIDs map[string]int64
	tagIDs      map[string]int64 // likewise for tags
	// targets are the relay targets new articles are matched against,
	// loaded once per transaction (a batch import stores 200 articles).
	targets       []outboxTarget
	targetsLoaded bool
	// The article sequence is read once per transaction and written back
	// once before commit (an UPDATE per article was a fifth of storing
	// one). A number taken by an article rolled back to its savepoint is
	// skipped, never reused: cursors need order, not contiguity.
	seq                 int64
	seqLoaded, seqDirty bool
}

// nextArticleSeq hands out the next article sequence number.
func (t *txn) nextArticleSeq(ctx context.Context) (int64, error) {
	if !t.seqLoaded {
		if err := t.QueryRowContext(ctx, `SELECT value FROM sequences WHERE name = 'article'`).Scan(&t.seq); err != nil {
			return 0, fmt.Errorf("read article sequence: %w", err)
		}
		t.seqLoaded = true
	}
	t.seq++
	t.seqDirty = true
	return t.seq, nil
}

// finish writes back what the transaction kept in memory.
func (t *txn) finish(ctx context.Context) error {
	if t.seqDirty {
		if _, err := t.ExecContext(ctx, `UPDATE sequences SET value = ? WHERE name = 'article'`, t.seq); err != nil {
			return fmt.Errorf("write article sequence: %w", err)
		}
	}
	return nil
}

func (t *txn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	st, err := t.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	t.stmts[query] = st
	return st, nil
}

// ExecContext runs query as a prepared statement of this transaction.
func (t *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext runs query as a prepared statement of this transaction.
func (t *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs query as a prepared statement of this transaction;
// a preparation error surfaces from Scan, as database/sql does.
func (t *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return t.Tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// tx runs fn in one write transaction: committed if fn returns nil, rolled
// back otherwise, so a failed write leaves nothing half-stored.
func (s *Store) tx(ctx context.Context, fn func(*txn) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	t := &txn{Tx: tx, stmts: map[string]*sql.Stmt{}}
	if err := fn(t); err != nil {
		tx.Rollback()
		return err
	}
	if err := t.finish(ctx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// readTx runs fn in a read-only snapshot, so the queries of one public
// method see one consistent state.
func (s *Store) readTx(ctx context.Context, fn func(*txn) error) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(&txn{Tx: tx, stmts: map[string]*sql.Stmt{}})
}
