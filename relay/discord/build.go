package discord

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
)

// Embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits):
// title 256, description 4096, author name 256, footer text 2048, and
// "6000 characters total across all title, description, field.name,
// field.value, footer.text, and author.name fields" of a message. Every
// embed gets an equal share of the 6000, so ten of them fit whatever
// they hold.
const (
	maxTitle       = 256
	maxDescription = 4096
	maxAuthor      = 256
	maxFooter      = 200 // of Discord's 2048: a source and its categories
	maxTotal       = 6000
)

type message struct {
	Content         string          `json:"content"`
	Embeds          []embed         `json:"embeds"`
	AllowedMentions allowedMentions `json:"allowed_mentions"`
}

// allowedMentions with an empty parse list: nothing in a message pings
// anyone, @everyone included.
type allowedMentions struct {
	Parse []string `json:"parse"`
}

type embed struct {
	Title       string  `json:"title,omitempty"`
	URL         string  `json:"url,omitempty"`
	Description string  `json:"description,omitempty"`
	Timestamp   string  `json:"timestamp,omitempty"`
	Author      *named  `json:"author,omitempty"`
	Footer      *footer `json:"footer,omitempty"`
	Image       *image  `json:"image,omitempty"`
}

type named struct {
	Name string `json:"name"`
}

type footer struct {
	Text string `json:"text"`
}

type image struct {
	URL string `json:"url"`
}

// Build executes the webhook with ?wait=true, so that Discord answers
// with the created message or the error instead of 204 before checking,
// and one embed per article.
func (formatter) Build(t *feedrelay.RelayTarget, items []platform.Item, now time.Time) (platform.Request, error) {
	if err := platform.CheckCount("discord", items, maxItems); err != nil {
		return platform.Request{}, err
	}
	u, err := url.Parse(t.URL)
	if err != nil || t.URL == "" {
		return platform.Request{}, errors.New("discord: the target's webhook URL is not a URL")
	}
	q := u.Query()
	q.Set("wait", "true") // keeps thread_id, if the URL names a thread
	u.RawQuery = q.Encode()

	m := message{Embeds: make([]embed, 0, len(items)), AllowedMentions: allowedMentions{Parse: []string{}}}
	share := maxTotal / len(items)
	for i := range items {
		m.Embeds = append(m.Embeds, articleEmbed(&items[i], share))
	}
	body, err := platform.EncodeJSON(m)
	if err != nil {
		return platform.Request{}, fmt.Errorf("discord: %w", err)
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	return platform.Request{Method: http.MethodPost, URL: u.String(), Header: h, Body: body}, nil
}

// articleEmbed is one article as an embed whose counted fields add up to
// at most share.
func articleEmbed(it *platform.Item, share int) embed {
	e := embed{}
	e.Title = platform.FitUTF16(platform.TitleOrURL(it), min(maxTitle, share/3), escapeMarkdown)
	used := platform.UTF16Len(e.Title)
	if isHTTP(it.URL) {
		e.URL = it.URL
	}
	if a := strings.TrimSpace(it.Author); a != "" {
		if name := platform.FitUTF16(a, min(maxAuthor, share/10), nil); name != "" {
			e.Author = &named{Name: name}
			used += platform.UTF16Len(name)
		}
	}
	foot := platform.JoinTrimmed(" · ", it.SourceTitle, strings.Join(it.Categories, ", "))
	if text := platform.FitUTF16(foot, min(maxFooter, share/6), nil); text != "" {
		e.Footer = &footer{Text: text}
		used += platform.UTF16Len(text)
	}
	if s := strings.TrimSpace(it.Summary); s != "" {
		e.Description = platform.FitUTF16(s, min(maxDescription, share-used), escapeMarkdown)
	}
	if !it.Published.IsZero() {
		e.Timestamp = it.Published.UTC().Format(time.RFC3339)
	}
	if img := strings.TrimSpace(it.Image); isHTTP(img) {
		e.Image = &image{URL: img}
	}
	return e
}
