// Package storage keeps articles and categories in SQLite (modernc.org/sqlite,
// no cgo) with embedded, numbered migrations and plain SQL.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is the SQLite-backed store. It holds two pools on the same file:
// one connection for writes (SQLite has one writer; BEGIN IMMEDIATE takes
// the lock up front so a transaction never fails half-way on an upgrade)
// and several for reads (WAL lets them run beside the writer).
type Store struct {
	write *sql.DB
	read  *sql.DB
	now   func() time.Time

	stmtNewest, stmtNewestInCategory *sql.Stmt // on read; the hot feed queries
	writeStmts, readStmts            *stmtCache
}

// Open opens (creating if needed) the database at path and applies pending
// migrations. Pragmas are in the DSN so every pooled connection gets them.
func Open(ctx context.Context, path string) (*Store, error) {
	dsn := func(txlock string) string {
		q := url.Values{}
		for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", txlock)
		return "file:" + path + "?" + q.Encode()
	}
	write, err := sql.Open("sqlite", dsn("immediate"))
	if err != nil {
		return nil, fmt.Errorf("open database %q: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", dsn("deferred"))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open database %q: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	read.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{write: write, read: read, now: time.Now, writeStmts: newStmtCache(write), readStmts: newStmtCache(read)}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %q: %w", path, err)
	}
	if s.stmtNewest, err = read.PrepareContext(ctx, QueryNewest); err == nil {
		s.stmtNewestInCategory, err = read.PrepareContext(ctx, QueryNewestInCategory)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %q: prepare feed queries: %w", path, err)
	}
	return s, nil
}

// Close closes both pools; WAL content is checkpointed by SQLite on the
// last close.
func (s *Store) Close() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.stmtNewest, s.stmtNewestInCategory} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	errs = append(errs, s.writeStmts.close(), s.readStmts.close())
	return errors.Join(append(errs, s.read.Close(), s.write.Close())...)
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_unix INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %q: name must start with a number: %w", base, err)
		}
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			return err
		}
		if err := s.tx(ctx, func(tx *txn) error {
			var applied int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, n).Scan(&applied); err != nil {
				return err
			}
			if applied > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_unix) VALUES (?, ?)`, n, s.now().Unix())
			return err
		}); err != nil {
			return fmt.Errorf("apply migration %q: %w", base, err)
		}
	}
	return nil
}

// ExplainQueryPlan returns SQLite's plan for the query, one detail line per
// step. Tests use it to prove the feed queries walk an index.
func (s *Store) ExplainQueryPlan(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return nil, err
		}
		out = append(out, detail)
	}
	return out, rows.Err()
}
