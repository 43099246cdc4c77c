package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/feedrelay/feedrelay"
)

// nameSep joins level names (and tags); pathSep joins category paths.
// ensureCategory and cleanTags keep both out of names.
const (
	nameSep = "\x1f"
	pathSep = "\x1e"
)

func encodePaths(paths []feedrelay.CategoryPath) string {
	parts := make([]string, len(paths))
	for i, p := range paths {
		parts[i] = strings.Join(p, nameSep)
	}
	return strings.Join(parts, pathSep)
}

func decodePaths(s string) []feedrelay.CategoryPath {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, pathSep)
	out := make([]feedrelay.CategoryPath, len(parts))
	for i, p := range parts {
		out[i] = strings.Split(p, nameSep)
	}
	return out
}

func decodeTags(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, nameSep)
}

// fileUnder replaces article id's category membership with paths, creating
// category nodes as needed. The article is filed under every level of every
// path (Hexo's rule: a post in A > B belongs to A and to A > B). It returns
// the ids of every category the article is now in.
func (s *Store) fileUnder(ctx context.Context, tx *txn, id, published int64, paths []feedrelay.CategoryPath, existing bool) ([]int64, error) {
	if existing {
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_categories WHERE article_id = ?`, id); err != nil {
			return nil, fmt.Errorf("clear categories: %w", err)
		}
	}
	direct := map[int64]bool{}
	var order []int64
	for _, p := range paths {
		var parent int64
		for i, level := range p.Levels() {
			cid, err := ensureCategory(ctx, tx, parent, level)
			if err != nil {
				return nil, err
			}
			if !slices.Contains(order, cid) {
				order = append(order, cid)
			}
			if i == len(p)-1 {
				direct[cid] = true
			}
			parent = cid
		}
	}
	if len(order) == 0 {
		return nil, nil
	}
	args := make([]any, 0, 5*len(order))
	for pos, cid := range order {
		args = append(args, id, cid, published, direct[cid], pos)
	}
	// One statement for all levels: a post is filed under three or so.
	if _, err := tx.ExecContext(ctx, `INSERT INTO article_categories (article_id, category_id, published_unix, direct, position)
		VALUES `+valueRows(5, len(order)), args...); err != nil {
		return nil, fmt.Errorf("file article under its categories: %w", err)
	}
	return order, nil
}

func ensureCategory(ctx context.Context, tx *txn, parent int64, path feedrelay.CategoryPath) (int64, error) {
	for _, n := range path {
		if strings.ContainsAny(n, nameSep+pathSep) {
			return 0, &feedrelay.FieldError{Field: "categories", Reason: "category names must not contain control characters"}
		}
	}
	// A batch files hundreds of posts under the same few categories:
	// remember them for the rest of the transaction.
	memoKey := strings.Join(path, nameSep)
	if id, ok := tx.categoryIDs[memoKey]; ok {
		return id, nil
	}
	if tx.categoryIDs == nil {
		tx.categoryIDs = map[string]int64{}
	}
	slug := path.SlugPath()
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM categories WHERE slug_path = ?`, slug).Scan(&id)
	if err == nil {
		tx.categoryIDs[memoKey] = id
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("look up category %q: %w", path, err)
	}
	var parentArg any
	if parent != 0 {
		parentArg = parent
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO categories (parent_id, name, names, slug_path) VALUES (?,?,?,?)`,
		parentArg, path[len(path)-1], strings.Join(path, nameSep), slug)
	if err != nil {
		return 0, fmt.Errorf("create category %q: %w", path, err)
	}
	if id, err = r.LastInsertId(); err != nil {
		return 0, err
	}
	tx.categoryIDs[memoKey] = id
	return id, nil
}

func articleCategoryIDs(ctx context.Context, tx *txn, id int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT category_id FROM article_categories WHERE article_id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("read categories of article %d: %w", id, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		ids = append(ids, c)
	}
	return ids, rows.Err()
}

// Categories lists every category that holds at least one article, in tree
// order (parents before children, siblings by name), with article counts
// that include descendants.
func (s *Store) Categories(ctx context.Context) ([]feedrelay.Category, error) {
	var out []feedrelay.Category
	err := s.readTx(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT c.id, coalesce(c.parent_id, 0), c.name, c.names, c.slug_path,
			(SELECT count(*) FROM article_categories ac WHERE ac.category_id = c.id) AS n
			FROM categories c WHERE n > 0`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanCategory(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list categories: %w", err)
	}
	slices.SortFunc(out, func(a, b feedrelay.Category) int { return slices.Compare(a.Path, b.Path) })
	return out, nil
}

// CategoryBySlug finds a category by its canonical slug path (see
// feedrelay.ParseSlugPath); ErrNotFound if there is none.
func (s *Store) CategoryBySlug(ctx context.Context, slug string) (feedrelay.Category, error) {
	var c feedrelay.Category
	err := s.readTx(ctx, func(tx *txn) error {
		var err error
		c, err = scanCategory(tx.QueryRowContext(ctx, `SELECT c.id, coalesce(c.parent_id, 0), c.name, c.names, c.slug_path,
			(SELECT count(*) FROM article_categories ac WHERE ac.category_id = c.id)
			FROM categories c WHERE c.slug_path = ?`, slug))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) || (err == nil && c.Count == 0) {
		return feedrelay.Category{}, fmt.Errorf("category %q: %w", slug, feedrelay.ErrNotFound)
	}
	if err != nil {
		return feedrelay.Category{}, fmt.Errorf("category %q: %w", slug, err)
	}
	return c, nil
}

type scanner interface{ Scan(...any) error }

func scanCategory(r scanner) (feedrelay.Category, error) {
	var c feedrelay.Category
	var names string
	if err := r.Scan(&c.ID, &c.ParentID, &c.Name, &names, &c.Slug, &c.Count); err != nil {
		return c, err
	}
	c.Path = strings.Split(names, nameSep)
	return c, nil
}

// valueRows is "(?,?),(?,?)" for n rows of cols placeholders each.
func valueRows(cols, n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(row+",", n), ",")
}
