package handlers_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const (
	hookKey    = "k3y-0f-the-hook-ABCDEFGHIJKLMNOP"
	hookSecret = "whsec-signing-secret-0123456789"
	botToken   = "123456789:AAH-very-secret-bot-token-XYZ"
)

// receiver is a local webhook receiver that records what it got and
// answers with status.
type receiver struct {
	mu     sync.Mutex
	status int
	got    []http.Header
	bodies []string
}

func newReceiver(t *testing.T, status int) (*httptest.Server, *receiver) {
	rc := &receiver{status: status}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, r.Header.Clone())
		rc.bodies = append(rc.bodies, string(b))
		status := rc.status
		rc.mu.Unlock()
		w.WriteHeader(status)
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv, rc
}

// assertNoSecrets fails if a response body contains a secret as it is.
func assertNoSecrets(t *testing.T, what string, body []byte) {
	t.Helper()
	for _, s := range []string{hookKey, hookSecret, botToken} {
		if strings.Contains(string(body), s) {
			t.Errorf("%s leaks the secret %q: %s", what, s, body)
		}
	}
}

func TestRelaysAPICycle(t *testing.T) {
	ts := newServiceServer(t, nil)
	hook, rc := newReceiver(t, 200)
	add := fmt.Sprintf(`{"name":"team hook","platform":"webhook","url":%q,"secret":%q,"categories":[["Tech","Go"],"News"],
		"include":["go"],"style":"digest","digest_max":5,"rate_per_minute":30,"burst":2,"retry_budget":"2h"}`,
		hook.URL+"/hook?key="+hookKey, hookSecret)
	resp, b := ts.do(t, "POST", "/api/v1/relays", add, bearer...)
	if resp.StatusCode != 201 {
		t.Fatalf("add: %d %s", resp.StatusCode, b)
	}
	assertNoSecrets(t, "add", b)
	m := decodeJSON(t, b)
	if m["secret_set"] != true || m["enabled"] != true || m["style"] != "digest" || m["retry_budget"] != "2h0m0s" ||
		m["retry_budget_seconds"] != 7200.0 || m["rate_per_minute"] != 30.0 || fmt.Sprint(m["categories"]) != "[[Tech Go] [News]]" ||
		!strings.HasPrefix(m["url"].(string), hook.URL+"/hook?key=") {
		t.Errorf("added target: %s", b)
	}
	id := int(m["id"].(float64))
	tg := fmt.Sprintf(`{"name":"tg","platform":"telegram","bot_token":%q,"chat_id":"-1001","url":%q}`, botToken, hook.URL)
	if resp, b := ts.do(t, "POST", "/api/v1/relays", tg, bearer...); resp.StatusCode != 201 {
		t.Fatalf("add telegram: %d %s", resp.StatusCode, b)
	} else {
		assertNoSecrets(t, "add telegram", b)
	}

	resp, b = ts.do(t, "GET", "/api/v1/relays", "", bearer...)
	assertNoSecrets(t, "list", b)
	var list struct{ Relays []map[string]any }
	if err := json.Unmarshal(b, &list); resp.StatusCode != 200 || err != nil || len(list.Relays) != 2 {
		t.Fatalf("list: %d %v %s", resp.StatusCode, err, b)
	}
	state, _ := list.Relays[0]["state"].(map[string]any)
	for _, k := range []string{"pending", "delivered", "failed", "dead", "last_success", "last_error", "disabled_reason"} {
		if _, ok := state[k]; !ok {
			t.Errorf("state has no %q: %v", k, state)
		}
	}
	for _, ref := range []string{fmt.Sprint(id), "team%20hook"} {
		resp, b := ts.do(t, "GET", "/api/v1/relays/"+ref, "", bearer...)
		assertNoSecrets(t, "get", b)
		if resp.StatusCode != 200 || decodeJSON(t, b)["name"] != "team hook" {
			t.Errorf("get %s: %d %s", ref, resp.StatusCode, b)
		}
	}

	// A test sends a sample to the receiver now. (Slack here: its webhook
	// URL carries the key in its path.)
	slack := fmt.Sprintf(`{"name":"team slack","platform":"slack","url":%q}`, hook.URL+"/services/T0/B0/"+hookKey)
	resp, b = ts.do(t, "POST", "/api/v1/relays", slack, bearer...)
	assertNoSecrets(t, "add slack", b)
	if resp.StatusCode != 201 {
		t.Fatalf("add slack: %d %s", resp.StatusCode, b)
	}
	slackID := int(decodeJSON(t, b)["id"].(float64))
	resp, b = ts.do(t, "POST", fmt.Sprintf("/api/v1/relays/%d/test", slackID), "", bearer...)
	assertNoSecrets(t, "test", b)
	m = decodeJSON(t, b)
	if resp.StatusCode != 200 || m["delivered"] != true || m["outcome"] != "delivered" {
		t.Errorf("test: %d %s", resp.StatusCode, b)
	}
	rc.mu.Lock()
	if len(rc.got) != 1 || !strings.Contains(rc.bodies[0], "feedrelay") {
		t.Errorf("receiver got %d requests: %v %v", len(rc.got), rc.got, rc.bodies)
	}
	rc.status = http.StatusForbidden
	rc.mu.Unlock()
	resp, b = ts.do(t, "POST", "/api/v1/relays/team%20slack/test", "", bearer...)
	assertNoSecrets(t, "refused test", b)
	if m := decodeJSON(t, b); resp.StatusCode != 200 || m["delivered"] != false || m["outcome"] != "permanent" ||
		!strings.Contains(m["message"].(string), "403") {
		t.Errorf("test against a refusing receiver: %d %s", resp.StatusCode, b)
	}
	if _, b := ts.do(t, "GET", "/api/v1/relays", "", bearer...); strings.Count(string(b), `"id"`) != 3 {
		t.Errorf("list after adding three targets: %s", b)
	} else {
		assertNoSecrets(t, "list", b)
	}

	if resp, b := ts.do(t, "POST", fmt.Sprintf("/api/v1/relays/%d/retry", id), "", bearer...); resp.StatusCode != 200 || string(b) != `{"revived":0}`+"\n" {
		t.Errorf("retry: %d %q", resp.StatusCode, b)
	}
	resp, b = ts.do(t, "PATCH", fmt.Sprintf("/api/v1/relays/%d", id), `{"enabled":false}`, bearer...)
	if resp.StatusCode != 200 || decodeJSON(t, b)["enabled"] != false {
		t.Errorf("disable: %d %s", resp.StatusCode, b)
	}
	for _, c := range []struct{ body, field string }{{`{}`, "enabled"}, {`{"enabled":false,"name":"x"}`, "name"}, {`{"enabled":"no"}`, "enabled"}} {
		if resp, b := ts.do(t, "PATCH", fmt.Sprintf("/api/v1/relays/%d", id), c.body, bearer...); resp.StatusCode != 400 || decodeJSON(t, b)["field"] != c.field {
			t.Errorf("PATCH %s: %d %s", c.body, resp.StatusCode, b)
		}
	}

	if resp, b := ts.do(t, "POST", "/api/v1/relays", add, bearer...); resp.StatusCode != 409 || !strings.Contains(string(b), "team hook") {
		t.Errorf("duplicate name: %d %s", resp.StatusCode, b)
	}
	if resp, b := ts.do(t, "DELETE", fmt.Sprintf("/api/v1/relays/%d", id), "", bearer...); resp.StatusCode != 204 {
		t.Errorf("delete: %d %s", resp.StatusCode, b)
	}
	for _, r := range [][2]string{{"GET", "/api/v1/relays/team%20hook"}, {"DELETE", fmt.Sprintf("/api/v1/relays/%d", id)},
		{"POST", fmt.Sprintf("/api/v1/relays/%d/test", id)}, {"POST", "/api/v1/relays/nope/retry"}} {
		if resp, b := ts.do(t, r[0], r[1], "", bearer...); resp.StatusCode != 404 {
			t.Errorf("%s %s after delete: %d %s", r[0], r[1], resp.StatusCode, b)
		}
	}
}

