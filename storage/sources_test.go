package storage_test

import (
	"errors"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/storage/storagetest"
)

func TestSourcesStateAndPollStorage(t *testing.T) {
	s := storagetest.Open(t)
	src, err := s.CreateSource(ctx, feedrelay.Source{URL: "https://news.example/feed.xml", Enabled: true,
		Categories: []feedrelay.CategoryPath{{"新闻"}}, Rules: feedrelay.Rules{Exclude: []string{"广告"}}})
	if err != nil {
		t.Fatal(err)
	}
	if src.Interval != feedrelay.DefaultPollInterval {
		t.Errorf("interval %s, want the default", src.Interval)
	}
	if _, err := s.CreateSource(ctx, feedrelay.Source{URL: src.URL, Enabled: true}); !errors.Is(err, feedrelay.ErrConflict) {
		t.Errorf("duplicate URL: %v, want ErrConflict", err)
	}
	if _, err := s.CreateSource(ctx, feedrelay.Source{URL: "ftp://x/feed", Enabled: true}); !errors.Is(err, feedrelay.ErrInvalid) {
		t.Errorf("ftp URL: %v, want ErrInvalid", err)
	}
	if _, err := s.CreateSource(ctx, feedrelay.Source{URL: "https://x/feed", Interval: 30 * time.Second}); !errors.Is(err, feedrelay.ErrInvalid) {
		t.Errorf("30s interval: %v, want ErrInvalid", err)
	}
	now := time.Now()
	due, err := s.DueSources(ctx, now, 10)
	if err != nil || len(due) != 1 || due[0].Rules.Exclude[0] != "广告" {
		t.Fatalf("due: %+v %v", due, err)
	}

	item := article("upstream/1/abc", t0, feedrelay.CategoryPath{"新闻"})
	item.SourceID = src.ID
	st := feedrelay.SourceState{ETag: `"v1"`, LastSuccess: now, NextPoll: now.Add(time.Hour), FeedTitle: "News"}
	// Two polls in one commit: the second names a source that does not
	// exist and fails alone.
	res, err := s.StorePolls(ctx, []feedrelay.PollWrite{
		{SourceID: src.ID, Enabled: true, State: st, Items: []feedrelay.Article{item}},
		{SourceID: 999, Enabled: true, Items: []feedrelay.Article{article("upstream/999/x", t0)}},
	})
	if err != nil || len(res) != 2 || res[0].Err != nil || len(res[0].Items) != 1 || res[0].Items[0].Result != feedrelay.Created {
		t.Fatalf("store polls: %+v %v", res, err)
	}
	if !errors.Is(res[1].Err, feedrelay.ErrNotFound) {
		t.Errorf("poll of a missing source: %v, want ErrNotFound", res[1].Err)
	}
	if _, err := s.ArticleByKey(ctx, "upstream/999/x"); !errors.Is(err, feedrelay.ErrNotFound) {
		t.Errorf("item of the failed poll was stored: %v", err)
	}
	got, err := s.Source(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State.ETag != `"v1"` || got.State.ItemCount != 1 || got.State.FeedTitle != "News" || !got.State.NextPoll.Equal(st.NextPoll.UTC()) {
		t.Errorf("state after poll: %+v", got.State)
	}
	if due, _ := s.DueSources(ctx, now, 10); len(due) != 0 {
		t.Errorf("source due before its next poll")
	}
	stored, _ := s.ArticleByKey(ctx, item.Key)
	if stored.SourceID != src.ID {
		t.Errorf("article source id %d, want %d", stored.SourceID, src.ID)
	}
	dates, err := s.ArticleDates(ctx, []string{item.Key, "missing"})
	if err != nil || len(dates) != 1 || !dates[item.Key].Equal(t0) {
		t.Errorf("article dates %v %v", dates, err)
	}

	// A permanent redirect moves the URL; a 410 disables.
	if err := s.SaveSourceState(ctx, src.ID, "https://news.example/new.xml", false, feedrelay.SourceState{DisabledReason: "gone"}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Source(ctx, src.ID)
	if got.URL != "https://news.example/new.xml" || got.Enabled || got.State.DisabledReason != "gone" {
		t.Errorf("after redirect+410: %s enabled=%v %q", got.URL, got.Enabled, got.State.DisabledReason)
	}

	// Removing keeps the articles unless purged.
	other, _ := s.CreateSource(ctx, feedrelay.Source{URL: "https://b.example/rss", Enabled: true})
	if n, err := s.DeleteSource(ctx, other.ID, true); err != nil || n != 0 {
		t.Errorf("purge of an empty source: %d %v", n, err)
	}
	if n, err := s.DeleteSource(ctx, src.ID, false); err != nil || n != 0 {
		t.Fatalf("remove: %d %v", n, err)
	}
	if a, err := s.ArticleByKey(ctx, item.Key); err != nil || a.SourceID != 0 {
		t.Errorf("article after its source was removed: %+v %v", a.SourceID, err)
	}
	if _, err := s.Source(ctx, src.ID); !errors.Is(err, feedrelay.ErrNotFound) {
		t.Errorf("removed source: %v", err)
	}
}

func TestFailedArticleInBatchQueuesNoDelivery(t *testing.T) {
	s := storagetest.Open(t)
	tg, err := s.CreateRelayTarget(ctx, target("all"))
	if err != nil {
		t.Fatal(err)
	}
	bad := article("bad", t0)
	bad.GUID = "not a uri"
	out, err := s.UpsertArticles(ctx, []feedrelay.Article{article("ok1", t0), bad, article("ok2", t0)})
	if err != nil || out[1].Err == nil {
		t.Fatalf("batch: %v / %+v", err, out)
	}
	list, _ := s.PendingDeliveries(ctx, tg.ID, 10)
	if len(list) != 2 || list[0].Article.Key != "ok1" || list[1].Article.Key != "ok2" {
		t.Errorf("deliveries %d: the failed article must queue none, the others one each", len(list))
	}
}
