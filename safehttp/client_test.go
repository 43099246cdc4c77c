package safehttp

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// bound is the most any test waits for anything.
const bound = 5 * time.Second

type testServer struct {
	*httptest.Server
	conns atomic.Int64 // TCP connections accepted
}

func newServer(t *testing.T, h http.HandlerFunc) *testServer {
	t.Helper()
	ts := &testServer{}
	ts.Server = httptest.NewUnstartedServer(h)
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			ts.conns.Add(1)
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

func (ts *testServer) port() uint16 {
	return netip.MustParseAddrPort(ts.Listener.Addr().String()).Port()
}

func get(t *testing.T, c *Client, rawURL string) (*Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c.Do(ctx, req)
}

func hello(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hello " + r.UserAgent())) }

// waitClosed fails the test unless ch is closed within bound.
func waitClosed(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(bound):
		t.Fatalf("%s did not finish within %s", what, bound)
	}
}

func TestLoopbackRefusedByDefault(t *testing.T) {
	srv := newServer(t, hello)
	_, err := get(t, New(Options{}), srv.URL)
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("want ErrBlocked, got %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "127.0.0.1 (loopback address; set --allow-private-upstreams") {
		t.Errorf("message %q", msg)
	}
	if n := srv.conns.Load(); n != 0 {
		t.Errorf("server saw %d connections; the check must run before connect", n)
	}
}

func TestLocalhostNameRefused(t *testing.T) {
	if _, err := net.DefaultResolver.LookupHost(context.Background(), "localhost"); err != nil {
		t.Skipf("localhost does not resolve here: %v", err)
	}
	srv := newServer(t, hello)
	_, err := get(t, New(Options{}), "http://localhost:"+strconv.Itoa(int(srv.port()))+"/")
	var be *BlockedError
	if !errors.As(err, &be) || be.Host != "localhost" || !be.IP.IsLoopback() {
		t.Fatalf("want BlockedError for localhost, got %v", err)
	}
	if srv.conns.Load() != 0 {
		t.Error("server was connected to")
	}
}

// TestRedirectToBlockedRefused allows only the first server's port, so the
// redirect target (another loopback port) is judged by the real policy
// inside the dialer's Control hook.
func TestRedirectToBlockedRefused(t *testing.T) {
	target := newServer(t, hello)
	first := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/secret", http.StatusFound)
	})
	opts := Options{}
	c := newClient(opts, func(host string, ap netip.AddrPort) error {
		if ap.Port() == first.port() {
			return nil
		}
		return checkIP(host, ap.Addr(), false, DefaultAllowFlagHint)
	})
	_, err := get(t, c, first.URL)
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("want ErrBlocked, got %v", err)
	}
	if !strings.Contains(err.Error(), "redirected to "+target.URL+"/secret") {
		t.Errorf("message should name the redirect target: %v", err)
	}
	if first.conns.Load() != 1 || target.conns.Load() != 0 {
		t.Errorf("connections: first %d (want 1), target %d (want 0)", first.conns.Load(), target.conns.Load())
	}
}

func TestAllowPrivate(t *testing.T) {
	srv := newServer(t, hello)
	c := New(Options{AllowPrivate: true, UserAgent: "feedrelay-test/1"})
	resp, err := get(t, c, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || string(resp.Body) != "hello feedrelay-test/1" || resp.URL.String() != srv.URL {
		t.Errorf("got %d %q %s", resp.Status, resp.Body, resp.URL)
	}
	// A User-Agent set on the request wins.
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	req.Header.Set("User-Agent", "mine")
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	if resp, err = c.Do(ctx, req); err != nil || string(resp.Body) != "hello mine" {
		t.Errorf("got %v %v", resp, err)
	}
}

func TestNeverAllowedEvenWithAllowPrivate(t *testing.T) {
	srv := newServer(t, hello)
	c := New(Options{AllowPrivate: true})
	for _, u := range []string{
		"http://169.254.169.254/latest/meta-data/",
		"http://100.100.100.200/latest/meta-data/",
		"http://168.63.129.16/machine",
		"http://0.0.0.0:" + strconv.Itoa(int(srv.port())) + "/", // Linux routes 0.0.0.0 to the local host
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		start := time.Now()
		_, err := c.Do(ctx, req)
		cancel()
		if !errors.Is(err, ErrBlocked) || !strings.Contains(err.Error(), "never allowed") {
			t.Errorf("%s: want never-allowed ErrBlocked, got %v", u, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: refusal took %s; it must not touch the network", u, d)
		}
	}
	if srv.conns.Load() != 0 {
		t.Error("0.0.0.0 reached the server")
	}
}

func TestSchemesRefused(t *testing.T) {
	c := New(Options{AllowPrivate: true})
	bad := []string{"file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/"}
	for _, u := range bad {
		if _, err := get(t, c, u); !errors.Is(err, ErrUnsupportedScheme) {
			t.Errorf("%s: want ErrUnsupportedScheme, got %v", u, err)
		}
	}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", r.URL.Query().Get("to"))
		w.WriteHeader(http.StatusMovedPermanently)
	})
	for _, u := range bad {
		if _, err := get(t, c, srv.URL+"/?to="+u); !errors.Is(err, ErrUnsupportedScheme) {
			t.Errorf("redirect to %s: want ErrUnsupportedScheme, got %v", u, err)
		}
	}
}