func TestRelaysAPIUnreachableAndBadInput(t *testing.T) {
	ts := newServiceServer(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/services/T0/B0/" + hookKey
	ln.Close() // nothing listens there any more
	add := fmt.Sprintf(`{"name":"gone","platform":"slack","url":%q}`, closed)
	if resp, b := ts.do(t, "POST", "/api/v1/relays", add, bearer...); resp.StatusCode != 201 {
		t.Fatalf("add: %d %s", resp.StatusCode, b)
	}
	resp, b := ts.do(t, "POST", "/api/v1/relays/gone/test", "", bearer...)
	assertNoSecrets(t, "test of an unreachable receiver", b)
	if m := decodeJSON(t, b); resp.StatusCode != 200 || m["delivered"] != false || m["outcome"] != "error" ||
		!strings.Contains(m["message"].(string), "refused") {
		t.Errorf("test of an unreachable receiver: %d %s", resp.StatusCode, b)
	}
	for _, c := range []struct{ name, body, field string }{
		{"no name", `{"platform":"webhook","url":"https://example.com/h"}`, "name"},
		{"unknown platform", `{"name":"x","platform":"icq","url":"https://example.com/h"}`, "platform"},
		{"bad url", `{"name":"x","platform":"webhook","url":"ftp://example.com/h"}`, "url"},
		{"telegram without token", `{"name":"x","platform":"telegram","chat_id":"1"}`, "bot_token"},
		{"bad style", `{"name":"x","platform":"webhook","url":"https://example.com/h","style":"poem"}`, "style"},
		{"bad rate", `{"name":"x","platform":"webhook","url":"https://example.com/h","rate_per_minute":-5}`, "rate_per_minute"},
		{"bad budget", `{"name":"x","platform":"webhook","url":"https://example.com/h","retry_budget":"soon"}`, "retry_budget"},
		{"short budget", `{"name":"x","platform":"webhook","url":"https://example.com/h","retry_budget":"10s"}`, "retry_budget"},
		{"bad rule", `{"name":"x","platform":"webhook","url":"https://example.com/h","include":[""]}`, "include"},
		{"unknown field", `{"name":"x","platform":"webhook","url":"https://example.com/h","token":"t"}`, "token"},
	} {
		resp, b := ts.do(t, "POST", "/api/v1/relays", c.body, bearer...)
		if resp.StatusCode != 400 || decodeJSON(t, b)["field"] != c.field {
			t.Errorf("%s: %d %s, want 400 naming %q", c.name, resp.StatusCode, b, c.field)
		}
	}
}
