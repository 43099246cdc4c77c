package handlers_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/handlers"
	"github.com/feedrelay/feedrelay/posts"
	"github.com/feedrelay/feedrelay/sanitize"
	"github.com/feedrelay/feedrelay/storage"
	"github.com/feedrelay/feedrelay/storage/storagetest"
)

const testToken = "s3cret-token"

// testServer is a real server on 127.0.0.1 over a real SQLite file,
// listening with the transport main uses (fasthttp in front of echo).
type testServer struct {
	URL   string
	srv   *handlers.Server
	store *storage.Store
}

// newTestServer builds the server with the same constructors main uses.
// edit may change the config before the server is built.
func newTestServer(t *testing.T, edit func(*handlers.Config)) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts, srv := buildTestServer(t, "http://"+ln.Addr().String(), edit)
	httpSrv := srv.NewHTTPServer(handlers.HTTPServerOptions{ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, MaxHeaderBytes: 16 << 10})
	done := make(chan error, 1)
	go func() { done <- httpSrv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := httpSrv.ShutdownWithContext(ctx); err != nil {
			t.Errorf("shut down test server: %v", err)
		}
		<-done
	})
	return ts
}

// newNetHTTPTestServer serves the same server through its net/http
// Handler (what embedding feedrelay in another Go server would use).
func newNetHTTPTestServer(t *testing.T, edit func(*handlers.Config)) *testServer {
	t.Helper()
	hs := httptest.NewUnstartedServer(nil)
	ts, srv := buildTestServer(t, "http://"+hs.Listener.Addr().String(), edit)
	hs.Config.Handler = srv.Handler()
	hs.Start()
	t.Cleanup(hs.Close)
	return ts
}

func buildTestServer(t *testing.T, baseURL string, edit func(*handlers.Config)) (*testServer, *handlers.Server) {
	t.Helper()
	store := storagetest.Open(t)
	cfg := handlers.Config{BaseURL: baseURL, SiteTitle: "Test Site",
		AdminToken: testToken, CacheMaxAge: 300 * time.Second, Version: "test"}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := handlers.New(context.Background(), cfg, store, sanitize.New())
	if err != nil {
		t.Fatalf("build server: %v", err)
	}
	return &testServer{URL: baseURL, srv: srv, store: store}, srv
}

// importExamples imports examples/posts (and the shared seed when present)
// and returns how many articles were stored.
func (ts *testServer) importExamples(t *testing.T) int {
	t.Helper()
	paths := []string{filepath.Join("..", "examples", "posts")}
	if _, err := os.Stat(seedPath); err == nil {
		paths = append(paths, seedPath)
	}
	var errs bytes.Buffer
	sum := posts.Import(context.Background(), ts.store, posts.NewParser(posts.Options{Location: time.UTC}, sanitize.New()), paths, &errs)
	if sum.Failed > 0 || sum.Imported == 0 {
		t.Fatalf("import examples: %s\n%s", sum, errs.String())
	}
	if err := ts.srv.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return sum.Imported
}

var seedPath = filepath.Join("..", "..", "shared", "seeds", "000_003725e72fda6c0c.txt")

// do sends one request and returns the response with its body read.
func (ts *testServer) do(t *testing.T, method, path string, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// A transport that does not add Accept-Encoding on its own, so each
	// test says exactly what it accepts.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}
