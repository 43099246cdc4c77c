package handlers_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/handlers"
)

var bearer = []string{"Authorization", "Bearer " + testToken, "Content-Type", "application/json"}

func decodeJSON(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, body)
	}
	return m
}

func TestAPIAuth(t *testing.T) {
	ts := newTestServer(t, nil)
	body := `{"title":"x"}`
	for _, c := range []struct {
		name   string
		header []string
		want   int
	}{
		{"no header", nil, 401},
		{"wrong token", []string{"Authorization", "Bearer nope"}, 401},
		{"token prefix only", []string{"Authorization", "Bearer " + testToken[:4]}, 401},
		{"wrong scheme", []string{"Authorization", "Basic " + testToken}, 401},
		{"right token", []string{"Authorization", "Bearer " + testToken}, 201},
	} {
		resp, b := ts.do(t, "POST", "/api/v1/articles", body, c.header...)
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d: %s", c.name, resp.StatusCode, c.want, b)
		}
		if c.want == 401 {
			if resp.Header.Get("WWW-Authenticate") == "" || decodeJSON(t, b)["error"] == "" {
				t.Errorf("%s: 401 without WWW-Authenticate or error message", c.name)
			}
		}
	}
	off := newTestServer(t, func(c *handlers.Config) { c.AdminToken = "" })
	resp, b := off.do(t, "POST", "/api/v1/articles", body, "Authorization", "Bearer ")
	if resp.StatusCode != 403 || !strings.Contains(decodeJSON(t, b)["error"].(string), "FEEDRELAY_ADMIN_TOKEN") {
		t.Errorf("write API without a configured token: %d %s", resp.StatusCode, b)
	}
}

func TestAPIBadInput(t *testing.T) {
	ts := newTestServer(t, func(c *handlers.Config) { c.MaxBodyBytes = 2048 })
	for _, c := range []struct {
		name, body string
		want       int
		field      string
	}{
		{"invalid JSON", `{"title": `, 400, ""},
		{"not an object", `[1,2]`, 400, ""},
		{"empty body", ``, 400, ""},
		{"missing title", `{"content_html":"<p>x</p>"}`, 400, "title"},
		{"blank title", `{"title":"   "}`, 400, "title"},
		{"title of wrong type", `{"title": 5}`, 400, "title"},
		{"unknown field", `{"title":"x","titel":"y"}`, 400, "titel"},
		{"bad date", `{"title":"x","published":"yesterday"}`, 400, "published"},
		{"bad link", `{"title":"x","link":"javascript:alert(1)"}`, 400, "link"},
		{"bad category", `{"title":"x","categories":[5]}`, 400, ""},
		{"date out of range", `{"title":"x","published":"1600-01-01T00:00:00Z"}`, 400, "published"},
		{"bad updated", `{"title":"x","updated":"soon"}`, 400, "updated"},
		{"guid not a URI", `{"title":"x","guid":"not a uri"}`, 400, "guid"},
		{"source url not http", `{"title":"x","source":{"url":"javascript:alert(1)"}}`, 400, "source.url"},
		{"empty category level", `{"title":"x","categories":[["A",""]]}`, 400, "categories"},
		{"two objects", `{"title":"x"}{"title":"y"}`, 400, ""},
		{"oversize", `{"title":"x","content_html":"` + strings.Repeat("a", 4096) + `"}`, 413, ""},
	} {
		resp, b := ts.do(t, "POST", "/api/v1/articles", c.body, bearer...)
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d: %s", c.name, resp.StatusCode, c.want, b)
			continue
		}
		m := decodeJSON(t, b)
		if m["error"] == nil || m["error"] == "" {
			t.Errorf("%s: no error message: %s", c.name, b)
		}
		if c.field != "" && m["field"] != c.field {
			t.Errorf("%s: field %v, want %q (%s)", c.name, m["field"], c.field, b)
		}
	}
	if n, _ := ts.store.CountArticles(t.Context()); n != 0 {
		t.Errorf("%d articles stored by bad requests", n)
	}
}

