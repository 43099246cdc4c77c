package feedrelay

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Poll intervals of a source.
const (
	DefaultPollInterval = 30 * time.Minute
	MinPollInterval     = time.Minute
	MaxPollInterval     = 7 * 24 * time.Hour
)

// Source is an upstream feed that feedrelay polls and re-syndicates.
type Source struct {
	ID  int64
	URL string // http(s); updated when the upstream answers 301/308
	// Title overrides the upstream feed's own title in attribution.
	Title string
	// Categories the source's items are filed under.
	Categories []CategoryPath
	// ItemCategories also files each item under its own categories (each
	// as a one-level category below the source's first category, or at the
	// root if the source has none).
	ItemCategories bool
	Interval       time.Duration
	Enabled        bool
	Rules          Rules
	State          SourceState
	Created        time.Time
}

// SourceState is what the poller remembers between polls.
type SourceState struct {
	ETag         string
	LastModified string // the upstream's Last-Modified, verbatim
	FeedTitle    string // the upstream feed's own title
	SiteURL      string // the upstream feed's home page link
	LastAttempt  time.Time
	LastSuccess  time.Time
	LastError    string // short, for people; "" after a success
	Failures     int    // consecutive failed polls
	NextPoll     time.Time
	// DisabledReason says why the poller disabled the source (410 Gone).
	DisabledReason string
	ItemCount      int // articles stored from this source (list output)
}

// DisplayTitle is the title used in attribution: the override, else the
// upstream's own title, else the URL.
func (s *Source) DisplayTitle() string {
	switch {
	case strings.TrimSpace(s.Title) != "":
		return s.Title
	case strings.TrimSpace(s.State.FeedTitle) != "":
		return s.State.FeedTitle
	}
	return s.URL
}

// Validate checks a source's settings (not its fetch state) and fills the
// default interval.
func (s *Source) Validate() error {
	if err := ValidateUpstreamURL(s.URL); err != nil {
		return err
	}
	if s.Interval == 0 {
		s.Interval = DefaultPollInterval
	}
	switch {
	case s.Interval < MinPollInterval:
		return &FieldError{Field: "every", Reason: fmt.Sprintf("poll interval %s is below the minimum of 1m", s.Interval)}
	case s.Interval > MaxPollInterval:
		return &FieldError{Field: "every", Reason: fmt.Sprintf("poll interval %s is above the maximum of 168h", s.Interval)}
	case len(s.Title) > MaxTitleLen:
		return &FieldError{Field: "title", Reason: "title is longer than 1000 bytes"}
	case hasControl(s.Title):
		return &FieldError{Field: "title", Reason: "title must not contain control characters"}
	case len(s.Categories) > MaxCategories:
		return &FieldError{Field: "categories", Reason: fmt.Sprintf("a source may file into at most %d categories", MaxCategories)}
	}
	for _, c := range s.Categories {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	return s.Rules.Validate("rules")
}

// ValidateUpstreamURL accepts absolute http and https URLs only.
func ValidateUpstreamURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return &FieldError{Field: "url", Reason: "url is required"}
	}
	if len(raw) > 2048 {
		return &FieldError{Field: "url", Reason: "url is longer than 2048 bytes"}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return &FieldError{Field: "url", Reason: fmt.Sprintf("%q is not a URL: %v", raw, err)}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return &FieldError{Field: "url", Reason: fmt.Sprintf("%q: only http and https URLs can be polled", raw)}
	}
	if u.Host == "" || u.Hostname() == "" {
		return &FieldError{Field: "url", Reason: fmt.Sprintf("%q has no host", raw)}
	}
	if u.User != nil {
		return &FieldError{Field: "url", Reason: fmt.Sprintf("%q: credentials in the URL are not supported", raw)}
	}
	return nil
}

// PollResult is what one poll of a source did, for its state and for
// people (sources fetch prints it).
type PollResult struct {
	SourceID    int64
	URL         string // the URL polled (after permanent redirects)
	Status      int    // HTTP status, 0 if no answer
	NotModified bool
	Items       int      // items in the feed
	Filtered    int      // dropped by the source's rules
	Duplicates  int      // items repeating an earlier item's identity in the same feed
	Skipped     int      // unusable items (no title, text or link; invalid) and items past the first 1,000
	Problems    []string // why items were skipped, a few short lines
	Created     []Article
	Updated     int
	Unchanged   int
	Err         error
}

// PollWrite is what one poll stores: the source's new state and the items
// to upsert, committed together.
type PollWrite struct {
	SourceID int64
	URL      string // new URL after a permanent redirect, "" to keep
	Enabled  bool
	State    SourceState
	Items    []Article
}

// PollWriteResult is what storing one PollWrite did.
type PollWriteResult struct {
	Items []UpsertOutcome
	Err   error // nothing of this poll was stored
}
