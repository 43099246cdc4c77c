package feedrelay

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Relay platforms.
const (
	PlatformWeCom    = "wecom"
	PlatformDingTalk = "dingtalk"
	PlatformFeishu   = "feishu"
	PlatformSlack    = "slack"
	PlatformTelegram = "telegram"
	PlatformDiscord  = "discord"
	PlatformWebhook  = "webhook"
)

// Platforms lists the supported relay platforms.
var Platforms = []string{PlatformWeCom, PlatformDingTalk, PlatformFeishu, PlatformSlack, PlatformTelegram, PlatformDiscord, PlatformWebhook}

// Message styles of a relay target.
const (
	StyleSingle = "single" // one message per article
	StyleDigest = "digest" // up to DigestMax waiting articles in one message
)

// DefaultRetryBudget is how long a delivery is retried before it is dead.
const DefaultRetryBudget = 24 * time.Hour

// RelayTarget is a chat group (or any webhook receiver) that new articles
// are pushed to.
type RelayTarget struct {
	ID       int64
	Name     string // unique, for people and the CLI
	Platform string
	// URL is the webhook URL (for Telegram, the Bot API base URL, default
	// https://api.telegram.org). It holds the platform's key: a secret.
	URL      string
	BotToken string // Telegram only; a secret
	ChatID   string // Telegram only
	Secret   string // signing secret (DingTalk, Feishu, webhook); a secret
	// Categories it follows (an article in a descendant counts); empty
	// follows every article.
	Categories []CategoryPath
	Rules      Rules
	Style      string // StyleSingle or StyleDigest
	DigestMax  int    // articles per digest message; capped by the platform
	// Format picks the platform's message type where it has several
	// (wecom: news|markdown; dingtalk: link|markdown|feedcard; feishu:
	// post|interactive; telegram: message|photo). "" is the platform's best.
	Format string
	// RatePerMinute and Burst pace sends; 0 takes the platform's default.
	// RateUnlimited (-1) lifts pacing (benchmarks, own receivers).
	RatePerMinute float64
	Burst         int
	RetryBudget   time.Duration
	Enabled       bool
	State         RelayState
	Created       time.Time
}

// RateUnlimited as RatePerMinute turns pacing off.
const RateUnlimited = -1

// RelayState is the delivery worker's record of a target.
type RelayState struct {
	DisabledReason string    // why the worker stopped the target (bad key, chat not found)
	NextAttempt    time.Time // nothing is sent before (backoff, a platform's Retry-After); zero: now
	PermanentFails int       // permanent errors in a row
	LastSuccess    time.Time
	LastError      string
	Pending        int
	Delivered      int
	Failed         int // pending deliveries that failed at least once
	Dead           int
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryDead      = "dead"
)

// Delivery is one article owed to one target (a row of the outbox).
type Delivery struct {
	ID           int64
	TargetID     int64
	ArticleID    int64
	Status       string
	Attempts     int
	NextAttempt  time.Time
	LastError    string
	FirstAttempt time.Time // the retry budget counts from here
	Created      time.Time
	Delivered    time.Time
	Article      Article // loaded for sending
}

// DeliveryKey is the stable id a message carries so a receiver can drop
// duplicates: it names the delivery row, which is never reused.
func (d Delivery) DeliveryKey() string { return fmt.Sprintf("fr-delivery-%d", d.ID) }

// Matches reports whether a new article should be delivered to t: it is in
// (or below) one of t's categories, or t follows all, and passes t's rules.
func (t *RelayTarget) Matches(a *Article, m *Matcher) bool {
	if len(t.Categories) > 0 && !inAnyCategory(a.Categories, t.Categories) {
		return false
	}
	return m.Match(a.Title, a.Summary)
}

func inAnyCategory(have, want []CategoryPath) bool {
	for _, w := range want {
		ws := w.SlugPath()
		for _, h := range have {
			if len(h) < len(w) {
				continue
			}
			if CategoryPath(h[:len(w)]).SlugPath() == ws {
				return true
			}
		}
	}
	return false
}

