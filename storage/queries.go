package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/feedrelay/feedrelay"
)

const articleColumns = `a.id, a.key, a.guid, a.title, a.author, a.summary, a.content_html, a.link, a.image,
	a.thumbnail, a.published_unix, a.published_offset, a.updated_unix, a.updated_offset, a.comments,
	a.source_title, a.source_url, a.original_link, a.original_author, a.category_paths, a.tags,
	coalesce(a.source_id, 0), a.stored_seq`

// The two feed queries. Each walks one index in order (articles_newest,
// article_categories_newest) and stops after LIMIT rows; the storage tests
// check that with EXPLAIN QUERY PLAN.
const (
	QueryNewest           = `SELECT ` + articleColumns + ` FROM articles a ORDER BY a.published_unix DESC, a.id DESC LIMIT ? OFFSET ?`
	QueryNewestInCategory = `SELECT ` + articleColumns + ` FROM article_categories ac JOIN articles a ON a.id = ac.article_id
	WHERE ac.category_id = ? ORDER BY ac.published_unix DESC, ac.article_id DESC LIMIT ? OFFSET ?`
)

// Articles returns the newest articles of the query's category (its
// descendants included) or of all categories, with categories and tags.
func (s *Store) Articles(ctx context.Context, q feedrelay.ArticleQuery) ([]feedrelay.Article, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	// One statement (categories and tags live on the row), so no
	// transaction is needed for a consistent answer; the statements are
	// prepared once per connection because parsing SQL was a tenth of a
	// cache miss.
	var rows *sql.Rows
	var err error
	if q.CategoryID == feedrelay.AllArticles {
		rows, err = s.stmtNewest.QueryContext(ctx, q.Limit, q.Offset)
	} else {
		rows, err = s.stmtNewestInCategory.QueryContext(ctx, q.CategoryID, q.Limit, q.Offset)
	}
	var out []feedrelay.Article
	if err == nil {
		out, err = scanArticles(rows)
	}
	if err != nil {
		return nil, fmt.Errorf("list articles (category %d): %w", q.CategoryID, err)
	}
	return out, nil
}

// ArticleByKey returns the article stored under key; ErrNotFound if none.
func (s *Store) ArticleByKey(ctx context.Context, key string) (feedrelay.Article, error) {
	var a feedrelay.Article
	err := s.readTx(ctx, func(tx *txn) error {
		var err error
		a, err = loadArticle(ctx, tx, `WHERE a.key = ?`, key)
		return err
	})
	if err != nil {
		return feedrelay.Article{}, fmt.Errorf("article %q: %w", key, err)
	}
	return a, nil
}

// CountArticles returns how many articles are stored.
func (s *Store) CountArticles(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	return n, nil
}

func loadArticle(ctx context.Context, tx *txn, where string, args ...any) (feedrelay.Article, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+articleColumns+` FROM articles a `+where, args...)
	if err != nil {
		return feedrelay.Article{}, err
	}
	list, err := scanArticles(rows)
	if err != nil {
		return feedrelay.Article{}, err
	}
	if len(list) == 0 {
		return feedrelay.Article{}, feedrelay.ErrNotFound
	}
	return list[0], nil
}

func scanArticles(rows *sql.Rows) ([]feedrelay.Article, error) {
	defer rows.Close()
	var out []feedrelay.Article
	for rows.Next() {
		a, dest := articleDest()
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		a.finish()
		out = append(out, a.Article)
	}
	return out, rows.Err()
}

// scannedArticle holds the raw columns of articleColumns while scanning.
type scannedArticle struct {
	feedrelay.Article
	pub, upd       int64
	pubOff, updOff int
	paths, tags    string
}

// articleDest returns a holder and the Scan destinations for articleColumns.
func articleDest() (*scannedArticle, []any) {
	a := &scannedArticle{}
	return a, []any{&a.ID, &a.Key, &a.GUID, &a.Title, &a.Author, &a.Summary, &a.ContentHTML, &a.Link,
		&a.Image, &a.Thumbnail, &a.pub, &a.pubOff, &a.upd, &a.updOff, &a.Comments,
		&a.Source.Title, &a.Source.URL, &a.Source.OriginalLink, &a.Source.OriginalAuthor, &a.paths, &a.tags,
		&a.SourceID, &a.Seq}
}

func (a *scannedArticle) finish() {
	a.Categories, a.Tags = decodePaths(a.paths), decodeTags(a.tags)
	a.Published, a.Updated = joinTime(a.pub, a.pubOff), joinTime(a.upd, a.updOff)
}
