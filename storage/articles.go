package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
)

// UpsertArticle stores a by its Key: a new key is created, an existing one
// updated in place (its GUID and creation time kept), and an identical one
// left alone. Post import uses it so re-importing a file never duplicates.
func (s *Store) UpsertArticle(ctx context.Context, a feedrelay.Article) (feedrelay.Article, feedrelay.WriteResult, error) {
	var res feedrelay.WriteResult
	err := s.tx(ctx, func(tx *txn) error {
		var err error
		res, err = s.saveAndBump(ctx, tx, &a, true, true)
		return err
	})
	if err != nil {
		return feedrelay.Article{}, 0, fmt.Errorf("store article %q: %w", a.Key, err)
	}
	return a, res, nil
}

// UpsertArticles upserts many articles in one transaction in which each
// succeeds or fails alone: an article that fails is rolled back alone (its
// own savepoint) and reported in its outcome, the rest are stored. A bulk import pays for one commit and
// one round of feed-version bumps per batch instead of per post. The error
// return is for the transaction as a whole (then nothing was stored).
func (s *Store) UpsertArticles(ctx context.Context, list []feedrelay.Article) ([]feedrelay.UpsertOutcome, error) {
	// Almost every batch stores cleanly, so it is first tried without the
	// per-article savepoints (two statements per article); the first failure
	// rolls that attempt back whole and the batch runs again with them.
	out, err := s.upsertBatch(ctx, list, false)
	if errors.Is(err, errRetryWithSavepoints) {
		out, err = s.upsertBatch(ctx, list, true)
	}
	if err != nil {
		return nil, fmt.Errorf("store %d articles: %w", len(list), err)
	}
	return out, nil
}

var errRetryWithSavepoints = errors.New("an article of the batch failed")

// upsertBatch runs the batch in one transaction.
func (s *Store) upsertBatch(ctx context.Context, list []feedrelay.Article, savepoints bool) ([]feedrelay.UpsertOutcome, error) {
	var out []feedrelay.UpsertOutcome
	err := s.tx(ctx, func(tx *txn) error {
		var touched []int64
		var err error
		if out, touched, err = s.upsertInTx(ctx, tx, list, savepoints); err != nil {
			return err
		}
		if len(touched) == 0 {
			return nil
		}
		return s.bumpVersions(ctx, tx, touched)
	})
	return out, err
}

// upsertInTx upserts list inside tx. Without savepoints the first failing
// article aborts with errRetryWithSavepoints (the caller rolls back and
// runs again with them); with them, a failing article is rolled back
// alone and reported in its outcome. It returns the categories touched;
// the caller bumps their feed versions.
func (s *Store) upsertInTx(ctx context.Context, tx *txn, list []feedrelay.Article, savepoints bool) ([]feedrelay.UpsertOutcome, []int64, error) {
	out := make([]feedrelay.UpsertOutcome, len(list))
	var touched []int64
	for i := range list {
		a := list[i]
		if savepoints {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT article`); err != nil {
				return nil, nil, err
			}
		}
		res, cats, err := s.save(ctx, tx, &a, true, true)
		switch {
		case err != nil && !savepoints:
			return nil, nil, errRetryWithSavepoints
		case err != nil:
			if _, rbErr := tx.ExecContext(ctx, `ROLLBACK TO article`); rbErr != nil {
				return nil, nil, rbErr
			}
			tx.categoryIDs, tx.tagIDs = nil, nil // what it created is gone again
			out[i] = feedrelay.UpsertOutcome{Article: list[i], Err: fmt.Errorf("store article %q: %w", a.Key, err)}
		default:
			out[i] = feedrelay.UpsertOutcome{Article: a, Result: res}
			touched = append(touched, cats...)
		}
		if savepoints {
			if _, err := tx.ExecContext(ctx, `RELEASE article`); err != nil {
				return nil, nil, err
			}
		}
	}
	return out, touched, nil
}

// saveAndBump saves one article and marks the feeds it touched as changed.
func (s *Store) saveAndBump(ctx context.Context, tx *txn, a *feedrelay.Article, create, update bool) (feedrelay.WriteResult, error) {
	res, cats, err := s.save(ctx, tx, a, create, update)
	if err != nil || res == feedrelay.Unchanged {
		return res, err
	}
	return res, s.bumpVersions(ctx, tx, cats)
}

// CreateArticle stores a new article; ErrConflict if its key or GUID is taken.
func (s *Store) CreateArticle(ctx context.Context, a feedrelay.Article) (feedrelay.Article, error) {
	err := s.tx(ctx, func(tx *txn) error {
		_, err := s.saveAndBump(ctx, tx, &a, true, false)
		return err
	})
	if err != nil {
		return feedrelay.Article{}, fmt.Errorf("create article %q: %w", a.Key, err)
	}
	return a, nil
}

// UpdateArticle replaces the article stored under key; ErrNotFound if there
// is none. The GUID never changes.
func (s *Store) UpdateArticle(ctx context.Context, key string, a feedrelay.Article) (feedrelay.Article, feedrelay.WriteResult, error) {
	a.Key = key
	var res feedrelay.WriteResult
	err := s.tx(ctx, func(tx *txn) error {
		var err error
		res, err = s.saveAndBump(ctx, tx, &a, false, true)
		return err
	})
	if err != nil {
		return feedrelay.Article{}, 0, fmt.Errorf("update article %q: %w", key, err)
	}
	return a, res, nil
}

// DeleteArticle removes the article stored under key; ErrNotFound if none.
func (s *Store) DeleteArticle(ctx context.Context, key string) error {
	err := s.tx(ctx, func(tx *txn) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM articles WHERE key = ?`, key).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return feedrelay.ErrNotFound
		}
		if err != nil {
			return err
		}
		cats, err := articleCategoryIDs(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, id); err != nil {
			return err
		}
		return s.bumpVersions(ctx, tx, cats)
	})
	if err != nil {
		return fmt.Errorf("delete article %q: %w", key, err)
	}
	return nil
}

