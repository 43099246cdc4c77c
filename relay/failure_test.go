package relay_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
)

// webhookIDs are the webhook-id headers of what rc received, in order.
func webhookIDs(rc *receiver) []string {
	var out []string
	for _, r := range rc.requests() {
		out = append(out, r.Header.Get("webhook-id"))
	}
	return out
}

func TestInvalidKeyStopsTargetUntilRetry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var fixed atomic.Bool
	rc := newReceiver(t, func(int, request) answer {
		if fixed.Load() {
			return ok(wecomOK)
		}
		return ok(wecomBadKey)
	})
	tg := e.addTarget(feedrelay.RelayTarget{Name: "revoked", Platform: feedrelay.PlatformWeCom, URL: rc.URL + "/send?key=old"})
	arts := e.createArticles(1, 2)
	for i := range 3 {
		e.pass()
		if rc.count() != i+1 {
			t.Fatalf("attempt %d: %d requests", i+1, rc.count())
		}
		st := e.target(tg.ID).State
		if stopped := st.DisabledReason != ""; stopped != (i == 2) {
			t.Fatalf("after %d permanent errors stopped=%v (%q)", i+1, stopped, st.DisabledReason)
		}
		e.clock.shift(2 * time.Minute) // past any backoff
	}
	st := e.target(tg.ID).State
	if !strings.Contains(st.DisabledReason, "93000") || !strings.Contains(st.DisabledReason, "invalid webhook url") {
		t.Errorf("disabled reason %q, want the platform's message", st.DisabledReason)
	}
	// Stopped: nothing more is sent, even for new articles (which queue).
	arts = append(arts, e.createArticles(2, 3)...)
	e.clock.shift(48 * time.Hour)
	e.pass()
	if rc.count() != 3 {
		t.Fatalf("a stopped target was sent to: %d requests", rc.count())
	}
	if st := e.target(tg.ID).State; st.Pending != 2 || st.Dead != 0 {
		t.Fatalf("stopped target state %+v, want 2 pending", st)
	}
	// The operator fixes the key and retries.
	fixed.Store(true)
	var woke atomic.Int32
	e.svc.Notify = func() { woke.Add(1); e.worker.Notify() }
	if _, err := e.svc.Retry(bg, tg.ID); err != nil {
		t.Fatal(err)
	}
	if woke.Load() != 1 {
		t.Errorf("retry did not wake the worker")
	}
	if st := e.target(tg.ID).State; st.DisabledReason != "" || st.PermanentFails != 0 {
		t.Errorf("after retry: %+v", st)
	}
	e.pass()
	got := rc.requests()[3:]
	if len(got) != 2 {
		t.Fatalf("after retry %d messages, want 2", len(got))
	}
	for i, r := range got {
		if m := decodeNews(t, r); m.News.Articles[0].Title != arts[i].Title {
			t.Errorf("after retry message %d is %q, want %q", i, m.News.Articles[0].Title, arts[i].Title)
		}
	}
	if st := e.target(tg.ID).State; st.Delivered != 2 || st.Pending != 0 {
		t.Errorf("state %+v", st)
	}
}

// A stop that outlasts the retry budget must not let the first hiccup
// after relays retry dead-letter the backlog.
func TestRetryAfterLongStopGivesAFreshBudget(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var calls atomic.Int32
	rc := newReceiver(t, func(n int, _ request) answer {
		calls.Add(1)
		switch {
		case n < 3:
			return ok(wecomBadKey)
		case n == 3:
			return ok(wecomBusy)
		}
		return ok(wecomOK)
	})
	tg := e.addTarget(feedrelay.RelayTarget{Name: "weekend", Platform: feedrelay.PlatformWeCom, URL: rc.URL + "/send?key=k"})
	e.createArticles(1, 2)
	for range 3 {
		e.pass()
		e.clock.shift(2 * time.Minute)
	}
	e.clock.shift(72 * time.Hour) // the key is fixed on Monday
	if _, err := e.svc.Retry(bg, tg.ID); err != nil {
		t.Fatal(err)
	}
	e.pass() // system busy
	if st := e.target(tg.ID).State; st.Dead != 0 || st.Pending != 1 {
		t.Fatalf("one busy answer after retry dead-lettered the backlog: %+v", st)
	}
	e.clock.shift(time.Minute)
	e.pass()
	if st := e.target(tg.ID).State; st.Delivered != 1 || calls.Load() != 5 {
		t.Errorf("state %+v after %d calls", st, calls.Load())
	}
}

