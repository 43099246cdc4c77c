package storage_test

import (
	"errors"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/storage/storagetest"
)

func target(name string, cats ...feedrelay.CategoryPath) feedrelay.RelayTarget {
	return feedrelay.RelayTarget{Name: name, Platform: feedrelay.PlatformWebhook, URL: "https://hooks.example/" + name,
		Categories: cats, Enabled: true}
}

func TestNewArticlesQueueOneDeliveryPerMatchingTarget(t *testing.T) {
	s := storagetest.Open(t)
	all, err := s.CreateRelayTarget(ctx, target("all"))
	if err != nil {
		t.Fatal(err)
	}
	newsOnly, err := s.CreateRelayTarget(ctx, target("news", feedrelay.CategoryPath{"新媒体"}))
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateRelayTarget(ctx, target("other", feedrelay.CategoryPath{"体育"}))
	if err != nil {
		t.Fatal(err)
	}
	kw := target("keyword")
	kw.Rules.Include = []string{"/^Title a/"}
	if kw, err = s.CreateRelayTarget(ctx, kw); err != nil {
		t.Fatal(err)
	}
	off := target("off")
	off.Enabled = false
	if _, err := s.CreateRelayTarget(ctx, off); err != nil {
		t.Fatal(err)
	}

	// Two in one batch, one alone; then an update and an unchanged re-import.
	if _, err := s.UpsertArticles(ctx, []feedrelay.Article{article("a1", t0, news), article("b1", t0.Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateArticle(ctx, article("a2", t0.Add(2*time.Hour), news)); err != nil {
		t.Fatal(err)
	}
	changed := article("a1", t0, news)
	changed.Title = "Title a1, corrected"
	if _, res, err := s.UpsertArticle(ctx, changed); err != nil || res != feedrelay.Updated {
		t.Fatalf("update: %v %v", res, err)
	}
	if _, res, err := s.UpsertArticle(ctx, article("b1", t0.Add(time.Hour))); err != nil || res != feedrelay.Unchanged {
		t.Fatalf("re-import: %v %v", res, err)
	}

	want := map[int64][]string{all.ID: {"a1", "b1", "a2"}, newsOnly.ID: {"a1", "a2"}, other.ID: nil, kw.ID: {"a1", "a2"}}
	for id, keys := range want {
		list, err := s.PendingDeliveries(ctx, id, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range list {
			got = append(got, d.Article.Key)
		}
		if len(got) != len(keys) {
			t.Errorf("target %d: pending %v, want %v", id, got, keys)
			continue
		}
		for i := range keys {
			if got[i] != keys[i] {
				t.Errorf("target %d: pending %v, want %v (article order)", id, got, keys)
			}
		}
	}
	due, err := s.DueRelayTargets(ctx, time.Now())
	if err != nil || len(due) != 3 {
		t.Fatalf("due targets: %d %v, want 3 (all, news, keyword)", len(due), err)
	}
}

func TestDeliveryAttemptsBackoffDeadLetterAndRetry(t *testing.T) {
	s := storagetest.Open(t)
	tg := target("t")
	tg.RetryBudget = time.Hour
	tg, err := s.CreateRelayTarget(ctx, tg)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"x1", "x2", "x3"} {
		if _, err := s.CreateArticle(ctx, article(k, t0)); err != nil {
			t.Fatal(err)
		}
	}
	list, _ := s.PendingDeliveries(ctx, tg.ID, 10)
	if len(list) != 3 {
		t.Fatalf("pending %d, want 3", len(list))
	}
	now := time.Now()
	// x1 delivered.
	if _, err := s.RecordDeliveryAttempt(ctx, feedrelay.DeliveryAttempt{TargetID: tg.ID, DeliveryIDs: []int64{list[0].ID}, At: now, Delivered: true}); err != nil {
		t.Fatal(err)
	}
	// x2 fails: the target waits until NextAttempt.
	if _, err := s.RecordDeliveryAttempt(ctx, feedrelay.DeliveryAttempt{TargetID: tg.ID, DeliveryIDs: []int64{list[1].ID}, At: now,
		Error: "retry: HTTP 500", NextAttempt: now.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueRelayTargets(ctx, now); len(due) != 0 {
		t.Errorf("target due during its backoff")
	}
	if due, _ := s.DueRelayTargets(ctx, now.Add(2*time.Minute)); len(due) != 1 {
		t.Errorf("target not due after its backoff")
	}
	// Still failing past the retry budget: x2 goes dead, x3 is next.
	dead, err := s.RecordDeliveryAttempt(ctx, feedrelay.DeliveryAttempt{TargetID: tg.ID, DeliveryIDs: []int64{list[1].ID},
		At: now.Add(2 * time.Hour), Error: "retry: HTTP 500", NextAttempt: now.Add(2 * time.Hour)})
	if err != nil || dead != 1 {
		t.Fatalf("dead: %d %v, want 1", dead, err)
	}
	got, _ := s.RelayTarget(ctx, tg.ID, "")
	if st := got.State; st.Delivered != 1 || st.Dead != 1 || st.Pending != 1 || st.LastError != "retry: HTTP 500" {
		t.Errorf("state %+v", st)
	}
	pending, _ := s.PendingDeliveries(ctx, tg.ID, 10)
	if len(pending) != 1 || pending[0].Article.Key != "x3" {
		t.Fatalf("pending after dead letter: %+v", pending)
	}
	// Three permanent failures stop the target.
	for i := range 3 {
		if _, err := s.RecordDeliveryAttempt(ctx, feedrelay.DeliveryAttempt{TargetID: tg.ID, DeliveryIDs: []int64{pending[0].ID},
			At: now.Add(2 * time.Hour), Error: "permanent: errcode 93000: invalid webhook url", Permanent: true, StopAfter: 3}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.RelayTarget(ctx, tg.ID, "")
		if stopped := got.State.DisabledReason != ""; stopped != (i == 2) {
			t.Fatalf("after %d permanent failures stopped=%v", i+1, stopped)
		}
	}
	if due, _ := s.DueRelayTargets(ctx, now.Add(48*time.Hour)); len(due) != 0 {
		t.Errorf("a stopped target is due")
	}
	n, err := s.RetryRelayTarget(ctx, tg.ID)
	if err != nil || n != 1 {
		t.Fatalf("retry revived %d (%v), want 1", n, err)
	}
	pending, _ = s.PendingDeliveries(ctx, tg.ID, 10)
	if len(pending) != 2 || pending[0].Article.Key != "x2" || pending[1].Article.Key != "x3" {
		t.Fatalf("pending after retry: %d", len(pending))
	}
	if due, _ := s.DueRelayTargets(ctx, now); len(due) != 1 {
		t.Errorf("target not due after retry")
	}
	if _, err := s.CreateRelayTarget(ctx, target("t")); !errors.Is(err, feedrelay.ErrConflict) {
		t.Errorf("duplicate name: %v, want ErrConflict", err)
	}
	if err := s.DeleteRelayTarget(ctx, tg.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RelayTarget(ctx, tg.ID, ""); !errors.Is(err, feedrelay.ErrNotFound) {
		t.Errorf("deleted target: %v", err)
	}
}

func TestCursorOrderSurvivesDeletesAndDates(t *testing.T) {
	s := storagetest.Open(t)
	// Published dates out of order: the cursor follows storing order.
	keys := []string{"c", "a", "b"}
	for i, k := range keys {
		if _, err := s.CreateArticle(ctx, article(k, t0.Add(-time.Duration(i)*time.Hour), news)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteArticle(ctx, "b"); err != nil { // the newest row: its id could be reused
		t.Fatal(err)
	}
	if _, err := s.CreateArticle(ctx, article("d", t0)); err != nil {
		t.Fatal(err)
	}
	list, err := s.ArticlesAfter(ctx, 0, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[0].Key != "c" || list[1].Key != "a" || list[2].Key != "d" {
		t.Fatalf("stored order: %v", keysOf(list))
	}
	if list[2].Seq != 4 {
		t.Errorf("seq of d = %d, want 4 (b's 3 is never handed out again)", list[2].Seq)
	}
	after, _ := s.ArticlesAfter(ctx, list[0].Seq, 0, 10)
	if len(after) != 2 || after[0].Key != "a" {
		t.Errorf("after first: %v", keysOf(after))
	}
	cats, _ := s.Categories(ctx)
	var root int64
	for _, c := range cats {
		if c.Depth() == 1 && c.Name == news[0] {
			root = c.ID
		}
	}
	inCat, _ := s.ArticlesAfter(ctx, 0, root, 10)
	if len(inCat) != 2 || inCat[0].Key != "c" || inCat[1].Key != "a" {
		t.Errorf("in category (descendants included): %v", keysOf(inCat))
	}
	if last, err := s.LastCursor(ctx); err != nil || last != 4 {
		t.Errorf("last cursor %d %v", last, err)
	}
}

func keysOf(list []feedrelay.Article) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Key)
	}
	return out
}

func TestPruneKeepsPendingAndDead(t *testing.T) {
	s := storagetest.Open(t)
	tg, err := s.CreateRelayTarget(ctx, target("p"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"p1", "p2", "p3"} {
		if _, err := s.CreateArticle(ctx, article(k, t0)); err != nil {
			t.Fatal(err)
		}
	}
	list, _ := s.PendingDeliveries(ctx, tg.ID, 10)
	old := time.Now().Add(-40 * 24 * time.Hour)
	if _, err := s.RecordDeliveryAttempts(ctx, []feedrelay.DeliveryAttempt{
		{TargetID: tg.ID, DeliveryIDs: []int64{list[0].ID}, At: old, Delivered: true},
		{TargetID: tg.ID, DeliveryIDs: []int64{list[1].ID}, At: old, Rejected: true, Error: "rejected: too long"},
	}); err != nil {
		t.Fatal(err)
	}
	n, err := s.PruneDeliveries(ctx, time.Now().Add(-30*24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("pruned %d (%v), want 1", n, err)
	}
	got, _ := s.RelayTarget(ctx, tg.ID, "")
	if st := got.State; st.Delivered != 0 || st.Dead != 1 || st.Pending != 1 {
		t.Errorf("after prune %+v, want the dead and the pending kept", st)
	}
}
