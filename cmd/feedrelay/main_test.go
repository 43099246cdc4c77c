package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/storage"
)

// runCmd runs the binary's entry point in-process and returns exit code,
// stdout and stderr.
func runCmd(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestImportReportsEachFailureAndContinues(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errs := runCmd(t, t.Context(), "import", "--db", db, "testdata/broken", "testdata/does-not-exist")
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if strings.TrimSpace(out) != "imported 2, updated 0, unchanged 0, failed 5" {
		t.Errorf("summary %q", out)
	}
	for _, want := range []string{
		`"testdata/broken/bad-date.md"`, `Tues, 99 Foo 2022`,
		`"testdata/broken/bad-yaml.md"`,
		`"testdata/broken/no-front-matter.html"`,
		`testdata/does-not-exist`,
		`"testdata/broken/dup.md": id "dup" is already taken by "testdata/broken/dup.html"`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %s:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "good.md") {
		t.Errorf("good file reported as failing:\n%s", errs)
	}
}

func TestReimportChangesNothingAndUpdatesInPlace(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	posts := filepath.Join(dir, "posts")
	if err := os.CopyFS(posts, os.DirFS("../../examples/posts")); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, t.Context(), "import", "--db", db, posts)
	if code != 0 || !strings.HasPrefix(out, "imported 6, updated 0, unchanged 0, failed 0") {
		t.Fatalf("first import: %d %q %s", code, out, errs)
	}
	code, out, _ = runCmd(t, t.Context(), "import", "--db", db, posts)
	if code != 0 || strings.TrimSpace(out) != "imported 0, updated 0, unchanged 6, failed 0" {
		t.Fatalf("second import: %d %q", code, out)
	}
	s, err := storage.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	before, err := s.ArticleByKey(t.Context(), "go-context-cancellation")
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(posts, "go-context-cancellation.md")
	data, _ := os.ReadFile(file)
	if err := os.WriteFile(file, bytes.Replace(data, []byte("context"), []byte("CONTEXT"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCmd(t, t.Context(), "import", "--db", db, posts)
	if code != 0 || strings.TrimSpace(out) != "imported 0, updated 1, unchanged 5, failed 0" {
		t.Fatalf("import after an edit: %d %q", code, out)
	}
	s, _ = storage.Open(t.Context(), db)
	defer s.Close()
	after, _ := s.ArticleByKey(t.Context(), "go-context-cancellation")
	if after.GUID != before.GUID || after.ID != before.ID {
		t.Errorf("edit changed identity: guid %q→%q id %d→%d", before.GUID, after.GUID, before.ID, after.ID)
	}
	if n, _ := s.CountArticles(t.Context()); n != 6 {
		t.Errorf("%d articles, want 6", n)
	}
}

func TestTimezoneAppliesOnlyToDatesWithoutZone(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	write := func(name, date string) {
		body := fmt.Sprintf("---\ntitle: %s\ndate: %s\n---\n<p>x</p>\n", name, date)
		if err := os.WriteFile(filepath.Join(dir, name+".md"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("hexo", "2022-02-15 11:48:00")
	write("rfc1123", "Tue, 15 Feb 2022 03:48:00 GMT")
	write("rfc3339", "2022-02-15T11:48:00+09:00")
	code, out, errs := runCmd(t, t.Context(), "import", "--db", db, "--timezone", "Asia/Shanghai", dir)
	if code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	s, _ := storage.Open(t.Context(), db)
	defer s.Close()
	for key, want := range map[string]string{
		"hexo":    "2022-02-15T03:48:00Z",
		"rfc1123": "2022-02-15T03:48:00Z",
		"rfc3339": "2022-02-15T02:48:00Z",
	} {
		a, err := s.ArticleByKey(t.Context(), key)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Published.UTC().Format(time.RFC3339); got != want {
			t.Errorf("%s: published %s, want %s", key, got, want)
		}
	}
	if code, _, errs := runCmd(t, t.Context(), "import", "--db", db, "--timezone", "Mars/Olympus", dir); code != 1 || !strings.Contains(errs, "Mars/Olympus") {
		t.Errorf("bad --timezone: %d %s", code, errs)
	}
}

func TestUsageHelpAndVersion(t *testing.T) {
	if code, out, _ := runCmd(t, t.Context(), "version"); code != 0 || !strings.HasPrefix(out, "feedrelay ") {
		t.Errorf("version: %d %q", code, out)
	}
	for _, cmd := range []string{"serve", "import"} {
		code, _, errs := runCmd(t, t.Context(), cmd, "--help")
		if code != 0 || !strings.Contains(errs, "FEEDRELAY_DB") {
			t.Errorf("%s --help: %d\n%s", cmd, code, errs)
		}
	}
	if code, _, errs := runCmd(t, t.Context(), "serve", "--help"); code != 0 || !strings.Contains(errs, "FEEDRELAY_ADDR") || !strings.Contains(errs, "FEEDRELAY_ADMIN_TOKEN") {
		t.Errorf("serve --help lacks env names: %d\n%s", code, errs)
	}
	if code, _, _ := runCmd(t, t.Context(), "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	if code, _, _ := runCmd(t, t.Context(), "import"); code != 2 {
		t.Errorf("import without paths: exit %d, want 2", code)
	}
	t.Setenv("FEEDRELAY_FEED_LIMIT", "lots")
	if code, _, errs := runCmd(t, t.Context(), "serve"); code != 2 || !strings.Contains(errs, "FEEDRELAY_FEED_LIMIT") {
		t.Errorf("bad env value: %d %s", code, errs)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeImportsServesAndShutsDownCleanly runs the README's first command
// in-process (serve --import examples/posts), fetches a feed, then cancels
// the context as SIGTERM does and checks the server exits 0 and leaves a
// database that opens again with every article.
func TestServeImportsServesAndShutsDownCleanly(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	addr := freeAddr(t)
	t.Setenv("FEEDRELAY_BASE_URL", "http://"+addr)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	var errs bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--db", db, "--import", "../../examples/posts"}, io.Discard, &errs)
	}()

	client := &http.Client{Timeout: 2 * time.Second}
	var resp *http.Response
	var err error
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err = client.Get("http://" + addr + "/feed.atom")
		if err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		cancel()
		t.Fatalf("server never answered: %v\n%s", err, errs.String())
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `href="http://`+addr+`/feed.atom" rel="self"`) {
		t.Errorf("feed: %d, self link from FEEDRELAY_BASE_URL missing", resp.StatusCode)
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
	if !strings.Contains(errs.String(), "database closed") {
		t.Errorf("no clean close logged:\n%s", errs.String())
	}
	s, err := storage.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.CountArticles(t.Context()); n != 6 {
		t.Errorf("%d articles after restart, want 6", n)
	}
}
