// Package platform holds what every relay platform package shares: the
// article as a message shows it, the HTTP request a formatter builds, and
// the outcome it reads from the platform's answer. Platform packages are
// pure (no I/O); the relay worker sends what they build.
package platform

import (
	"net/http"
	"time"

	"github.com/feedrelay/feedrelay"
)

// Item is one article as a chat message shows it.
type Item struct {
	DeliveryID  string // stable per (target, article); receivers drop duplicates by it
	Title       string // plain text
	Summary     string // plain text, already short; formatters cut further to their limits
	URL         string // absolute link to the article (ours, or the original for upstream items)
	Image       string // absolute head image URL, "" if none
	Author      string
	ContentHTML string // sanitized HTML (Telegram converts it to its tag subset)
	Published   time.Time
	Categories  []string // "A > B" for people
	SourceTitle string   // upstream source, "" for local articles
	SourceURL   string
	Article     feedrelay.Article // the whole article (the generic webhook sends it as a JSON Feed item)
	BaseURL     string            // the server's base URL, for JSON Feed item URLs
}

// Request is what a formatter wants sent.
type Request struct {
	Method string // POST unless set
	URL    string
	Header http.Header
	Body   []byte
}

// Kind classifies a platform's answer.
type Kind int

// Outcome kinds.
const (
	// Delivered: the platform accepted the message.
	Delivered Kind = iota + 1
	// Retry: a transient failure (5xx, network, busy): back off and retry.
	Retry
	// RateLimited: the platform asked us to wait (RetryAfter if it said how long).
	RateLimited
	// Permanent: the target itself is broken (bad key or token, bad
	// signature, chat not found, robot removed): nothing can be sent to it
	// until its settings are fixed. After a few in a row the worker stops
	// the target.
	Permanent
	// Rejected: the platform refuses this message (too long, markup or an
	// image it cannot take, content it filters) while the target is fine:
	// resending the same message cannot help, so the delivery goes to the
	// dead letters at once and the next one is sent.
	Rejected
)

func (k Kind) String() string {
	switch k {
	case Delivered:
		return "delivered"
	case Retry:
		return "retry"
	case RateLimited:
		return "rate-limited"
	case Permanent:
		return "permanent"
	case Rejected:
		return "rejected"
	}
	return "unknown"
}

// Outcome is what a platform's answer means.
type Outcome struct {
	Kind       Kind
	RetryAfter time.Duration // RateLimited: how long the platform asked us to wait (0: unknown)
	// Pause asks the worker to send nothing more to this target for this
	// long even after a success (Discord: X-RateLimit-Remaining 0 means
	// wait X-RateLimit-Reset-After).
	Pause time.Duration
	// Message is the platform's own answer, short, for people ("errcode
	// 93000: invalid webhook url", "Bad Request: chat not found").
	Message string
}

// Formatter turns articles into one platform's message and reads its answer.
type Formatter interface {
	// MaxItems is the most articles one message may carry (digests).
	MaxItems() int
	// DefaultRate is the platform's documented pace: messages per minute
	// and burst.
	DefaultRate() (perMinute float64, burst int)
	// Build makes the request for items (1..MaxItems) to target t at now
	// (signatures are time-stamped). t.Format picks the message type.
	Build(t *feedrelay.RelayTarget, items []Item, now time.Time) (Request, error)
	// Interpret reads the platform's answer. status 200 with an error code
	// in the body is not Delivered.
	Interpret(status int, header http.Header, body []byte) Outcome
}
