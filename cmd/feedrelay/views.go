package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
)

// How sources and relay targets are shown: tables for people, JSON for
// scripts. Relay secrets are masked in both.

type sourceView struct {
	ID             int64      `json:"id"`
	URL            string     `json:"url"`
	Title          string     `json:"title"`
	FeedTitle      string     `json:"feed_title,omitempty"`
	SiteURL        string     `json:"site_url,omitempty"`
	Categories     [][]string `json:"categories"`
	ItemCategories bool       `json:"item_categories"`
	Every          string     `json:"every"`
	EverySeconds   int64      `json:"every_seconds"`
	Enabled        bool       `json:"enabled"`
	DisabledReason string     `json:"disabled_reason,omitempty"`
	Include        []string   `json:"include,omitempty"`
	Exclude        []string   `json:"exclude,omitempty"`
	LastAttempt    time.Time  `json:"last_attempt,omitzero"`
	LastSuccess    time.Time  `json:"last_success,omitzero"`
	Failures       int        `json:"failures"`
	LastError      string     `json:"last_error,omitempty"`
	NextPoll       time.Time  `json:"next_poll,omitzero"`
	Items          int        `json:"items"`
	Created        time.Time  `json:"created"`
}

func pathsJSON(list []feedrelay.CategoryPath) [][]string {
	out := make([][]string, len(list))
	for i, p := range list {
		out[i] = p
	}
	return out
}

func sourcesJSON(list []feedrelay.Source) []sourceView {
	out := make([]sourceView, len(list))
	for i, s := range list {
		st := s.State
		st.NextPoll = known(st.NextPoll)
		out[i] = sourceView{ID: s.ID, URL: s.URL, Title: s.DisplayTitle(), FeedTitle: st.FeedTitle, SiteURL: st.SiteURL,
			Categories: pathsJSON(s.Categories), ItemCategories: s.ItemCategories, Every: every(s.Interval),
			EverySeconds: int64(s.Interval / time.Second), Enabled: s.Enabled, DisabledReason: st.DisabledReason,
			Include: s.Rules.Include, Exclude: s.Rules.Exclude, LastAttempt: st.LastAttempt, LastSuccess: st.LastSuccess,
			Failures: st.Failures, LastError: st.LastError, NextPoll: st.NextPoll, Items: st.ItemCount, Created: s.Created}
	}
	return out
}

// known treats times before 1970 as unset: a zero time stored as Unix
// nanoseconds reads back as 1754.
func known(t time.Time) time.Time {
	if t.Before(time.Unix(0, 0)) {
		return time.Time{}
	}
	return t
}

func printSources(w io.Writer, list []feedrelay.Source, now time.Time) {
	rows := [][]string{{"ID", "TITLE", "URL", "CATEGORIES", "EVERY", "STATE", "LAST SUCCESS", "FAILS", "LAST ERROR", "NEXT POLL", "ITEMS"}}
	for _, s := range list {
		state, next := "enabled", when(known(s.State.NextPoll), now)
		if !s.Enabled {
			state, next = "disabled", "-"
			if s.State.DisabledReason != "" {
				state += " (" + s.State.DisabledReason + ")"
			}
		} else if !s.State.NextPoll.After(now) {
			next = "due now"
		}
		rows = append(rows, []string{strconv.FormatInt(s.ID, 10), clip(s.DisplayTitle(), 30), clip(s.URL, 60),
			clip(categoriesText(s.Categories), 30), every(s.Interval), clip(state, 50), when(s.State.LastSuccess, now),
			strconv.Itoa(s.State.Failures), dash(clip(s.State.LastError, 50)), next, strconv.Itoa(s.State.ItemCount)})
	}
	table(w, rows)
}

// pollCounts is what one poll did, for people.
func pollCounts(r feedrelay.PollResult) string {
	if r.NotModified {
		return "not modified"
	}
	out := fmt.Sprintf("%d new, %d updated, %d unchanged, %d filtered", len(r.Created), r.Updated, r.Unchanged, r.Filtered)
	if r.Duplicates > 0 {
		out += fmt.Sprintf(", %d duplicates", r.Duplicates)
	}
	if r.Skipped > 0 {
		out += fmt.Sprintf(", %d skipped (unusable, or past the first 1,000)", r.Skipped)
		for i, p := range r.Problems {
			if i == 3 {
				out += fmt.Sprintf("\n    … %d more", len(r.Problems)-3)
				break
			}
			out += "\n    skipped " + p
		}
	}
	return out
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

type targetView struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	Platform      string     `json:"platform"`
	URL           string     `json:"url"` // masked
	BotToken      string     `json:"bot_token,omitempty"`
	ChatID        string     `json:"chat_id,omitempty"`
	Secret        string     `json:"secret,omitempty"`
	Categories    [][]string `json:"categories"`
	Include       []string   `json:"include,omitempty"`
	Exclude       []string   `json:"exclude,omitempty"`
	Style         string     `json:"style"`
	DigestMax     int        `json:"digest_max,omitempty"`
	Format        string     `json:"format,omitempty"`
	RatePerMinute float64    `json:"rate_per_minute,omitempty"`
	Burst         int        `json:"burst,omitempty"`
	RetryBudget   string     `json:"retry_budget"`
	Enabled       bool       `json:"enabled"`
	StoppedReason string     `json:"stopped_reason,omitempty"`
	Pending       int        `json:"pending"`
	Delivered     int        `json:"delivered"`
	Failed        int        `json:"failed"`
	Dead          int        `json:"dead"`
	LastSuccess   time.Time  `json:"last_success,omitzero"`
	LastError     string     `json:"last_error,omitempty"`
	NextAttempt   time.Time  `json:"next_attempt,omitzero"` // waiting until (backoff, Retry-After)
	Created       time.Time  `json:"created"`
}

