package relay_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
)

func TestPacingKeepsToTheTargetRate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rc := newReceiver(t, always(ok(""))) // never a 429: the pacing is ours
	tg := e.addTarget(feedrelay.RelayTarget{Name: "paced", Platform: feedrelay.PlatformWebhook, URL: rc.URL,
		RatePerMinute: 120, Burst: 1})
	e.createArticles(1, 13)
	start := time.Now()
	stop, done := e.run(3 * time.Second)
	<-done
	stop()
	got := rc.requests()
	// A bucket of 2/s and burst 1 admits at most burst + 2·1 s = 3 sends
	// into any 1 s window and, starting empty, about 2·3 s = 6 in 3 s (7
	// if it had started full).
	if len(got) > 7 {
		t.Errorf("%d sends in 3 s, the bucket allows at most 7", len(got))
	}
	if len(got) < 3 {
		t.Fatalf("%d sends in 3 s: pacing stalled", len(got))
	}
	if first := got[0].At.Sub(start); first < 400*time.Millisecond {
		t.Errorf("first send after %v: a new bucket starts empty (about 500 ms)", first)
	}
	for i := range got {
		n := 0
		for j := i; j < len(got) && got[j].At.Sub(got[i].At) <= time.Second; j++ {
			n++
		}
		if n > 3 {
			t.Errorf("%d sends within 1 s from send %d, want at most 3", n, i)
		}
	}
	st := e.target(tg.ID).State
	if st.Delivered != len(got) || st.Pending != 12-len(got) || st.Failed != 0 || st.LastError != "" {
		t.Errorf("state %+v after %d sends: pacing must not show as failures", st, len(got))
	}
}

// Delivery is at least once: a message the receiver acknowledged but the
// worker had not yet recorded (cut off mid-flight by a crash, or by a
// shutdown past its grace) is sent again after a restart, with the same
// webhook-id, so receivers drop it. What was recorded as delivered is
// never sent again. A send in flight at shutdown gets a grace to finish,
// and its answer is recorded.
func TestRestartMidBacklogResendsNothingRecorded(t *testing.T) {
	t.Parallel()
	path := tempDB(t)
	s1 := openFile(t, path)
	closed := false
	t.Cleanup(func() {
		if !closed {
			s1.Close()
		}
	})
	e1 := newEnvOn(t, s1)

	var mu sync.Mutex
	phase := 1
	seen := map[int][]string{}
	ninth, gate := make(chan struct{}), make(chan struct{})
	rc := newReceiver(t, func(n int, r request) answer {
		mu.Lock()
		p := phase
		seen[p] = append(seen[p], r.Header.Get("webhook-id"))
		mu.Unlock()
		if p == 1 && n == 8 { // eight acknowledged; the ninth waits for the shutdown
			close(ninth)
			<-gate
		}
		return ok("")
	})
	tg := e1.addTarget(feedrelay.RelayTarget{Name: "hook", Platform: feedrelay.PlatformWebhook, URL: rc.URL})
	e1.createArticles(1, 21)
	all, err := s1.PendingDeliveries(bg, tg.ID, 100)
	if err != nil || len(all) != 20 {
		t.Fatalf("pending %d %v", len(all), err)
	}

	stop, _ := e1.run(10 * time.Second)
	select {
	case <-ninth:
	case <-time.After(5 * time.Second):
		t.Fatal("the ninth message never arrived")
	}
	go func() { time.Sleep(50 * time.Millisecond); close(gate) }() // answers after shutdown began
	stop()

	// The restart point: what the store holds as delivered.
	pending, err := s1.PendingDeliveries(bg, tg.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	isPending := map[string]bool{}
	for _, d := range pending {
		isPending[d.DeliveryKey()] = true
	}
	mu.Lock()
	before := append([]string(nil), seen[1]...)
	phase = 2
	mu.Unlock()
	recorded := map[string]bool{}
	for _, id := range before {
		if !isPending[id] {
			recorded[id] = true
		}
	}
	if len(before) != 9 || len(recorded) != 9 {
		t.Fatalf("before the restart %d received, %d recorded delivered; want 9 and 9 (the one in flight finishes in its grace)",
			len(before), len(recorded))
	}
	if st := e1.target(tg.ID).State; st.Delivered != 9 || st.Pending != 11 {
		t.Fatalf("state at the restart %+v", st)
	}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	closed = true

	s2 := openFile(t, path)
	t.Cleanup(func() { s2.Close() })
	e2 := newEnvOn(t, s2)
	stop2, _ := e2.run(10 * time.Second)
	eventually(t, 8*time.Second, "all 20 delivered after the restart", func() bool {
		st := e2.target(tg.ID).State
		return st.Delivered == 20 && st.Pending == 0
	})
	stop2()

	mu.Lock()
	after := seen[2]
	mu.Unlock()
	received := map[string]int{}
	for _, id := range append(before, after...) {
		received[id]++
	}
	for _, d := range all {
		if received[d.DeliveryKey()] == 0 {
			t.Errorf("%s never received", d.DeliveryKey())
		}
	}
	for _, id := range after {
		if recorded[id] {
			t.Errorf("%s was recorded as delivered before the restart and sent again", id)
		}
	}
	if len(after) != 11 {
		t.Errorf("after the restart %d sent, want the 11 pending", len(after))
	}
}

// Standard Webhooks lets a receiver send Retry-After with a 503 too; the
// wait it asks for outlasts the worker's own backoff.
func TestRetryAfterOnServerErrorIsHonoured(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rc := newReceiver(t, func(n int, _ request) answer {
		if n == 0 {
			return answer{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"300"}}, Body: "maintenance"}
		}
		return ok("")
	})
	tg := e.addTarget(feedrelay.RelayTarget{Name: "hook", Platform: feedrelay.PlatformWebhook, URL: rc.URL})
	e.createArticles(1, 2)
	e.pass()
	now := e.clock.Now()
	if e.due(tg.ID, now.Add(299*time.Second)) {
		t.Errorf("due before the receiver's Retry-After of 300 s")
	}
	e.clock.shift(301 * time.Second)
	e.pass()
	if st := e.target(tg.ID).State; rc.count() != 2 || st.Delivered != 1 {
		t.Errorf("after the wait: %d sent, %+v", rc.count(), st)
	}
}

// A 301/302/303 makes the client repeat the request as a GET without its
// body, so whatever the new location answers says nothing about the
// message: it was not delivered.
func TestRedirectIsNotDelivery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rc := newReceiver(t, func(_ int, r request) answer {
		if r.Path == "/old" {
			return answer{Status: http.StatusFound, Header: http.Header{"Location": {"/login"}}}
		}
		return ok("<html>please log in</html>")
	})
	tg := e.addTarget(feedrelay.RelayTarget{Name: "moved", Platform: feedrelay.PlatformWebhook, URL: rc.URL + "/old"})
	e.createArticles(1, 2)
	e.pass()
	st := e.target(tg.ID).State
	if st.Delivered != 0 || st.Pending != 1 || !strings.Contains(st.LastError, "redirect") {
		t.Errorf("redirected to a page that answers 200: %+v, want not delivered", st)
	}
}
