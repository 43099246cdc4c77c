package handlers

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/sanitize"
	"github.com/feedrelay/feedrelay/storage"
)

// seedSizedHTML is ~11 KB of article HTML, the size of the shared seed post.
func seedSizedHTML(i int) string {
	var b strings.Builder
	for b.Len() < 11000 {
		fmt.Fprintf(&b, `<p style="text-indent: 2em; text-align: left;">第%d篇：随着数字化进程加快，汽车行业正在全面上云，数据成为研发、销售与服务的核心。</p>`, i)
	}
	b.WriteString(`<p><img src="https://img.example.com/a.jpg" referrerpolicy="no-referrer"></p>`)
	return b.String()
}

// benchStore fills a store with n articles: every tenth is in the category
// the benchmark renders and carries seed-sized content, the rest are small
// articles in nine other categories. Set FEEDRELAY_BENCH_DB to a path to
// keep the database between runs (it is built once, ~1 minute).
func benchStore(b *testing.B, n int) *storage.Store {
	ctx := context.Background()
	path := os.Getenv("FEEDRELAY_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	s, err := storage.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if have, _ := s.CountArticles(ctx); have >= n {
		return s
	}
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		a := feedrelay.Article{Key: fmt.Sprintf("bench-%06d", i), Title: fmt.Sprintf("文章 %d", i),
			Author: "作者", Summary: "摘要", Published: t0.Add(time.Duration(i) * time.Minute), Tags: []string{"t1", "t2"}}
		a.GUID = feedrelay.GUIDForKey(a.Key)
		if i%10 == 0 {
			a.ContentHTML = seedSizedHTML(i)
			a.Image = "https://img.example.com/head.jpg"
			a.Categories = []feedrelay.CategoryPath{{"新媒体", "高科技行业门户", "新闻"}}
		} else {
			a.ContentHTML = "<p>" + strings.Repeat("短文。", 300) + "</p>"
			a.Categories = []feedrelay.CategoryPath{{fmt.Sprintf("分类%d", i%10), "子类"}}
		}
		if _, _, err := s.UpsertArticle(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkCategoryFeedCacheMiss measures what a request pays when the
// category's feed is not in the cache, with 100,000 articles stored: the
// index walk for the newest 50, loading their categories and tags, and
// rendering. "miss" adds the gzip and hashing done once per change.
func BenchmarkCategoryFeedCacheMiss(b *testing.B) {
	store := benchStore(b, 100_000)
	ctx := context.Background()
	srv, err := New(ctx, Config{BaseURL: "http://localhost:8080"}, store, sanitize.New())
	if err != nil {
		b.Fatal(err)
	}
	slug := feedrelay.CategoryPath{"新媒体", "高科技行业门户", "新闻"}.SlugPath()
	cat := srv.snap.Load().bySlug[slug]
	if cat.Count != 10_000 {
		b.Fatalf("category holds %d articles, want 10000", cat.Count)
	}
	ver := srv.snap.Load().versions[cat.ID]
	b.Run("query", func(b *testing.B) {
		for b.Loop() {
			items, err := store.Articles(ctx, feedrelay.ArticleQuery{CategoryID: cat.ID, Limit: 50})
			if err != nil || len(items) != 50 {
				b.Fatal(len(items), err)
			}
		}
	})
	for _, f := range feedFormats {
		b.Run(f.ext, func(b *testing.B) {
			for b.Loop() {
				if _, err := srv.render(ctx, f, &cat, 50, ver); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
