package relay_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
)

// The receivers below check signatures the way the platforms document
// them, computed here independently of the formatters' Sign functions.

func hmacB64(key, msg string) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func within(ts time.Time, d time.Duration) bool { return time.Since(ts).Abs() <= d }

// dingtalkReceiver: timestamp (ms) and sign in the query, sign =
// urlencode(base64(HMAC-SHA256(key = secret, msg = timestamp "\n" secret))).
func dingtalkReceiver(t *testing.T, secret string) *receiver {
	return newReceiver(t, func(_ int, r request) answer {
		ts := r.Query.Get("timestamp") // the query arrives URL-decoded
		ms, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || !within(time.UnixMilli(ms), time.Hour) || r.Query.Get("access_token") != "tok" {
			return ok(`{"errcode":310000,"errmsg":"invalid timestamp"}`)
		}
		if !hmac.Equal([]byte(r.Query.Get("sign")), []byte(hmacB64(secret, ts+"\n"+secret))) {
			return ok(dingtalkSign)
		}
		return ok(dingtalkOK)
	})
}

// feishuReceiver: timestamp (s) and sign in the body, sign =
// base64(HMAC-SHA256(key = timestamp "\n" secret, msg = "")).
func feishuReceiver(t *testing.T, secret string) *receiver {
	return newReceiver(t, func(_ int, r request) answer {
		var b struct {
			Timestamp string `json:"timestamp"`
			Sign      string `json:"sign"`
			MsgType   string `json:"msg_type"`
		}
		json.Unmarshal(r.Body, &b)
		s, err := strconv.ParseInt(b.Timestamp, 10, 64)
		if err != nil || !within(time.Unix(s, 0), time.Hour) || b.MsgType == "" ||
			!hmac.Equal([]byte(b.Sign), []byte(hmacB64(b.Timestamp+"\n"+secret, ""))) {
			return ok(feishuSign)
		}
		return ok(feishuOK)
	})
}

// webhookReceiver: Standard Webhooks, "v1,<base64 HMAC-SHA256(key,
// id.timestamp.body)>" with key the base64 after "whsec_".
func webhookReceiver(t *testing.T, secret string) *receiver {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	return newReceiver(t, func(_ int, r request) answer {
		id, ts := r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp")
		s, err := strconv.ParseInt(ts, 10, 64)
		if id == "" || err != nil || !within(time.Unix(s, 0), 5*time.Minute) {
			return answer{Status: http.StatusBadRequest, Body: "bad webhook headers"}
		}
		want := "v1," + hmacB64(string(key), id+"."+ts+"."+string(r.Body))
		for _, sig := range strings.Fields(r.Header.Get("webhook-signature")) {
			if hmac.Equal([]byte(sig), []byte(want)) {
				return ok("")
			}
		}
		return answer{Status: http.StatusUnauthorized, Body: "signature mismatch"}
	})
}

func TestSignaturesVerifyOnTheWire(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const dtSecret, fsSecret = "SEC0123456789abcdef+/=", "feishu-secret"
	whSecret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("webhook signing key"))
	cases := []struct {
		platform, secret, wrong string
		receiver                func(*testing.T, string) *receiver
		path, rejected          string
	}{
		{feedrelay.PlatformDingTalk, dtSecret, "SECwrong", dingtalkReceiver, "/robot/send?access_token=tok", "sign not match"},
		{feedrelay.PlatformFeishu, fsSecret, "wrong", feishuReceiver, "/open-apis/bot/v2/hook/x", "19021"},
		{feedrelay.PlatformWebhook, whSecret, "whsec_" + base64.StdEncoding.EncodeToString([]byte("other")),
			webhookReceiver, "/hook", "HTTP 401"},
	}
	type pair struct{ good, bad int64 }
	ids := make([]pair, len(cases))
	for i, c := range cases {
		good, bad := c.receiver(t, c.secret), c.receiver(t, c.secret)
		ids[i].good = e.addTarget(feedrelay.RelayTarget{Name: c.platform, Platform: c.platform, URL: good.URL + c.path, Secret: c.secret}).ID
		ids[i].bad = e.addTarget(feedrelay.RelayTarget{Name: c.platform + "-bad", Platform: c.platform, URL: bad.URL + c.path, Secret: c.wrong}).ID
	}
	e.createArticles(1, 2)
	e.pass()
	for i, c := range cases {
		if st := e.target(ids[i].good).State; st.Delivered != 1 || st.LastError != "" {
			t.Errorf("%s with the right secret: %+v", c.platform, st)
		}
		// The receiver does check: a wrong secret is refused.
		if st := e.target(ids[i].bad).State; st.Delivered != 0 || !strings.Contains(st.LastError, c.rejected) {
			t.Errorf("%s with a wrong secret: %+v, want %q", c.platform, st, c.rejected)
		}
	}
}

func TestServiceTestReportsThePlatformsAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	good := newReceiver(t, always(ok(wecomOK)))
	bad := newReceiver(t, always(ok(wecomBadKey)))
	tg := e.addTarget(feedrelay.RelayTarget{Name: "good", Platform: feedrelay.PlatformWeCom, URL: good.URL + "/send?key=k"})
	tb := e.addTarget(feedrelay.RelayTarget{Name: "bad", Platform: feedrelay.PlatformWeCom, URL: bad.URL + "/send?key=old"})
	res, err := e.svc.Test(bg, tg.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Delivered || res.Outcome != "delivered" || res.Message != "errcode 0: ok" {
		t.Errorf("test of a working robot: %+v", res)
	}
	if got := good.requests(); len(got) != 1 || !strings.Contains(decodeNews(t, got[0]).News.Articles[0].Title, "test message") {
		t.Errorf("the test message did not arrive: %d requests", len(got))
	}
	res, err = e.svc.Test(bg, tb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Delivered || res.Outcome != "permanent" || !strings.Contains(res.Message, "93000") {
		t.Errorf("test of a revoked key: %+v", res)
	}
	// A test is outside the queue: nothing recorded, nothing stopped.
	for _, id := range []int64{tg.ID, tb.ID} {
		if st := e.target(id).State; st != (feedrelay.RelayState{}) {
			t.Errorf("target %d state after a test: %+v", id, st)
		}
	}
}

// webhookEvent is the generic webhook's body, as far as these tests read it.
type webhookEvent struct {
	Type string `json:"type"`
	Data struct {
		DeliveryID string `json:"delivery_id"`
		Item       struct {
			ID      string `json:"id"`
			URL     string `json:"url"`
			Title   string `json:"title"`
			Authors []struct {
				Name string `json:"name"`
			} `json:"authors"`
			Feedrelay *struct {
				SourceTitle  string `json:"source_title"`
				OriginalLink string `json:"original_link"`
			} `json:"_feedrelay"`
		} `json:"item"`
		Source *struct {
			Title string `json:"title"`
			URL   string `json:"url"`
		} `json:"source"`
	} `json:"data"`
}

func TestUpstreamArticlesFlowThroughTheOutbox(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hook := newReceiver(t, always(ok("")))
	wecom := newReceiver(t, always(ok(wecomOK)))
	th := e.addTarget(feedrelay.RelayTarget{Name: "hook", Platform: feedrelay.PlatformWebhook, URL: hook.URL})
	tw := e.addTarget(feedrelay.RelayTarget{Name: "wecom", Platform: feedrelay.PlatformWeCom, URL: wecom.URL + "/send?key=k"})
	src, err := e.store.CreateSource(bg, feedrelay.Source{URL: "https://upstream.example/feed.xml", Title: "Upstream Blog", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	up := newArticle(1)
	up.Key, up.GUID = "upstream.example/posts/1", "https://upstream.example/posts/1"
	up.Link = "https://upstream.example/posts/1"
	up.SourceID = src.ID
	up.Source = feedrelay.Attribution{Title: "Upstream Blog", URL: src.URL, OriginalLink: up.Link, OriginalAuthor: "Alice"}
	// Stored as the poller's batches are (UpsertArticles, one transaction).
	out, err := e.store.UpsertArticles(bg, []feedrelay.Article{up})
	if err != nil || out[0].Err != nil || out[0].Result != feedrelay.Created {
		t.Fatalf("store upstream item: %+v %v", out, err)
	}
	local := e.createArticles(2, 3)[0]
	e.pass()

	got := hook.requests()
	if len(got) != 2 {
		t.Fatalf("webhook received %d, want 2", len(got))
	}
	var ev [2]webhookEvent
	for i := range got {
		if err := json.Unmarshal(got[i].Body, &ev[i]); err != nil {
			t.Fatal(err)
		}
		if ev[i].Type != "article.created" || ev[i].Data.DeliveryID != got[i].Header.Get("webhook-id") {
			t.Errorf("event %d: type %q delivery %q header %q", i, ev[i].Type, ev[i].Data.DeliveryID, got[i].Header.Get("webhook-id"))
		}
	}
	u, l := ev[0].Data, ev[1].Data
	if u.Source == nil || u.Source.Title != "Upstream Blog" || u.Source.URL != src.URL {
		t.Errorf("upstream event source %+v", u.Source)
	}
	if u.Item.URL != up.Link || u.Item.ID != up.GUID || u.Item.Title != up.Title {
		t.Errorf("upstream item %+v", u.Item)
	}
	if x := u.Item.Feedrelay; x == nil || x.SourceTitle != "Upstream Blog" || x.OriginalLink != up.Link ||
		len(u.Item.Authors) != 1 || u.Item.Authors[0].Name != "Alice" {
		t.Errorf("upstream attribution %+v authors %+v", x, u.Item.Authors)
	}
	if l.Source != nil || l.Item.URL != baseURL+"/articles/"+local.Key {
		t.Errorf("local event: source %+v url %q", l.Source, l.Item.URL)
	}
	news := wecom.requests()
	if len(news) != 2 {
		t.Fatalf("wecom received %d, want 2", len(news))
	}
	if a := decodeNews(t, news[0]).News.Articles[0]; a.URL != up.Link || !strings.Contains(a.Description, "来源: Upstream Blog") {
		t.Errorf("wecom upstream article %+v", a)
	}
	for _, id := range []int64{th.ID, tw.ID} {
		if st := e.target(id).State; st.Delivered != 2 || st.Pending != 0 {
			t.Errorf("target %d: %+v", id, st)
		}
	}
}