func targetJSON(t feedrelay.RelayTarget) targetView {
	st := t.State
	v := targetView{ID: t.ID, Name: t.Name, Platform: t.Platform, URL: feedrelay.MaskedURL(t.URL),
		BotToken: feedrelay.Mask(t.BotToken), ChatID: t.ChatID, Secret: feedrelay.Mask(t.Secret),
		Categories: pathsJSON(t.Categories), Include: t.Rules.Include, Exclude: t.Rules.Exclude, Style: t.Style,
		DigestMax: t.DigestMax, Format: t.Format, RatePerMinute: t.RatePerMinute, Burst: t.Burst,
		RetryBudget: every(t.RetryBudget), Enabled: t.Enabled, StoppedReason: t.Scrub(st.DisabledReason),
		Pending: st.Pending, Delivered: st.Delivered, Failed: st.Failed, Dead: st.Dead, LastSuccess: st.LastSuccess,
		LastError: t.Scrub(st.LastError), Created: t.Created}
	if st.NextAttempt.After(time.Now()) {
		v.NextAttempt = st.NextAttempt
	}
	return v
}

func targetState(t feedrelay.RelayTarget) string {
	switch {
	case !t.Enabled:
		return "disabled"
	case t.State.DisabledReason != "":
		return "stopped (" + t.Scrub(t.State.DisabledReason) + ")"
	case t.State.NextAttempt.After(time.Now()):
		return "waiting until " + t.State.NextAttempt.UTC().Format("2006-01-02 15:04 UTC")
	}
	return "enabled"
}

func printTargets(w io.Writer, list []feedrelay.RelayTarget, now time.Time) {
	rows := [][]string{{"ID", "NAME", "PLATFORM", "URL", "CATEGORIES", "STYLE", "STATE", "PENDING", "DELIVERED", "FAILED", "DEAD", "LAST SUCCESS", "LAST ERROR"}}
	for _, t := range list {
		st := t.State
		rows = append(rows, []string{strconv.FormatInt(t.ID, 10), clip(t.Name, 30), t.Platform, clip(feedrelay.MaskedURL(t.URL), 60),
			dash(clip(categoriesText(t.Categories), 30)), t.Style, clip(targetState(t), 50), strconv.Itoa(st.Pending),
			strconv.Itoa(st.Delivered), strconv.Itoa(st.Failed), strconv.Itoa(st.Dead), when(st.LastSuccess, now),
			dash(clip(t.Scrub(st.LastError), 50))})
	}
	table(w, rows)
}

// printTarget shows one target's settings, secrets masked.
func printTarget(w io.Writer, t feedrelay.RelayTarget) {
	fmt.Fprintf(w, "relay target %d %q (%s)\n", t.ID, t.Name, t.Platform)
	fmt.Fprintf(w, "  url:         %s\n", feedrelay.MaskedURL(t.URL))
	if t.BotToken != "" || t.ChatID != "" {
		fmt.Fprintf(w, "  bot token:   %s\n  chat id:     %s\n", feedrelay.Mask(t.BotToken), t.ChatID)
	}
	if t.Secret != "" {
		fmt.Fprintf(w, "  secret:      %s\n", feedrelay.Mask(t.Secret))
	}
	cats := categoriesText(t.Categories)
	if cats == "" {
		cats = "all (every new article)"
	}
	fmt.Fprintf(w, "  categories:  %s\n", cats)
	if !t.Rules.IsZero() {
		fmt.Fprintf(w, "  include:     %s\n  exclude:     %s\n", dash(strings.Join(t.Rules.Include, ", ")), dash(strings.Join(t.Rules.Exclude, ", ")))
	}
	style := t.Style
	if t.Style == feedrelay.StyleDigest && t.DigestMax > 0 {
		style += fmt.Sprintf(" (up to %d per message)", t.DigestMax)
	}
	format, rate := dash(t.Format), "platform default"
	if t.Format == "" {
		format = "platform default"
	}
	switch {
	case t.RatePerMinute == feedrelay.RateUnlimited:
		rate = "unlimited"
	case t.RatePerMinute > 0:
		rate = fmt.Sprintf("%g/min, burst %d", t.RatePerMinute, t.Burst)
	}
	fmt.Fprintf(w, "  style:       %s, format %s, rate %s, retry budget %s\n", style, format, rate, every(t.RetryBudget))
	fmt.Fprintf(w, "  state:       %s\n", targetState(t))
}

// scrubErr is err with t's secrets masked in its message; it still
// unwraps to err for errors.Is and errors.As.
func scrubErr(t feedrelay.RelayTarget, err error) error {
	return &scrubbed{msg: t.Scrub(err.Error()), err: err}
}

type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }
