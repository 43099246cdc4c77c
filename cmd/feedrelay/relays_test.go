package main

import (
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// robot is a local stand-in for a WeCom group robot: it records what it
// was sent and answers with answer.
type robot struct {
	*httptest.Server
	mu     sync.Mutex
	answer string
	keys   []string
	bodies []string
}

func newRobot(t *testing.T) *robot {
	r := &robot{answer: `{"errcode":0,"errmsg":"ok"}`}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
		r.mu.Lock()
		defer r.mu.Unlock()
		if req.Method != http.MethodPost || req.URL.Path != "/cgi-bin/webhook/send" {
			http.NotFound(w, req)
			return
		}
		r.keys = append(r.keys, req.URL.Query().Get("key"))
		r.bodies = append(r.bodies, string(body))
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, r.answer)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *robot) setAnswer(a string) { r.mu.Lock(); r.answer = a; r.mu.Unlock() }

const (
	robotKey   = "SECRETKEY123456"
	signSecret = "SIGNSECRET987654"
)

func addRobot(t *testing.T, db string, r *robot, name string, extra ...string) string {
	t.Helper()
	args := append([]string{"relays", "add", name, "--db", db, "--platform", "wecom",
		"--url", r.URL + "/cgi-bin/webhook/send?key=" + robotKey}, extra...)
	code, out, errs := runCmd(t, t.Context(), args...)
	if code != 0 {
		t.Fatalf("relays add %s: %d\n%s%s", name, code, out, errs)
	}
	return out
}

func noSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{robotKey, signSecret} {
		if strings.Contains(s, secret) {
			t.Errorf("%s shows the secret %s:\n%s", what, secret, s)
		}
	}
}

