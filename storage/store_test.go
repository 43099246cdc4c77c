package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/storage"
	"github.com/feedrelay/feedrelay/storage/storagetest"
)

var ctx = context.Background()

func article(key string, published time.Time, cats ...feedrelay.CategoryPath) feedrelay.Article {
	return feedrelay.Article{
		Key: key, GUID: feedrelay.GUIDForKey(key), Title: "Title " + key, ContentHTML: "<p>body " + key + "</p>",
		Summary: "body " + key, Published: published, Categories: cats, Tags: []string{"t1", "t2"},
	}
}

var (
	t0   = time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC)
	news = feedrelay.CategoryPath{"新媒体", "高科技行业门户", "新闻"}
)

func TestUpsertCreatesUpdatesAndRecognisesUnchanged(t *testing.T) {
	s := storagetest.Open(t)
	a := article("first", t0, news)
	got, res, err := s.UpsertArticle(ctx, a)
	if err != nil || res != feedrelay.Created {
		t.Fatalf("first upsert: %v %v", res, err)
	}
	if got.ID == 0 || got.GUID != "urn:feedrelay:post:first" {
		t.Fatalf("stored article: id %d guid %q", got.ID, got.GUID)
	}
	if _, res, err = s.UpsertArticle(ctx, a); err != nil || res != feedrelay.Unchanged {
		t.Fatalf("second upsert of same article: %v %v", res, err)
	}
	a.Title = "Changed"
	a.GUID = "urn:other" // a GUID never changes once stored
	got, res, err = s.UpsertArticle(ctx, a)
	if err != nil || res != feedrelay.Updated {
		t.Fatalf("upsert of changed article: %v %v", res, err)
	}
	if got.GUID != "urn:feedrelay:post:first" {
		t.Errorf("GUID changed on update: %q", got.GUID)
	}
	n, err := s.CountArticles(ctx)
	if err != nil || n != 1 {
		t.Errorf("articles stored: %d (%v), want 1", n, err)
	}
	stored, err := s.ArticleByKey(ctx, "first")
	if err != nil {
		t.Fatal(err)
	}
	if stored.Title != "Changed" || !slices.Equal(stored.Tags, []string{"t1", "t2"}) ||
		len(stored.Categories) != 1 || !slices.Equal(stored.Categories[0], news) {
		t.Errorf("stored article = %+v", stored)
	}
}

func TestTimeZoneIsKept(t *testing.T) {
	s := storagetest.Open(t)
	cst := time.FixedZone("CST", 8*3600)
	a := article("tz", time.Date(2022, 2, 15, 11, 48, 0, 0, cst))
	if _, err := s.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := s.ArticleByKey(ctx, "tz")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Published.Equal(a.Published) || got.Published.Format(time.RFC3339) != "2022-02-15T11:48:00+08:00" {
		t.Errorf("published = %s", got.Published.Format(time.RFC3339))
	}
}

