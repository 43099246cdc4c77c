package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// txn is a transaction that prepares each distinct statement once. A batch
// import runs the same dozen statements for every article; preparing them
// again each time was a third of the cost of storing a post.
type txn struct {
	*sql.Tx
	stmts  map[string]*sql.Stmt
	cache  *stmtCache // statements prepared once per pool, shared by transactions
	missed []string   // queries this transaction had to prepare itself
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
	var st *sql.Stmt
	if shared := t.cache.get(query); shared != nil {
		// Already prepared on this pool's connections (database/sql keeps
		// one per connection), so nothing is parsed again.
		st = t.Tx.StmtContext(ctx, shared)
	} else {
		var err error
		if st, err = t.Tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		// Preparing it for the pool needs a free connection, which the
		// transaction is holding: done after it ends (see warm).
		t.missed = append(t.missed, query)
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
	t := &txn{Tx: tx, stmts: map[string]*sql.Stmt{}, cache: s.writeStmts}
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
	s.writeStmts.warm(ctx, t.missed)
	return nil
}

// readTx runs fn in a read-only snapshot, so the queries of one public
// method see one consistent state.
func (s *Store) readTx(ctx context.Context, fn func(*txn) error) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	t := &txn{Tx: tx, stmts: map[string]*sql.Stmt{}, cache: s.readStmts}
	err = fn(t)
	tx.Rollback()
	s.readStmts.warm(ctx, t.missed)
	return err
}

// maxCachedStmts bounds a pool's statement cache; queries built with a
// varying number of rows (valueRows) are the only ones that vary.
const maxCachedStmts = 400

// stmtCache prepares each distinct query once per pool. Preparing anew in
// every transaction was a tenth of recording a relay delivery, whose
// transactions are small and many.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache { return &stmtCache{db: db, m: map[string]*sql.Stmt{}} }

// get returns the pool's statement for query, nil if not prepared yet.
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// warm prepares queries for the pool, up to maxCachedStmts. It runs when
// no transaction of the caller holds a connection; a failure only means
// the query is prepared per transaction again next time.
func (c *stmtCache) warm(ctx context.Context, queries []string) {
	for _, q := range queries {
		c.mu.Lock()
		_, have := c.m[q]
		full := len(c.m) >= maxCachedStmts
		c.mu.Unlock()
		if have || full {
			continue
		}
		st, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, have := c.m[q]; have {
			st.Close()
		} else {
			c.m[q] = st
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, st := range c.m {
		errs = append(errs, st.Close())
	}
	c.m = map[string]*sql.Stmt{}
	return errors.Join(errs...)
}
