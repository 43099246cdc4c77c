package relay_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
)

// wecomNews is WeCom's news message as a receiver reads it.
type wecomNews struct {
	MsgType string `json:"msgtype"`
	News    struct {
		Articles []struct {
			Title       string `json:"title"`
			Description string `json:"description"`
			URL         string `json:"url"`
			PicURL      string `json:"picurl"`
		} `json:"articles"`
	} `json:"news"`
}

func decodeNews(t *testing.T, r request) wecomNews {
	t.Helper()
	var m wecomNews
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("wecom body is not JSON: %v\n%s", err, r.Body)
	}
	if m.MsgType != "news" {
		t.Fatalf("msgtype %q, want news", m.MsgType)
	}
	return m
}

func TestWeComDeliversEachArticleInOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rc := newReceiver(t, always(ok(wecomOK)))
	tg := e.addTarget(feedrelay.RelayTarget{Name: "wecom", Platform: feedrelay.PlatformWeCom,
		URL: rc.URL + "/cgi-bin/webhook/send?key=693a91f6-7xxx"})
	arts := e.createArticles(1, 4)
	if n := e.pass(); n != 1 {
		t.Fatalf("targets served %d, want 1", n)
	}
	got := rc.requests()
	if len(got) != len(arts) {
		t.Fatalf("received %d messages, want %d", len(got), len(arts))
	}
	for i, r := range got {
		if r.Path != "/cgi-bin/webhook/send" || r.Query.Get("key") != "693a91f6-7xxx" {
			t.Errorf("message %d went to %s?%s", i, r.Path, r.Query.Encode())
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("content type %q", ct)
		}
		if id := r.Header.Get("X-Feedrelay-Delivery"); !strings.HasPrefix(id, "fr-delivery-") || (i > 0 && id == got[i-1].Header.Get("X-Feedrelay-Delivery")) {
			t.Errorf("message %d delivery id header %q: want a distinct fr-delivery-N per message", i, id)
		}
		m := decodeNews(t, r)
		if len(m.News.Articles) != 1 {
			t.Fatalf("message %d carries %d articles, want 1", i, len(m.News.Articles))
		}
		a, want := m.News.Articles[0], arts[i]
		if a.Title != want.Title {
			t.Errorf("message %d title %q, want %q (article order)", i, a.Title, want.Title)
		}
		if a.URL != baseURL+"/articles/"+want.Key {
			t.Errorf("message %d url %q", i, a.URL)
		}
		if a.Description != want.Summary {
			t.Errorf("message %d description %q, want %q", i, a.Description, want.Summary)
		}
		if a.PicURL != "" {
			t.Errorf("message %d picurl %q for an article without image", i, a.PicURL)
		}
	}
	st := e.target(tg.ID).State
	if st.Delivered != 3 || st.Pending != 0 || st.Failed != 0 || st.LastError != "" || st.LastSuccess.IsZero() {
		t.Errorf("state %+v, want delivered 3, pending 0, last success set", st)
	}
	if e.pass(); rc.count() != 3 {
		t.Errorf("a second pass sent again: %d messages", rc.count())
	}
}

func TestWeComDigestCarriesAllPendingInOneMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rc := newReceiver(t, always(ok(wecomOK)))
	tg := e.addTarget(feedrelay.RelayTarget{Name: "digest", Platform: feedrelay.PlatformWeCom,
		URL: rc.URL + "/send?key=k", Style: feedrelay.StyleDigest, DigestMax: 8})
	arts := e.createArticles(1, 6)
	e.pass()
	got := rc.requests()
	if len(got) != 1 {
		t.Fatalf("received %d messages, want one digest", len(got))
	}
	m := decodeNews(t, got[0])
	if len(m.News.Articles) != len(arts) {
		t.Fatalf("digest carries %d articles, want %d", len(m.News.Articles), len(arts))
	}
	for i, a := range m.News.Articles {
		if a.Title != arts[i].Title || a.URL != baseURL+"/articles/"+arts[i].Key {
			t.Errorf("digest article %d: %q %q, want %q", i, a.Title, a.URL, arts[i].Title)
		}
	}
	if st := e.target(tg.ID).State; st.Delivered != 5 || st.Pending != 0 {
		t.Errorf("state %+v, want 5 delivered", st)
	}
}

