package safehttp

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// bigBody serves size bytes in chunks, stopping once the client goes away;
// written counts what actually left the handler.
func bigBody(size int64, written *atomic.Int64, done chan struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		chunk := bytes.Repeat([]byte("x"), 32<<10)
		for left := size; left > 0 && r.Context().Err() == nil; left -= int64(len(chunk)) {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}
}

func TestBodyCap(t *testing.T) {
	var written atomic.Int64
	done := make(chan struct{})
	srv := newServer(t, bigBody(20<<20, &written, done))
	_, err := get(t, New(Options{AllowPrivate: true}), srv.URL)
	var tl *TooLargeError
	if !errors.As(err, &tl) || !errors.Is(err, ErrTooLarge) || tl.Limit != DefaultMaxBodyBytes {
		t.Fatalf("want TooLargeError at the default cap, got %v", err)
	}
	if !strings.Contains(err.Error(), "response body is larger than the 10 MiB limit") {
		t.Errorf("message %q", err)
	}
	waitClosed(t, done, "handler")
}

func TestDoLimitStopsReading(t *testing.T) {
	var written atomic.Int64
	done := make(chan struct{})
	srv := newServer(t, bigBody(64<<20, &written, done))
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	_, err := New(Options{AllowPrivate: true}).DoLimit(ctx, req, 1<<20)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1 MiB limit") {
		t.Fatalf("want ErrTooLarge at 1 MiB, got %v", err)
	}
	waitClosed(t, done, "handler")
	// Socket buffers hold a few MiB at most; 64 MiB would mean we kept reading.
	if n := written.Load(); n >= 32<<20 {
		t.Errorf("server wrote %d bytes; the client should stop after the cap", n)
	}
}

func TestContentLengthOverCapFailsEarly(t *testing.T) {
	done := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		w.Header().Set("Content-Length", strconv.Itoa(20<<20))
		w.Write([]byte("x"))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // never sends the rest
	})
	start := time.Now()
	_, err := get(t, New(Options{AllowPrivate: true, Timeout: bound}), srv.URL)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Announced != 20<<20 {
		t.Fatalf("want TooLargeError announcing 20 MiB, got %v", err)
	}
	if d := time.Since(start); d > bound/2 {
		t.Errorf("took %s; should fail on the header alone", d)
	}
	waitClosed(t, done, "handler")
}

func TestGzipCapAppliesToDecodedBody(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		size, _ := strconv.Atoi(r.URL.Query().Get("n"))
		if r.Header.Get("Accept-Encoding") != "gzip" {
			http.Error(w, "expected transparent gzip", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(make([]byte, size))
		zw.Close()
	})
	c := New(Options{AllowPrivate: true, MaxBodyBytes: 1 << 20})
	resp, err := get(t, c, srv.URL+"/?n="+strconv.Itoa(512<<10))
	if err != nil || resp.Status != 200 || len(resp.Body) != 512<<10 {
		t.Fatalf("small gzip body: %v %v", resp, err)
	}
	if _, err := get(t, c, srv.URL+"/?n="+strconv.Itoa(4<<20)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("4 MiB decoded (tiny compressed) body: want ErrTooLarge, got %v", err)
	}
}

func TestTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	for name, h := range map[string]func(http.ResponseWriter, *http.Request){
		"endless body": func(w http.ResponseWriter, r *http.Request) {
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			for {
				if _, err := w.Write([]byte("x")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-tick.C:
				}
			}
		},
		"no headers": func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
	} {
		t.Run(name, func(t *testing.T) {
			done := make(chan struct{})
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				defer close(done)
				h(w, r)
			})
			start := time.Now()
			_, err := get(t, New(Options{AllowPrivate: true, Timeout: timeout}), srv.URL)
			if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("want ErrTimeout, got %v", err)
			}
			if !strings.Contains(err.Error(), "no complete answer within 300ms") {
				t.Errorf("message %q", err)
			}
			if d := time.Since(start); d < timeout || d > timeout+2*time.Second {
				t.Errorf("returned after %s, want about %s", d, timeout)
			}
			waitClosed(t, done, "handler")
		})
	}
}

func TestCallerCancelIsNotTimeout(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	_, err := New(Options{AllowPrivate: true, Timeout: bound}).Do(ctx, req)
	if err == nil || errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("caller's deadline: want DeadlineExceeded but not ErrTimeout, got %v", err)
	}
}

func TestRedirectChain(t *testing.T) {
	var hits atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		hop := func(code int, to string) { http.Redirect(w, r, to, code) }
		switch p := r.URL.Path; {
		case p == "/301":
			hop(301, "/ok")
		case p == "/308":
			hop(308, "/ok")
		case p == "/302":
			hop(302, "/ok")
		case p == "/301-302":
			hop(301, "/302")
		case p == "/301-301":
			hop(301, "/308")
		case strings.HasPrefix(p, "/loop/"):
			n, _ := strconv.Atoi(strings.TrimPrefix(p, "/loop/"))
			hop(302, fmt.Sprintf("/loop/%d", n+1))
		case strings.HasPrefix(p, "/down/"):
			n, _ := strconv.Atoi(strings.TrimPrefix(p, "/down/"))
			if n == 0 {
				hop(302, "/ok")
			} else {
				hop(302, fmt.Sprintf("/down/%d", n-1))
			}
		default:
			w.Write([]byte("ok"))
		}
	})
	c := New(Options{AllowPrivate: true, MaxRedirects: 3})
	for _, tc := range []struct {
		path      string
		statuses  []int
		permanent bool
	}{
		{"/ok", nil, false},
		{"/301", []int{301}, true},
		{"/308", []int{308}, true},
		{"/302", []int{302}, false},
		{"/301-302", []int{301, 302}, false},
		{"/301-301", []int{301, 308}, true},
		{"/down/2", []int{302, 302, 302}, false}, // exactly MaxRedirects hops
	} {
		resp, err := get(t, c, srv.URL+tc.path)
		if err != nil {
			t.Errorf("%s: %v", tc.path, err)
			continue
		}
		if resp.URL.Path != "/ok" || string(resp.Body) != "ok" || len(resp.Redirects) != len(tc.statuses) {
			t.Errorf("%s: final %s body %q hops %+v", tc.path, resp.URL, resp.Body, resp.Redirects)
			continue
		}
		for i, h := range resp.Redirects {
			if h.Status != tc.statuses[i] || (i == 0 && h.From.Path != tc.path) || (i > 0 && h.From != resp.Redirects[i-1].To) {
				t.Errorf("%s: hop %d = %d %s -> %s", tc.path, i, h.Status, h.From, h.To)
			}
		}
		u, ok := resp.PermanentRedirect()
		if ok != tc.permanent || (ok && u.String() != srv.URL+"/ok") {
			t.Errorf("%s: PermanentRedirect() = %v, %v; want permanent=%v", tc.path, u, ok, tc.permanent)
		}
	}
	hits.Store(0)
	_, err := get(t, c, srv.URL+"/loop/0")
	if !errors.Is(err, ErrTooManyRedirects) || !strings.Contains(err.Error(), "stopped after 3 redirects") {
		t.Fatalf("loop: want ErrTooManyRedirects, got %v", err)
	}
	if n := hits.Load(); n != 4 {
		t.Errorf("loop: %d requests, want 4 (the first plus 3 hops)", n)
	}
}
