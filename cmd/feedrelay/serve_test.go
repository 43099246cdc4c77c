package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestServePollsSourcesAndRelaysNewArticles is the whole path an operator
// sets up: a relay target and an upstream source added with the CLI, then
// serve keeps the source fresh and pushes its new items to the group, and
// the items appear in the category feed with attribution.
func TestServePollsSourcesAndRelaysNewArticles(t *testing.T) {
	var items atomic.Int32
	items.Store(1)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>上游</title><link>https://up.example/</link><description>d</description>`)
		for i := range int(items.Load()) {
			fmt.Fprintf(&b, `<item><title>条目 %d</title><link>https://up.example/%d</link><guid>g%d</guid><pubDate>Tue, 01 Dec 2026 08:0%d:00 +0800</pubDate><description>正文 %d</description></item>`, i, i, i, i, i)
		}
		b.WriteString(`</channel></rss>`)
		io.WriteString(w, b.String())
	}))
	defer up.Close()
	var mu sync.Mutex
	var got []string
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, string(body))
		mu.Unlock()
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	defer recv.Close()

	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	addr := freeAddr(t)
	if code, out, errs := runCmd(t, t.Context(), "relays", "add", "群", "--db", db, "--platform", "wecom", "--url", recv.URL+"/cgi-bin/webhook/send?key=k", "--rate", "-1"); code != 0 {
		t.Fatalf("relays add: %d\n%s%s", code, out, errs)
	}
	if code, out, errs := runCmd(t, t.Context(), "sources", "add", up.URL, "--db", db, "--category", "新闻", "--every", "1m", "--allow-private-upstreams"); code != 0 {
		t.Fatalf("sources add: %d\n%s%s", code, out, errs)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan int, 1)
	var errs bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--db", db, "--base-url", "http://" + addr, "--allow-private-upstreams", "--admin-token", "tok"}, io.Discard, &errs)
	}()
	// The item stored by sources add was announced (the target existed).
	waitFor(t, 10*time.Second, "server up", func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
	waitFor(t, 10*time.Second, "first item relayed", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) == 1 && strings.Contains(got[0], "条目 0")
	})
	// A new upstream item, polled by serve's own poller (through the API):
	// it is relayed once and shows in the feed at once.
	items.Store(2)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/v1/sources/1/fetch", nil)
	req.Header.Set("Authorization", "Bearer tok")
	fetch, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(fetch.Body)
	fetch.Body.Close()
	if fetch.StatusCode != 200 || !strings.Contains(string(body), "条目 1") {
		t.Fatalf("fetch through the API: %d %s", fetch.StatusCode, body)
	}
	waitFor(t, 10*time.Second, "second item relayed", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) == 2 && strings.Contains(got[1], "条目 1")
	})
	resp, err := http.Get("http://" + addr + "/categories/%E6%96%B0%E9%97%BB/feed.rss")
	if err != nil {
		t.Fatal(err)
	}
	feed, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(feed), "条目 1") || !strings.Contains(string(feed), `<source url="`+up.URL+`">上游</source>`) {
		t.Errorf("category feed lacks the new item with attribution:\n%s", feed)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d:\n%s", code, errs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s of cancellation")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 {
		t.Errorf("%d messages relayed, want 2 (no duplicates)", len(got))
	}
}

func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