// Validate checks a target's settings and fills defaults.
func (t *RelayTarget) Validate() error {
	t.Name = strings.TrimSpace(t.Name)
	switch {
	case t.Name == "":
		return &FieldError{Field: "name", Reason: "name is required"}
	case len(t.Name) > 200 || hasControl(t.Name):
		return &FieldError{Field: "name", Reason: "name must be at most 200 bytes without control characters"}
	case isNumber(t.Name):
		// The CLI and the API take "NAME or ID": a name that is a number
		// would make "relays remove 12" ambiguous.
		return &FieldError{Field: "name", Reason: fmt.Sprintf("name %q is a number, which reads as a target id; add a word", t.Name)}
	}
	known := false
	for _, p := range Platforms {
		known = known || p == t.Platform
	}
	if !known {
		return &FieldError{Field: "platform", Reason: fmt.Sprintf("platform %q is not one of %s", t.Platform, strings.Join(Platforms, ", "))}
	}
	if t.Platform == PlatformTelegram {
		if t.URL == "" {
			t.URL = "https://api.telegram.org"
		}
		if strings.TrimSpace(t.BotToken) == "" || strings.ContainsAny(t.BotToken, "/?# ") {
			return &FieldError{Field: "bot_token", Reason: "telegram needs a bot token (digits:letters, from @BotFather)"}
		}
		if strings.TrimSpace(t.ChatID) == "" {
			return &FieldError{Field: "chat_id", Reason: "telegram needs a chat id (-100… for groups, or @channelname)"}
		}
	}
	u, err := url.Parse(t.URL)
	if t.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &FieldError{Field: "url", Reason: "url must be the platform's absolute http(s) webhook URL"}
	}
	if t.Style == "" {
		t.Style = StyleSingle
	}
	if t.Style != StyleSingle && t.Style != StyleDigest {
		return &FieldError{Field: "style", Reason: `style must be "single" or "digest"`}
	}
	if t.DigestMax < 0 || t.DigestMax > 100 {
		return &FieldError{Field: "digest_max", Reason: "digest_max must be between 1 and 100"}
	}
	if t.RatePerMinute < 0 && t.RatePerMinute != RateUnlimited {
		return &FieldError{Field: "rate", Reason: "rate must be positive (messages per minute), 0 for the platform default, or -1 for unlimited"}
	}
	if t.Burst < 0 {
		return &FieldError{Field: "burst", Reason: "burst must not be negative"}
	}
	if t.RetryBudget == 0 {
		t.RetryBudget = DefaultRetryBudget
	}
	if t.RetryBudget < time.Minute || t.RetryBudget > 30*24*time.Hour {
		return &FieldError{Field: "retry_budget", Reason: "retry budget must be between 1m and 720h"}
	}
	if len(t.Categories) > MaxCategories {
		return &FieldError{Field: "categories", Reason: fmt.Sprintf("a target may follow at most %d categories", MaxCategories)}
	}
	for _, c := range t.Categories {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	return t.Rules.Validate("rules")
}

// Mask shows enough of a secret to recognise it and no more.
func Mask(secret string) string {
	switch n := len(secret); {
	case n == 0:
		return ""
	case n <= 8:
		return "****"
	default:
		return secret[:3] + "…" + secret[n-3:]
	}
}

// MaskedURL hides a webhook URL's secret parts: query values (WeCom's key,
// DingTalk's access_token) and long path segments (Feishu, Slack and
// Discord put their tokens there).
func MaskedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return Mask(raw)
	}
	q := u.Query()
	for k, vs := range q {
		for i, v := range vs {
			vs[i] = Mask(v)
		}
		q[k] = vs
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := range segs {
		if secretSegment(segs[i]) {
			segs[i] = Mask(segs[i])
		}
	}
	out := u.Scheme + "://" + u.Host
	if u.Path != "" && u.Path != "/" {
		out += "/" + strings.Join(segs, "/")
	}
	if len(q) > 0 {
		out += "?" + strings.NewReplacer("%E2%80%A6", "…", "%2A", "*").Replace(q.Encode())
	}
	return out
}

// DeliveryAttempt is what the delivery worker records after one send to a
// target (one message: one delivery, or several in a digest).
type DeliveryAttempt struct {
	TargetID    int64
	DeliveryIDs []int64
	At          time.Time
	Delivered   bool
	Error       string    // short, with the platform's own message
	NextAttempt time.Time // send nothing more to the target before this (backoff, Retry-After)
	Permanent   bool      // the platform said the target is broken (bad key, chat not found)
	Rejected    bool      // the platform refused this message; it goes dead, the target goes on
	RateLimited bool      // the platform asked us to wait; not counted against the retry budget
	// StopAfter is how many permanent failures in a row stop the target.
	StopAfter int
}

// RelayTestResult is how a platform answered relays test.
type RelayTestResult struct {
	Delivered  bool
	Outcome    string        // delivered, retry, rate-limited, permanent
	Message    string        // the platform's own answer, short
	RetryAfter time.Duration // when the platform asked us to wait
	Elapsed    time.Duration
}

// Scrub masks t's secrets wherever they appear in msg: transport errors
// quote the webhook URL (key and all), platforms echo tokens back. Every
// message about a target passes through it before it is logged, stored
// as last_error or shown.
func (t *RelayTarget) Scrub(msg string) string {
	if msg == "" {
		return msg
	}
	if t.URL != "" {
		msg = strings.ReplaceAll(msg, t.URL, MaskedURL(t.URL))
	}
	secrets := []string{t.BotToken, t.Secret}
	if u, err := url.Parse(t.URL); err == nil {
		for _, vs := range u.Query() {
			secrets = append(secrets, vs...)
		}
		for _, seg := range strings.Split(strings.Trim(u.Path, "/"), "/") {
			if secretSegment(seg) {
				secrets = append(secrets, seg)
			}
		}
	}
	for _, v := range secrets {
		if len(v) >= 4 {
			msg = strings.ReplaceAll(msg, v, Mask(v))
		}
	}
	return msg
}

// isNumber: what the CLI's and the API's "NAME or ID" lookups would read
// as an id (strconv.ParseInt accepts a sign).
func isNumber(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// secretSegment: a URL path segment that holds a token. Tokens are long
// (Feishu's 36, Slack's 24, Discord's 68); path words like "send" or
// "hooks" stay readable. MaskedURL and Scrub share the rule.
func secretSegment(seg string) bool { return len(seg) >= 16 }