func TestCategoryFeedIncludesDescendantsNewestFirst(t *testing.T) {
	s := storagetest.Open(t)
	for i, c := range []feedrelay.CategoryPath{news, {"新媒体"}, {"新媒体", "其他"}, {"Programming", "Golang"}} {
		if _, err := s.CreateArticle(ctx, article(string(rune('a'+i)), t0.Add(time.Duration(i)*time.Hour), c)); err != nil {
			t.Fatal(err)
		}
	}
	root, err := s.CategoryBySlug(ctx, feedrelay.CategoryPath{"新媒体"}.SlugPath())
	if err != nil {
		t.Fatal(err)
	}
	if root.Count != 3 {
		t.Errorf("新媒体 count = %d, want 3", root.Count)
	}
	list, err := s.Articles(ctx, feedrelay.ArticleQuery{CategoryID: root.ID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, a := range list {
		keys = append(keys, a.Key)
	}
	if !slices.Equal(keys, []string{"c", "b", "a"}) {
		t.Errorf("新媒体 feed keys = %v, want [c b a]", keys)
	}
	leaf, err := s.CategoryBySlug(ctx, news.SlugPath())
	if err != nil || leaf.Count != 1 || !slices.Equal(leaf.Path, news) {
		t.Errorf("leaf category = %+v, %v", leaf, err)
	}
	if _, err := s.CategoryBySlug(ctx, "nope"); !errors.Is(err, feedrelay.ErrNotFound) {
		t.Errorf("unknown category error = %v, want ErrNotFound", err)
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, c := range cats {
		paths = append(paths, c.Path.String())
	}
	want := []string{"Programming", "Programming > Golang", "新媒体", "新媒体 > 其他", "新媒体 > 高科技行业门户", "新媒体 > 高科技行业门户 > 新闻"}
	if !slices.Equal(paths, want) {
		t.Errorf("categories = %q\nwant %q", paths, want)
	}
}

func TestSameNameUnderDifferentParentsIsDifferentCategory(t *testing.T) {
	s := storagetest.Open(t)
	if _, err := s.CreateArticle(ctx, article("x", t0, feedrelay.CategoryPath{"A", "News"}, feedrelay.CategoryPath{"B", "News"})); err != nil {
		t.Fatal(err)
	}
	a, err1 := s.CategoryBySlug(ctx, "A/News")
	b, err2 := s.CategoryBySlug(ctx, "B/News")
	if err1 != nil || err2 != nil || a.ID == b.ID {
		t.Errorf("A/News=%+v (%v) B/News=%+v (%v)", a, err1, b, err2)
	}
}

func TestFailedWriteLeavesNothing(t *testing.T) {
	s := storagetest.Open(t)
	bad := article("bad", t0, feedrelay.CategoryPath{"ok"}, feedrelay.CategoryPath{"bad\x1fname"})
	if _, err := s.CreateArticle(ctx, bad); !errors.Is(err, feedrelay.ErrInvalid) {
		t.Fatalf("create with bad category: %v, want ErrInvalid", err)
	}
	if _, err := s.ArticleByKey(ctx, "bad"); !errors.Is(err, feedrelay.ErrNotFound) {
		t.Errorf("half-stored article found: %v", err)
	}
	if cats, _ := s.Categories(ctx); len(cats) != 0 {
		t.Errorf("categories left behind: %+v", cats)
	}
	if _, err := s.CreateArticle(ctx, feedrelay.Article{Key: "x", GUID: "x"}); !errors.Is(err, feedrelay.ErrInvalid) {
		t.Errorf("article without title: %v, want ErrInvalid", err)
	}
}

func TestCreateConflictsUpdateAndDeleteNeedExisting(t *testing.T) {
	s := storagetest.Open(t)
	if _, err := s.CreateArticle(ctx, article("k", t0)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateArticle(ctx, article("k", t0)); !errors.Is(err, feedrelay.ErrConflict) {
		t.Errorf("duplicate key: %v, want ErrConflict", err)
	}
	dupGUID := article("k2", t0)
	dupGUID.GUID = feedrelay.GUIDForKey("k")
	if _, err := s.CreateArticle(ctx, dupGUID); !errors.Is(err, feedrelay.ErrConflict) {
		t.Errorf("duplicate guid: %v, want ErrConflict", err)
	}
	if _, _, err := s.UpdateArticle(ctx, "missing", article("missing", t0)); !errors.Is(err, feedrelay.ErrNotFound) {
		t.Errorf("update missing: %v, want ErrNotFound", err)
	}
	if err := s.DeleteArticle(ctx, "missing"); !errors.Is(err, feedrelay.ErrNotFound) {
		t.Errorf("delete missing: %v, want ErrNotFound", err)
	}
	if err := s.DeleteArticle(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountArticles(ctx); n != 0 {
		t.Errorf("%d articles after delete", n)
	}
}

func TestVersionsBumpOnlyForAffectedFeeds(t *testing.T) {
	s := storagetest.Open(t)
	if _, err := s.CreateArticle(ctx, article("a", t0, feedrelay.CategoryPath{"A"})); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateArticle(ctx, article("b", t0, feedrelay.CategoryPath{"B"})); err != nil {
		t.Fatal(err)
	}
	catA, _ := s.CategoryBySlug(ctx, "A")
	catB, _ := s.CategoryBySlug(ctx, "B")
	before, seq1, err := s.FeedVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	upd := article("a", t0, feedrelay.CategoryPath{"A"})
	upd.Title = "new"
	if _, _, err := s.UpsertArticle(ctx, upd); err != nil {
		t.Fatal(err)
	}
	after, seq2, _ := s.FeedVersions(ctx)
	if seq2 <= seq1 {
		t.Errorf("change counter %d -> %d", seq1, seq2)
	}
	if after[catA.ID].Version == before[catA.ID].Version || after[feedrelay.AllArticles].Version == before[feedrelay.AllArticles].Version {
		t.Errorf("A or all feed not bumped: %v -> %v", before, after)
	}
	if after[catB.ID] != before[catB.ID] {
		t.Errorf("B feed bumped by a write to A")
	}
	if _, res, _ := s.UpsertArticle(ctx, upd); res != feedrelay.Unchanged {
		t.Fatal("expected unchanged")
	}
	if _, seq3, _ := s.FeedVersions(ctx); seq3 != seq2 {
		t.Errorf("an unchanged upsert bumped the counter")
	}
}

func TestFeedQueriesUseIndexes(t *testing.T) {
	s := storagetest.Open(t)
	for _, q := range []struct {
		sql   string
		args  []any
		index string
	}{
		{storage.QueryNewest, []any{50, 0}, "articles_newest"},
		{storage.QueryNewestInCategory, []any{1, 50, 0}, "article_categories_newest"},
	} {
		plan, err := s.ExplainQueryPlan(ctx, q.sql, q.args...)
		if err != nil {
			t.Fatal(err)
		}
		joined := strings.Join(plan, "\n")
		if !strings.Contains(joined, "USING INDEX "+q.index) && !strings.Contains(joined, "USING COVERING INDEX "+q.index) {
			t.Errorf("plan does not use %s:\n%s", q.index, joined)
		}
		for _, line := range plan {
			if strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, "INDEX") {
				t.Errorf("plan scans a table: %q", line)
			}
			if strings.Contains(line, "TEMP B-TREE") {
				t.Errorf("plan sorts in a temporary B-tree: %q", line)
			}
		}
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.sqlite")
	s, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateArticle(ctx, article("keep", t0, news)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = storage.Open(ctx, path) // migrations run again and must be a no-op
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.ArticleByKey(ctx, "keep")
	if err != nil || got.GUID != "urn:feedrelay:post:keep" {
		t.Errorf("after reopen: %+v %v", got, err)
	}
}

// TestWriteFailingMidwayRollsBack makes the membership insert fail after
// the article row was written (a trigger added from a second connection)
// and checks nothing of the article remains.
func TestWriteFailingMidwayRollsBack(t *testing.T) {
	s, raw := openWithFailingSecondLevel(t)
	_, err := s.CreateArticle(ctx, article("half", t0, feedrelay.CategoryPath{"A", "B"}))
	if err == nil || !strings.Contains(err.Error(), "injected failure") {
		t.Fatalf("create: %v, want the injected failure", err)
	}
	if _, err := s.ArticleByKey(ctx, "half"); !errors.Is(err, feedrelay.ErrNotFound) {
		t.Errorf("article row survived a failed write: %v", err)
	}
	var cats, members, versions int
	raw.QueryRow(`SELECT (SELECT count(*) FROM categories), (SELECT count(*) FROM article_categories), (SELECT count(*) FROM feed_versions)`).Scan(&cats, &members, &versions)
	if cats != 0 || members != 0 || versions != 0 {
		t.Errorf("left behind: %d categories, %d memberships, %d feed versions", cats, members, versions)
	}
}

func TestUpsertArticlesStoresTheGoodAndReportsTheBad(t *testing.T) {
	s := storagetest.Open(t)
	bad := article("bad", t0)
	bad.Title = ""
	dupGUID := article("dup", t0)
	dupGUID.GUID = feedrelay.GUIDForKey("one")
	list := []feedrelay.Article{article("one", t0, news), bad, dupGUID, article("two", t0.Add(time.Hour), feedrelay.CategoryPath{"B"})}
	_, seqBefore, _ := s.FeedVersions(ctx)
	out, err := s.UpsertArticles(ctx, list)
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Err != nil || out[0].Result != feedrelay.Created || out[3].Err != nil || out[3].Result != feedrelay.Created {
		t.Errorf("good articles: %+v / %+v", out[0], out[3])
	}
	if !errors.Is(out[1].Err, feedrelay.ErrInvalid) || !errors.Is(out[2].Err, feedrelay.ErrConflict) {
		t.Errorf("bad articles: %v / %v", out[1].Err, out[2].Err)
	}
	if n, _ := s.CountArticles(ctx); n != 2 {
		t.Errorf("%d articles stored, want 2", n)
	}
	versions, seqAfter, _ := s.FeedVersions(ctx)
	b, _ := s.CategoryBySlug(ctx, "B")
	if seqAfter == seqBefore || versions[b.ID].Version == 0 {
		t.Errorf("batch did not mark its feeds changed")
	}
	again, err := s.UpsertArticles(ctx, []feedrelay.Article{article("one", t0, news), article("two", t0.Add(time.Hour), feedrelay.CategoryPath{"B"})})
	if err != nil || again[0].Result != feedrelay.Unchanged || again[1].Result != feedrelay.Unchanged {
		t.Errorf("second batch: %+v %v", again, err)
	}
	if _, seq, _ := s.FeedVersions(ctx); seq != seqAfter {
		t.Errorf("an all-unchanged batch bumped the change counter")
	}
}

// TestBatchRollbackForgetsCategoriesOfTheFailedArticle: an article that
// fails after creating its categories takes them with it when its
// savepoint rolls back; the next article in the same batch must not reuse
// their ids.
func TestBatchRollbackForgetsCategoriesOfTheFailedArticle(t *testing.T) {
	s, _ := openWithFailingSecondLevel(t)
	out, err := s.UpsertArticles(ctx, []feedrelay.Article{
		article("fails", t0, feedrelay.CategoryPath{"X", "Y"}),
		article("stored", t0, feedrelay.CategoryPath{"X"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Err == nil || out[1].Err != nil {
		t.Fatalf("outcomes: %v / %v, want the first to fail and the second to be stored", out[0].Err, out[1].Err)
	}
	x, err := s.CategoryBySlug(ctx, "X")
	if err != nil || x.Count != 1 {
		t.Errorf("category X after the batch: %+v %v", x, err)
	}
}

func TestStoredTextIsXMLClean(t *testing.T) {
	s := storagetest.Open(t)
	a := article("dirty", t0)
	a.Title = "Title\x0b with \x00 controls"
	a.ContentHTML = "<p>bad \x01 byte \xff and \uFFFE</p>"
	got, err := s.CreateArticle(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := s.ArticleByKey(ctx, "dirty")
	for _, v := range []string{got.Title, got.ContentHTML, stored.Title, stored.ContentHTML} {
		if feedrelay.CleanXMLText(v) != v {
			t.Errorf("stored text still holds characters XML forbids: %q", v)
		}
	}
	if stored.ContentHTML != "<p>bad  byte \uFFFD and </p>" || stored.Title != "Title with  controls" {
		t.Errorf("stored %q / %q", stored.Title, stored.ContentHTML)
	}
}

// openWithFailingSecondLevel opens a store whose database refuses, through
// a trigger added from a second connection, to file an article under a
// second category level: a failure in the middle of a write.
func openWithFailingSecondLevel(t *testing.T) (*storage.Store, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	s, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	if _, err := raw.Exec(`CREATE TRIGGER fail_second_level BEFORE INSERT ON article_categories
		WHEN NEW.position > 0 BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
		t.Fatal(err)
	}
	return s, raw
}

func TestTagsAreManyToMany(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.sqlite")
	s, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, b := article("a", t0), article("b", t0)
	a.Tags, b.Tags = []string{"go", "sqlite"}, []string{"go"}
	if _, err := s.UpsertArticles(ctx, []feedrelay.Article{a, b}); err != nil {
		t.Fatal(err)
	}
	raw, _ := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	defer raw.Close()
	count := func(q string) (n int) {
		if err := raw.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if tags, links := count(`SELECT count(*) FROM tags`), count(`SELECT count(*) FROM article_tags`); tags != 2 || links != 3 {
		t.Errorf("%d tags, %d links; want 2 and 3", tags, links)
	}
	a.Tags = []string{"sqlite"}
	if _, _, err := s.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteArticle(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if links := count(`SELECT count(*) FROM article_tags`); links != 1 {
		t.Errorf("%d links after retagging and a delete, want 1", links)
	}
}