// save writes a inside tx. create allows a new row, update allows replacing
// an existing one; a disallowed case is ErrConflict or ErrNotFound. It
// returns the categories whose feeds changed (the article's old and new
// ones); the caller bumps their versions, once per transaction.
func (s *Store) save(ctx context.Context, tx *txn, a *feedrelay.Article, create, update bool) (feedrelay.WriteResult, []int64, error) {
	var (
		id          int64
		guid, hash  string
		createdUnix int64
		seq         sql.NullInt64
	)
	err := tx.QueryRowContext(ctx, `SELECT id, guid, content_hash, created_unix, stored_seq FROM articles WHERE key = ?`, a.Key).
		Scan(&id, &guid, &hash, &createdUnix, &seq)
	exists := err == nil
	switch {
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return 0, nil, fmt.Errorf("look up key: %w", err)
	case exists && !update:
		return 0, nil, fmt.Errorf("an article with id %q already exists: %w", a.Key, feedrelay.ErrConflict)
	case !exists && !create:
		return 0, nil, feedrelay.ErrNotFound
	}
	if exists {
		a.GUID = guid // a GUID never changes once stored
		a.Seq = feedrelay.Cursor(seq.Int64)
	}
	if a.Updated.IsZero() {
		a.Updated = a.Published
	}
	a.Clean()
	if err := a.Validate(); err != nil {
		return 0, nil, err
	}
	newHash := contentHash(a)
	if exists && newHash == hash {
		stored, err := loadArticle(ctx, tx, `WHERE a.id = ?`, id)
		if err != nil {
			return 0, nil, err
		}
		*a = stored
		return feedrelay.Unchanged, nil, nil
	}

	now := s.now().UnixNano()
	pub, pubOff := splitTime(a.Published)
	upd, updOff := splitTime(a.Updated)
	src := a.Source
	a.Tags = cleanTags(a.Tags)
	paths, tags := encodePaths(a.Categories), strings.Join(a.Tags, nameSep)
	if exists {
		_, err = tx.ExecContext(ctx, `UPDATE articles SET title=?, author=?, summary=?, content_html=?, link=?,
			image=?, thumbnail=?, published_unix=?, published_offset=?, updated_unix=?, updated_offset=?, comments=?,
			source_title=?, source_url=?, original_link=?, original_author=?, category_paths=?, tags=?,
			content_hash=?, changed_unix=?, source_id=coalesce(?, source_id)
			WHERE id=?`,
			a.Title, a.Author, a.Summary, a.ContentHTML, a.Link, a.Image, a.Thumbnail, pub, pubOff, upd, updOff,
			a.Comments, src.Title, src.URL, src.OriginalLink, src.OriginalAuthor, paths, tags, newHash, now,
			nullID(a.SourceID), id)
	} else {
		createdUnix = now
		var seq int64
		if seq, err = tx.nextArticleSeq(ctx); err != nil {
			return 0, nil, err
		}
		a.Seq = feedrelay.Cursor(seq)
		var r sql.Result
		r, err = tx.ExecContext(ctx, `INSERT INTO articles (key, guid, title, author, summary, content_html, link,
			image, thumbnail, published_unix, published_offset, updated_unix, updated_offset, comments,
			source_title, source_url, original_link, original_author, category_paths, tags, content_hash,
			created_unix, changed_unix, source_id, stored_seq)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			a.Key, a.GUID, a.Title, a.Author, a.Summary, a.ContentHTML, a.Link, a.Image, a.Thumbnail,
			pub, pubOff, upd, updOff, a.Comments, src.Title, src.URL, src.OriginalLink, src.OriginalAuthor,
			paths, tags, newHash, now, now, nullID(a.SourceID), seq)
		if err == nil {
			id, err = r.LastInsertId()
		} else if strings.Contains(err.Error(), "UNIQUE constraint failed: articles.guid") {
			// Checked by the constraint, not a query first: one statement
			// less per new article.
			return 0, nil, fmt.Errorf("guid %q is used by another article: %w", a.GUID, feedrelay.ErrConflict)
		}
	}
	if err != nil {
		return 0, nil, fmt.Errorf("write article row: %w", err)
	}
	a.ID = id

	var oldCats []int64
	if exists {
		if oldCats, err = articleCategoryIDs(ctx, tx, id); err != nil {
			return 0, nil, err
		}
	}
	if err := tagArticle(ctx, tx, id, a.Tags, exists); err != nil {
		return 0, nil, err
	}
	newCats, err := s.fileUnder(ctx, tx, id, pub, a.Categories, exists)
	if err != nil {
		return 0, nil, err
	}
	touched := append(oldCats, newCats...)
	if exists {
		return feedrelay.Updated, touched, nil
	}
	// A new article owes a delivery to every relay target that follows it,
	// written in this same transaction: stored and announced, or neither.
	if err := s.enqueueDeliveries(ctx, tx, a, now); err != nil {
		return 0, nil, err
	}
	return feedrelay.Created, touched, nil
}

// contentHash identifies an article's stored content, so a re-import of an
// unchanged file is recognised and writes nothing.
func contentHash(a *feedrelay.Article) string {
	h := sha256.New()
	var num [8]byte
	field := func(v string) { // length-prefixed, so fields cannot run together
		binary.BigEndian.PutUint64(num[:], uint64(len(v)))
		h.Write(num[:])
		io.WriteString(h, v)
	}
	for _, v := range []string{a.Key, a.GUID, a.Title, a.Author, a.Summary, a.ContentHTML, a.Link, a.Image,
		a.Thumbnail, a.Source.Title, a.Source.URL, a.Source.OriginalLink, a.Source.OriginalAuthor,
		strconv.FormatBool(a.Comments), encodePaths(a.Categories), strings.Join(a.Tags, nameSep)} {
		field(v)
	}
	for _, t := range []time.Time{a.Published, a.Updated} {
		pub, off := splitTime(t)
		field(strconv.FormatInt(pub, 10) + "/" + strconv.Itoa(off))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// nullID stores 0 as NULL (no source).
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func offsetOf(t time.Time) int { _, off := t.Zone(); return off }

func splitTime(t time.Time) (unixNano int64, offset int) {
	return t.UnixNano(), offsetOf(t)
}

func joinTime(unixNano int64, offset int) time.Time {
	t := time.Unix(0, unixNano)
	if offset == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", offset))
}

// cleanTags trims tags and drops empty and repeated ones, keeping order.
func cleanTags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// tagArticle replaces the article's rows in article_tags, creating tags as
// needed (their ids remembered for the transaction, like categories').
func tagArticle(ctx context.Context, tx *txn, id int64, tags []string, existing bool) error {
	if existing {
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_tags WHERE article_id = ?`, id); err != nil {
			return fmt.Errorf("clear tags: %w", err)
		}
	}
	if len(tags) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(tags))
	for _, t := range tags {
		tid, ok := tx.tagIDs[t]
		if !ok {
			if err := tx.QueryRowContext(ctx, `INSERT INTO tags (name) VALUES (?)
				ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id`, t).Scan(&tid); err != nil {
				return fmt.Errorf("tag %q: %w", t, err)
			}
			if tx.tagIDs == nil {
				tx.tagIDs = map[string]int64{}
			}
			tx.tagIDs[t] = tid
		}
		args = append(args, id, tid)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES `+valueRows(2, len(tags)), args...); err != nil {
		return fmt.Errorf("tag article: %w", err)
	}
	return nil
}