func TestServerErrorsPastBudgetDeadLetterThenRetryRevives(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var failing atomic.Bool
	failing.Store(true)
	rc := newReceiver(t, func(int, request) answer {
		if failing.Load() {
			return answer{Status: http.StatusInternalServerError, Body: "oops"}
		}
		return ok("")
	})
	tg := e.addTarget(feedrelay.RelayTarget{Name: "flaky", Platform: feedrelay.PlatformWebhook, URL: rc.URL, RetryBudget: time.Minute})
	e.createArticles(1, 4) // deliveries d1, d2, d3
	list, err := e.store.PendingDeliveries(bg, tg.ID, 10)
	if err != nil || len(list) != 3 {
		t.Fatalf("pending %d %v", len(list), err)
	}
	key := func(i int) string { return list[i].DeliveryKey() }
	// Each pass is 30 s after the last, past every backoff (5 s, 10 s,
	// 20 s ±20%): d1 is tried at 0, 30 and 60 s and is dead at 60 s (the
	// budget is a minute), then d2 the same, then the receiver recovers.
	for range 6 {
		e.pass()
		e.clock.shift(30 * time.Second)
	}
	st := e.target(tg.ID).State
	if st.Dead != 2 || st.Pending != 1 || st.Delivered != 0 {
		t.Fatalf("after the streak: %+v, want 2 dead, 1 pending", st)
	}
	if !strings.Contains(st.LastError, "HTTP 500") {
		t.Errorf("last error %q", st.LastError)
	}
	want := []string{key(0), key(0), key(0), key(1), key(1), key(1)}
	if got := webhookIDs(rc); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("sent %v, want %v", got, want)
	}
	failing.Store(false)
	e.pass() // the next article proceeds
	if st := e.target(tg.ID).State; st.Delivered != 1 || st.Dead != 2 {
		t.Fatalf("after recovery %+v", st)
	}
	n, err := e.svc.Retry(bg, tg.ID)
	if err != nil || n != 2 {
		t.Fatalf("retry revived %d (%v), want 2", n, err)
	}
	e.pass()
	want = append(want, key(2), key(0), key(1))
	if got := webhookIDs(rc); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("sent %v, want %v (revived in original order)", got, want)
	}
	if st := e.target(tg.ID).State; st.Delivered != 3 || st.Dead != 0 || st.Pending != 0 {
		t.Errorf("final state %+v", st)
	}
}

func TestHangingReceiverDoesNotStallOthers(t *testing.T) {
	t.Parallel()
	var logs lockedBuffer
	e := newEnv(t, withTimeout(300*time.Millisecond), withLogger(&logs))
	var mu sync.Mutex
	var hangEnded time.Time
	hang := newReceiver(t, func(_ int, r request) answer {
		<-r.Gone // never answers; returns when the client gives up
		mu.Lock()
		hangEnded = time.Now()
		mu.Unlock()
		return answer{Status: http.StatusOK}
	})
	healthy := newReceiver(t, always(ok("")))
	// The hanging target is first in line.
	const key = "hang-secret-key-0123456789"
	th := e.addTarget(feedrelay.RelayTarget{Name: "a-hang", Platform: feedrelay.PlatformWeCom, URL: hang.URL + "/send?key=" + key})
	tw := e.addTarget(feedrelay.RelayTarget{Name: "b-hook", Platform: feedrelay.PlatformWebhook, URL: healthy.URL})
	e.createArticles(1, 2)
	ctx, cancel := context.WithTimeout(bg, 3*time.Second)
	defer cancel()
	start := time.Now()
	if n, err := e.worker.DeliverDue(ctx); n != 2 || err != nil {
		t.Fatalf("pass: %d targets, %v", n, err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("pass took %v with a 300 ms client timeout", el)
	}
	st := e.target(th.ID).State
	if st.Delivered != 0 || st.Failed != 1 || !strings.HasPrefix(st.LastError, "retry: ") || !strings.Contains(st.LastError, "no complete answer within 300ms") {
		t.Errorf("hanging target %+v, want a timed-out attempt to retry", st)
	}
	// The transport error names the URL: never with its key.
	if strings.Contains(st.LastError, key) || strings.Contains(logs.String(), key) || !strings.Contains(logs.String(), "delivery failed") {
		t.Errorf("the webhook key leaked: last error %q\nlog:\n%s", st.LastError, logs.String())
	}
	if !e.due(th.ID, e.clock.Now().Add(time.Minute)) || e.due(th.ID, e.clock.Now()) {
		t.Errorf("hanging target not backed off")
	}
	if st := e.target(tw.ID).State; st.Delivered != 1 {
		t.Errorf("healthy target %+v, want delivered in the same pass", st)
	}
	mu.Lock()
	defer mu.Unlock()
	// hangEnded is zero when the hanging handler has not even noticed the
	// client leaving yet: the healthy target certainly did not wait for it.
	if got := healthy.requests(); len(got) != 1 || (!hangEnded.IsZero() && !got[0].At.Before(hangEnded)) {
		t.Errorf("the healthy target waited for the hanging one (arrived %v, hang ended %v)", got, hangEnded)
	}
}

func TestRejectedMessageGoesDeadAndTheNextOneIsSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// WeCom refuses the first message itself (40058: content too long),
	// accepts the rest: the target is fine.
	rc := newReceiver(t, func(n int, _ request) answer {
		if n == 0 {
			return ok(`{"errcode":40058,"errmsg":"markdown.content exceed max length 4096. invalid Request Parameter"}`)
		}
		return ok(wecomOK)
	})
	tg := e.addTarget(feedrelay.RelayTarget{Name: "rejects-one", Platform: feedrelay.PlatformWeCom, URL: rc.URL + "/send?key=k"})
	e.createArticles(1, 4)
	e.pass()
	if rc.count() != 3 {
		t.Fatalf("%d requests in one pass, want 3 (the rejected message does not hold up the rest)", rc.count())
	}
	st := e.target(tg.ID).State
	if st.Dead != 1 || st.Delivered != 2 || st.Pending != 0 || st.DisabledReason != "" || st.PermanentFails != 0 {
		t.Errorf("state %+v, want 1 dead, 2 delivered, target running", st)
	}
	if st.LastError != "" {
		t.Errorf("last error %q, want it cleared by the later successes", st.LastError)
	}
	// relays retry sends the dead one again.
	n, err := e.svc.Retry(bg, tg.ID)
	if err != nil || n != 1 {
		t.Fatalf("retry revived %d, %v", n, err)
	}
	e.pass()
	if st := e.target(tg.ID).State; st.Delivered != 3 || st.Dead != 0 {
		t.Errorf("after retry %+v, want all 3 delivered", st)
	}
}
