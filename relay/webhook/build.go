package webhook

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
)

// Event types.
const (
	TypeArticle = "article.created"
	TypeDigest  = "article.digest"
)

type envelope struct {
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	Data      any    `json:"data"`
}

type entry struct {
	DeliveryID string     `json:"delivery_id"`
	Item       feedItem   `json:"item"`
	Categories [][]string `json:"categories"`
	Source     *source    `json:"source"`
}

type digest struct {
	Items []entry `json:"items"`
}

type source struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Build posts the event (see the package comment) signed with t.Secret.
func (formatter) Build(t *feedrelay.RelayTarget, items []platform.Item, now time.Time) (platform.Request, error) {
	if err := platform.CheckCount("webhook", items, maxItems); err != nil {
		return platform.Request{}, err
	}
	if t.URL == "" {
		return platform.Request{}, errors.New("webhook: the target has no URL")
	}
	entries := make([]entry, len(items))
	for i := range items {
		it := &items[i]
		if it.DeliveryID == "" {
			return platform.Request{}, errors.New("webhook: an article without a delivery id")
		}
		entries[i] = entry{
			DeliveryID: it.DeliveryID,
			Item:       newFeedItem(it),
			Categories: categories(&it.Article, it),
			Source:     sourceOf(it),
		}
	}
	ev := envelope{Type: TypeArticle, Timestamp: now.UTC().Format(time.RFC3339), Data: entries[0]}
	if len(entries) > 1 {
		ev.Type, ev.Data = TypeDigest, digest{Items: entries}
	}
	b, err := platform.EncodeJSON(ev) // content_html stays readable, as in our JSON Feed
	if err != nil {
		return platform.Request{}, fmt.Errorf("webhook: %w", err)
	}
	id := messageID(items)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	if t.Secret != "" {
		sig, err := Sign(t.Secret, id, now, b)
		if err != nil {
			return platform.Request{}, err
		}
		h.Set("webhook-signature", sig)
	}
	return platform.Request{Method: http.MethodPost, URL: t.URL, Header: h, Body: b}, nil
}

// messageID is the webhook-id: the delivery id of a single article, and
// for a digest "fr-digest-" and the first 128 bits of the SHA-256 of its
// sorted delivery ids, so the same digest retried keeps its id however
// its articles are ordered, and any other set of articles gets another.
func messageID(items []platform.Item) string {
	if len(items) == 1 {
		return items[0].DeliveryID
	}
	ids := make([]string, len(items))
	for i := range items {
		ids[i] = items[i].DeliveryID
	}
	slices.Sort(ids)
	sum := sha256.Sum256([]byte(strings.Join(ids, "\n")))
	return "fr-digest-" + hex.EncodeToString(sum[:16])
}

func sourceOf(it *platform.Item) *source {
	s := source{
		Title: feedrelay.CleanXMLText(strings.TrimSpace(first(it.Article.Source.Title, it.SourceTitle))),
		URL:   feedrelay.CleanXMLText(first(it.Article.Source.URL, it.SourceURL)),
	}
	if s == (source{}) {
		return nil
	}
	return &s
}