func TestRelaysAddAndListNeverShowSecrets(t *testing.T) {
	r := newRobot(t)
	db := filepath.Join(t.TempDir(), "f.db")
	out := addRobot(t, db, r, "产品群", "--category", "新闻", "--category", "技术 > Go", "--secret", signSecret, "--style", "digest")
	noSecrets(t, "relays add", out)
	for _, want := range []string{`added relay target 1 "产品群" (wecom)`, "key=SEC…456", "新闻, 技术 > Go", "digest", "relays test 产品群"} {
		if !strings.Contains(out, want) {
			t.Errorf("add output lacks %q:\n%s", want, out)
		}
	}
	// The secret from the environment twin, which --help must not echo.
	t.Setenv("FEEDRELAY_SECRET", signSecret)
	t.Setenv("FEEDRELAY_URL", "https://oapi.dingtalk.com/robot/send?access_token="+robotKey)
	code, out, errs := runCmd(t, t.Context(), "relays", "add", "研发群", "--db", db, "--platform", "dingtalk")
	if code != 0 {
		t.Fatalf("dingtalk from env: %d %s %s", code, out, errs)
	}
	noSecrets(t, "relays add (env)", out+errs)
	code, _, errs = runCmd(t, t.Context(), "relays", "add", "--help")
	noSecrets(t, "relays add --help", errs)
	if code != 0 || !strings.Contains(errs, "FEEDRELAY_BOT_TOKEN") || !strings.Contains(errs, "ps") {
		t.Errorf("relays add --help: %d\n%s", code, errs)
	}

	code, out, errs = runCmd(t, t.Context(), "relays", "list", "--db", db)
	noSecrets(t, "relays list", out+errs)
	if code != 0 || !strings.Contains(out, "产品群") || !strings.Contains(out, "研发群") || !strings.Contains(out, "PENDING") ||
		!strings.Contains(out, "dingtalk") || !strings.Contains(out, "新闻, 技术 > Go") {
		t.Errorf("relays list: %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, t.Context(), "relays", "list", "--db", db, "--json")
	noSecrets(t, "relays list --json", out)
	var list []targetView
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || len(list) != 2 {
		t.Fatalf("list --json: %d %v\n%s", code, err, out)
	}
	if list[0].Name != "产品群" || list[0].Secret == "" || !list[0].Enabled || list[1].Platform != "dingtalk" {
		t.Errorf("list --json: %+v", list)
	}
	t.Setenv("FEEDRELAY_URL", "")
	code, _, errs = runCmd(t, t.Context(), "relays", "add", "x", "--db", db, "--platform", "wecom")
	if code != 2 || !strings.Contains(errs, "url must be the platform's absolute http(s) webhook URL") {
		t.Errorf("add without URL: %d %s", code, errs)
	}
	code, _, errs = runCmd(t, t.Context(), "relays", "add", "产品群", "--db", db, "--platform", "wecom", "--url", r.URL+"/x?key="+robotKey)
	noSecrets(t, "duplicate add", errs)
	if code != 1 || !strings.Contains(errs, `"产品群" already exists`) {
		t.Errorf("duplicate name: %d %s", code, errs)
	}
}

func TestRelaysTestPrintsThePlatformsAnswer(t *testing.T) {
	r := newRobot(t)
	db := filepath.Join(t.TempDir(), "f.db")
	addRobot(t, db, r, "产品群")
	code, out, errs := runCmd(t, t.Context(), "relays", "test", "产品群", "--db", db, "--allow-private-upstreams")
	noSecrets(t, "relays test", out+errs)
	if code != 0 || !strings.Contains(out, `"产品群" (wecom): delivered`) || !strings.Contains(out, "errcode 0: ok") {
		t.Errorf("test (ok): %d\n%s%s", code, out, errs)
	}
	r.mu.Lock()
	if len(r.keys) != 1 || r.keys[0] != robotKey || !strings.Contains(r.bodies[0], `"msgtype":"news"`) {
		t.Errorf("robot got keys %q bodies %q", r.keys, r.bodies)
	}
	r.mu.Unlock()

	r.setAnswer(`{"errcode":93000,"errmsg":"invalid webhook url"}`)
	code, out, errs = runCmd(t, t.Context(), "relays", "test", "1", "--db", db, "--allow-private-upstreams")
	noSecrets(t, "relays test", out+errs)
	if code != 1 || !strings.Contains(out, "NOT delivered") || !strings.Contains(out, "errcode 93000: invalid webhook url") ||
		!strings.Contains(out, "permanent") {
		t.Errorf("test (93000): %d\n%s%s", code, out, errs)
	}
	// Without --allow-private-upstreams the local robot is refused, saying why.
	code, _, errs = runCmd(t, t.Context(), "relays", "test", "产品群", "--db", db)
	noSecrets(t, "relays test (blocked)", errs)
	if code != 1 || !strings.Contains(errs, "refusing to connect") || !strings.Contains(errs, "--allow-private-upstreams") {
		t.Errorf("test (blocked): %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, t.Context(), "relays", "test", "没有这个群", "--db", db); code != 1 || !strings.Contains(errs, `no relay target named "没有这个群"`) {
		t.Errorf("unknown target: %d %s", code, errs)
	}
}

func TestRelaysRetryEnableDisableRemove(t *testing.T) {
	r := newRobot(t)
	up := newUpstream(t)
	db := filepath.Join(t.TempDir(), "f.db")
	addRobot(t, db, r, "产品群")
	// Three new articles queue three deliveries for the target.
	if code, _, errs := runCmd(t, t.Context(), "sources", "add", up.URL+"/feed.xml", "--db", db, "--allow-private-upstreams"); code != 0 {
		t.Fatalf("sources add: %s", errs)
	}
	// As the worker leaves a target whose key was revoked: stopped, deliveries dead.
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sqldb.Exec(`UPDATE deliveries SET status = 'dead', attempts = 3, last_error = 'errcode 93000'`)
	if err == nil {
		_, err = sqldb.Exec(`UPDATE relay_targets SET disabled_reason = 'errcode 93000: invalid webhook url (key=` + robotKey + `)', last_error = 'errcode 93000: invalid webhook url'`)
	}
	sqldb.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, t.Context(), "relays", "list", "--db", db)
	noSecrets(t, "relays list (stopped)", out)
	if code != 0 || !strings.Contains(out, "stopped (errcode 93000: invalid webhook url") || !strings.Contains(out, "  3  ") {
		t.Errorf("list of a stopped target: %d\n%s", code, out)
	}
	_, out, _ = runCmd(t, t.Context(), "relays", "list", "--db", db, "--json")
	noSecrets(t, "relays list --json (stopped)", out)
	if !strings.Contains(out, `"stopped_reason": "errcode 93000: invalid webhook url (key=SEC…456)"`) || !strings.Contains(out, `"dead": 3`) {
		t.Errorf("list --json of a stopped target:\n%s", out)
	}
	code, out, errs := runCmd(t, t.Context(), "relays", "retry", "产品群", "--db", db)
	noSecrets(t, "relays retry", out+errs)
	if code != 0 || !strings.Contains(out, "restarted (it was stopped: errcode 93000") || !strings.Contains(out, "revived 3 dead deliveries") {
		t.Errorf("retry: %d\n%s%s", code, out, errs)
	}
	_, out, _ = runCmd(t, t.Context(), "relays", "list", "--db", db, "--json")
	var list []targetView
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0].Pending != 3 || list[0].Dead != 0 || list[0].StoppedReason != "" {
		t.Errorf("after retry: %v %+v", err, list)
	}
	if code, out, _ := runCmd(t, t.Context(), "relays", "disable", "1", "--db", db); code != 0 || !strings.Contains(out, `"产品群" disabled`) {
		t.Errorf("disable: %d %s", code, out)
	}
	if _, out, _ := runCmd(t, t.Context(), "relays", "list", "--db", db); !strings.Contains(out, "disabled") {
		t.Errorf("list after disable:\n%s", out)
	}
	if code, out, _ := runCmd(t, t.Context(), "relays", "enable", "产品群", "--db", db); code != 0 || !strings.Contains(out, `"产品群" enabled`) {
		t.Errorf("enable: %d %s", code, out)
	}
	code, out, errs = runCmd(t, t.Context(), "relays", "remove", "产品群", "--db", db)
	if code != 0 || !strings.Contains(out, `removed relay target 1 "产品群" and its 3 queued deliveries`) {
		t.Errorf("remove: %d %s %s", code, out, errs)
	}
	if _, out, _ := runCmd(t, t.Context(), "relays", "list", "--db", db); !strings.Contains(out, "no relay targets yet") {
		t.Errorf("list after remove:\n%s", out)
	}
	if code, _, _ := runCmd(t, t.Context(), "relays"); code != 2 {
		t.Errorf("relays without a command: exit %d, want 2", code)
	}
}