func TestAPIWriteCycle(t *testing.T) {
	ts := newTestServer(t, nil)
	before, _ := ts.do(t, "GET", "/categories/Go/feed.json", "")
	if before.StatusCode != 404 {
		t.Fatalf("category exists before any write: %d", before.StatusCode)
	}
	allBefore, _ := ts.do(t, "GET", "/feed.json", "")

	create := `{"id":"notes/hello","title":"Hello <World>","content_html":"<p onclick=\"x()\">Hi<script>alert(1)</script></p><img src=\"https://img.example.com/a.png\" onerror=\"x()\">",
		"published":"2024-05-01T10:00:00+08:00","categories":[["Go","Tips"],"News"],"tags":["a","b"],"image":"https://img.example.com/a.png"}`
	resp, b := ts.do(t, "POST", "/api/v1/articles", create, bearer...)
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	if !strings.HasSuffix(resp.Header.Get("Location"), "/api/v1/articles/notes/hello") {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	m := decodeJSON(t, b)
	guid := m["guid"].(string)
	content := m["content_html"].(string)
	if guid != "urn:feedrelay:post:notes%2Fhello" || strings.Contains(content, "script") || strings.Contains(content, "onclick") ||
		strings.Contains(content, "onerror") || !strings.Contains(content, "<p>Hi</p>") {
		t.Errorf("created article: guid %q content %q", guid, content)
	}
	if m["summary"] != "Hi" || m["published"] != "2024-05-01T10:00:00+08:00" {
		t.Errorf("summary %v published %v", m["summary"], m["published"])
	}

	if r, b := ts.do(t, "POST", "/api/v1/articles", create, bearer...); r.StatusCode != 409 {
		t.Errorf("second create with the same id: %d %s", r.StatusCode, b)
	}
	// The write is visible at once: new ETag on the all-articles feed, and
	// the new categories' feeds exist.
	allAfter, _ := ts.do(t, "GET", "/feed.json", "")
	if allAfter.Header.Get("ETag") == allBefore.Header.Get("ETag") {
		t.Errorf("all-articles ETag unchanged after a write")
	}
	goFeed, body := ts.do(t, "GET", "/categories/Go/Tips/feed.rss", "")
	if goFeed.StatusCode != 200 || !strings.Contains(string(body), "Hello &lt;World&gt;") {
		t.Fatalf("category feed after create: %d", goFeed.StatusCode)
	}

	resp, b = ts.do(t, "GET", "/api/v1/articles/notes/hello", "")
	if resp.StatusCode != 200 || decodeJSON(t, b)["title"] != "Hello <World>" {
		t.Errorf("get: %d %s", resp.StatusCode, b)
	}

	update := `{"title":"Hello again","content_html":"<p>Changed</p>","categories":["News"]}`
	resp, b = ts.do(t, "PUT", "/api/v1/articles/notes/hello", update, bearer...)
	if resp.StatusCode != 200 {
		t.Fatalf("update: %d %s", resp.StatusCode, b)
	}
	m = decodeJSON(t, b)
	if m["guid"] != guid || m["title"] != "Hello again" || m["published"] != "2024-05-01T10:00:00+08:00" {
		t.Errorf("update changed guid or lost published: %s", b)
	}
	goAfter, _ := ts.do(t, "GET", "/categories/Go/Tips/feed.rss", "")
	if goAfter.StatusCode != 404 {
		t.Errorf("category left without articles still served: %d", goAfter.StatusCode)
	}
	if r, _ := ts.do(t, "PUT", "/api/v1/articles/missing", update, bearer...); r.StatusCode != 404 {
		t.Errorf("update of a missing article: %d", r.StatusCode)
	}
	if r, b := ts.do(t, "PUT", "/api/v1/articles/notes/hello", `{"id":"other","title":"x"}`, bearer...); r.StatusCode != 400 {
		t.Errorf("update with a different id in the body: %d %s", r.StatusCode, b)
	}

	if r, _ := ts.do(t, "DELETE", "/api/v1/articles/notes/hello", "", "Authorization", "Bearer wrong"); r.StatusCode != 401 {
		t.Errorf("delete with a wrong token: %d", r.StatusCode)
	}
	if r, _ := ts.do(t, "DELETE", "/api/v1/articles/notes/hello", "", bearer...); r.StatusCode != http.StatusNoContent {
		t.Errorf("delete: %d", r.StatusCode)
	}
	if r, _ := ts.do(t, "GET", "/api/v1/articles/notes/hello", ""); r.StatusCode != 404 {
		t.Errorf("get after delete: %d", r.StatusCode)
	}
	if r, _ := ts.do(t, "DELETE", "/api/v1/articles/notes/hello", "", bearer...); r.StatusCode != 404 {
		t.Errorf("second delete: %d", r.StatusCode)
	}
}

func TestAPICreateWithoutIDGetsOne(t *testing.T) {
	ts := newTestServer(t, nil)
	resp, b := ts.do(t, "POST", "/api/v1/articles", `{"title":"No id"}`, bearer...)
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	m := decodeJSON(t, b)
	id, _ := m["id"].(string)
	if len(id) != 16 || m["published"] == nil || !strings.HasSuffix(m["url"].(string), "/articles/"+id) {
		t.Errorf("generated id %q, published %v, url %v", id, m["published"], m["url"])
	}
}

// TestConcurrentWritesAndReads runs API writes beside feed reads (run it
// with -race): every write must succeed, every read must be a complete,
// parseable feed, and the last ETag must reflect every write.
func TestConcurrentWritesAndReads(t *testing.T) {
	ts := newTestServer(t, nil)
	const writers, perWriter = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*perWriter+100)
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				body := fmt.Sprintf(`{"id":"w%d-%d","title":"并发 %d-%d","content_html":"<p>x</p>","categories":[["并发","写入"]]}`, w, i, w, i)
				resp, b := ts.do(t, "POST", "/api/v1/articles", body, bearer...)
				if resp.StatusCode != 201 {
					errs <- fmt.Errorf("write: %d %s", resp.StatusCode, b)
				}
			}
		})
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for n := 0; n < 200; n++ {
				select {
				case <-stop:
					return
				default:
				}
				resp, body := ts.do(t, "GET", "/feed.json", "")
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("read: %d", resp.StatusCode)
					return
				}
				var f map[string]any
				if err := json.Unmarshal(body, &f); err != nil {
					errs <- fmt.Errorf("read: broken feed: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	_, body := ts.do(t, "GET", "/categories/%E5%B9%B6%E5%8F%91/feed.json?limit=200", "")
	var f struct{ Items []any }
	if err := json.Unmarshal(body, &f); err != nil || len(f.Items) != writers*perWriter {
		t.Errorf("category feed after the writes: %d items (%v), want %d", len(f.Items), err, writers*perWriter)
	}
}

func TestAPIReplaceMovesUpdatedOnlyWhenContentChanges(t *testing.T) {
	ts := newTestServer(t, nil)
	create := `{"id":"u","title":"T","content_html":"<p>a</p>","published":"2024-05-01T00:00:00Z","updated":"2024-05-02T00:00:00Z"}`
	if r, b := ts.do(t, "POST", "/api/v1/articles", create, bearer...); r.StatusCode != 201 {
		t.Fatalf("create: %d %s", r.StatusCode, b)
	}
	_, b := ts.do(t, "PUT", "/api/v1/articles/u", `{"title":"T","content_html":"<p>a</p>"}`, bearer...)
	if got := decodeJSON(t, b)["updated"]; got != "2024-05-02T00:00:00Z" {
		t.Errorf("identical replacement moved updated to %v", got)
	}
	_, b = ts.do(t, "PUT", "/api/v1/articles/u", `{"title":"T","content_html":"<p>changed</p>"}`, bearer...)
	got, _ := time.Parse(time.RFC3339, decodeJSON(t, b)["updated"].(string))
	if time.Since(got) > time.Minute {
		t.Errorf("changed replacement kept updated %v", got)
	}
}

// TestBodyOverTheTransportLimitIs413: bodies far over --max-body-bytes are
// refused by the transport before the API sees them; that must still be a
// 413 with a JSON error, not a bare 400. The request is written by hand and
// announces its size without sending the body, as a client uploading a
// large file would before the server's answer arrives.
func TestBodyOverTheTransportLimitIs413(t *testing.T) {
	ts := newTestServer(t, func(c *handlers.Config) { c.MaxBodyBytes = 1024 })
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(ts.URL, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST /api/v1/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", testToken, 10<<20)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 || decodeJSON(t, body)["error"] == nil {
		t.Errorf("huge body: %d %s", resp.StatusCode, body)
	}
}