// WeCom answers errors with HTTP 200: the errcode decides.
func TestErrorCodeInA200IsRetriedAfterBackoff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rc := newReceiver(t, func(n int, _ request) answer {
		if n == 0 {
			return ok(wecomBusy)
		}
		return ok(wecomOK)
	})
	tg := e.addTarget(feedrelay.RelayTarget{Name: "busy", Platform: feedrelay.PlatformWeCom, URL: rc.URL + "/send?key=k"})
	e.createArticles(1, 2)
	e.pass()
	now := e.clock.Now()
	st := e.target(tg.ID).State
	if rc.count() != 1 || st.Delivered != 0 || st.Pending != 1 || st.Failed != 1 {
		t.Fatalf("after busy: %d sent, state %+v", rc.count(), st)
	}
	if !strings.Contains(st.LastError, "system busy") || !strings.Contains(st.LastError, "-1") {
		t.Errorf("last error %q, want the platform's message", st.LastError)
	}
	// The first backoff is 5 s ±20%.
	if e.due(tg.ID, now) || e.due(tg.ID, now.Add(3500*time.Millisecond)) {
		t.Errorf("target due during its backoff")
	}
	if !e.due(tg.ID, now.Add(6100*time.Millisecond)) {
		t.Errorf("target not due after its backoff")
	}
	if e.pass(); rc.count() != 1 {
		t.Fatalf("sent during the backoff")
	}
	e.clock.shift(7 * time.Second)
	e.pass()
	e.pass()
	if rc.count() != 2 {
		t.Fatalf("messages %d, want the retry delivered exactly once", rc.count())
	}
	if st := e.target(tg.ID).State; st.Delivered != 1 || st.Pending != 0 || st.LastError != "" {
		t.Errorf("state after retry %+v", st)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	after := func(limited, good answer) func(int, request) answer {
		return func(i int, _ request) answer {
			if i == 0 {
				return limited
			}
			return good
		}
	}
	retry120 := http.Header{"Retry-After": {"120"}}
	slack := newReceiver(t, after(answer{Status: http.StatusTooManyRequests, Header: retry120, Body: "rate_limited"}, ok("ok")))
	hook := newReceiver(t, after(answer{Status: http.StatusTooManyRequests, Header: retry120}, ok("")))
	tgram := newReceiver(t, after(answer{Status: http.StatusTooManyRequests, Body: telegram429}, ok(telegramOK)))
	ts := e.addTarget(feedrelay.RelayTarget{Name: "slack", Platform: feedrelay.PlatformSlack, URL: slack.URL + "/services/T0/B0/x"})
	th := e.addTarget(feedrelay.RelayTarget{Name: "hook", Platform: feedrelay.PlatformWebhook, URL: hook.URL + "/hook"})
	tt := e.addTarget(feedrelay.RelayTarget{Name: "tg", Platform: feedrelay.PlatformTelegram, URL: tgram.URL,
		BotToken: "123456:ABC-def", ChatID: "-1001234567890"})
	e.createArticles(1, 2)
	e.pass()
	start := e.clock.Now()
	for _, rc := range []*receiver{slack, hook, tgram} {
		if rc.count() != 1 {
			t.Fatalf("first pass: %d requests, want 1", rc.count())
		}
	}
	if p := tgram.requests()[0].Path; p != "/bot123456:ABC-def/sendMessage" {
		t.Errorf("telegram path %q", p)
	}
	if st := e.target(tt.ID).State; !strings.Contains(st.LastError, "retry after 30") {
		t.Errorf("telegram last error %q", st.LastError)
	}
	for _, c := range []struct {
		id    int64
		after time.Duration
	}{{ts.ID, 120 * time.Second}, {th.ID, 120 * time.Second}, {tt.ID, 30 * time.Second}} {
		if e.due(c.id, start.Add(c.after-time.Second)) {
			t.Errorf("target %d due before its Retry-After %v", c.id, c.after)
		}
		if !e.due(c.id, start.Add(c.after+time.Second)) {
			t.Errorf("target %d not due after its Retry-After %v", c.id, c.after)
		}
	}
	// The worker agrees: Telegram goes at +30 s, the others at +120 s.
	e.clock.shift(29 * time.Second)
	e.pass()
	e.clock.shift(2 * time.Second)
	e.pass()
	if tgram.count() != 2 || slack.count() != 1 || hook.count() != 1 {
		t.Fatalf("at +31s: telegram %d slack %d hook %d", tgram.count(), slack.count(), hook.count())
	}
	e.clock.shift(88 * time.Second) // +119 s
	e.pass()
	if slack.count() != 1 || hook.count() != 1 {
		t.Fatalf("sent before Retry-After: slack %d hook %d", slack.count(), hook.count())
	}
	e.clock.shift(2 * time.Second)
	e.pass()
	for _, id := range []int64{ts.ID, th.ID, tt.ID} {
		if st := e.target(id).State; st.Delivered != 1 || st.Pending != 0 {
			t.Errorf("target %d after the wait: %+v", id, st)
		}
	}
}

func TestUpdatesAndReimportsSendNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rc := newReceiver(t, always(ok("")))
	tg := e.addTarget(feedrelay.RelayTarget{Name: "hook", Platform: feedrelay.PlatformWebhook, URL: rc.URL})
	batch := []feedrelay.Article{newArticle(1), newArticle(2)}
	if _, err := e.store.UpsertArticles(bg, batch); err != nil {
		t.Fatal(err)
	}
	e.pass()
	if rc.count() != 2 {
		t.Fatalf("sent %d, want 2", rc.count())
	}
	changed := newArticle(1)
	changed.Title = "文章 01: corrected title"
	if _, res, err := e.store.UpsertArticle(bg, changed); err != nil || res != feedrelay.Updated {
		t.Fatalf("update: %v %v", res, err)
	}
	if _, res, err := e.store.UpsertArticle(bg, newArticle(2)); err != nil || res != feedrelay.Unchanged {
		t.Fatalf("re-import: %v %v", res, err)
	}
	out, err := e.store.UpsertArticles(bg, []feedrelay.Article{changed, newArticle(2)})
	if err != nil || out[0].Result != feedrelay.Unchanged || out[1].Result != feedrelay.Unchanged {
		t.Fatalf("batch re-import: %+v %v", out, err)
	}
	if n := e.pass(); n != 0 || rc.count() != 2 {
		t.Errorf("after update and re-import: %d targets served, %d sent, want nothing new", n, rc.count())
	}
	if st := e.target(tg.ID).State; st.Delivered != 2 || st.Pending != 0 {
		t.Errorf("state %+v", st)
	}
}
