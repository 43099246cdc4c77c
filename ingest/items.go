package ingest

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/json"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/posts"
	"github.com/feedrelay/feedrelay/sanitize"
)

// MaxItems bounds the items MapItems maps from one feed. Feeds list their
// newest items first, and a feed that carries its whole archive (tens of
// thousands of entries) would otherwise have every poll sanitize, hash and
// compare all of them; the first 1,000 are all a poll can be new about.
const (
	MaxItems = 1000
	// MaxItemHTML bounds one item's content (and description) before it is
	// sanitized.
	MaxItemHTML = 1 << 20

	maxDescSummary = 400 // runes: a longer description is not used as the summary as it is
	maxProblems    = 20  // lines kept in ParsedFeed.Problems
)

// ParsedFeed is an upstream feed body parsed into candidate articles.
type ParsedFeed struct {
	Title   string // the feed's own title (trimmed, plain text, at most 1000 bytes)
	SiteURL string // the feed's home page link, absolute http(s) or ""
	Items   []Item
	// Total is the number of items in the feed body. Besides Items and the
	// filtered count MapItems returns, the rest are Duplicates and Skipped.
	Total      int
	Duplicates int      // same identity as an earlier item of the feed; the first is kept
	Skipped    int      // unusable (no title, content or link; failed Validate) or past MaxItems
	Problems   []string // why items were skipped, one short line each (at most 20)
}

// Item is one candidate article.
type Item struct {
	// Identity is what dedupe keys on: "guid:<guid>", else "link:<link>",
	// else "hash:<hex sha256(title+"\x00"+date)>".
	Identity string
	// Dated is false when the item had no usable date: Published is then
	// the now given to MapItems and Updated is zero, and the caller puts the
	// first-seen time of an already stored item in Published.
	Dated   bool
	Article feedrelay.Article
}

// ItemKey is the article key for an item of source sourceID:
// "upstream/<sourceID>/<first 20 hex of sha256(identity)>". The source id
// scopes dedupe to one source; 80 bits keep keys short and collisions out
// of reach.
func ItemKey(sourceID int64, identity string) string {
	sum := sha256.Sum256([]byte(identity))
	return fmt.Sprintf("upstream/%d/%s", sourceID, hex.EncodeToString(sum[:10]))
}

// MapItems maps a parsed feed to articles for source src, sanitized with
// policy and filtered by m (nil passes everything). Relative links resolve
// against feedURL. It returns the candidates and how many items m dropped.
// Every returned article passes Validate after Clean.
func MapItems(f *gofeed.Feed, src *feedrelay.Source, feedURL *url.URL, policy *sanitize.Policy, m *feedrelay.Matcher, now time.Time) (ParsedFeed, int) {
	pf := ParsedFeed{Title: truncateBytes(plainTitle(f.Title), feedrelay.MaxTitleLen), SiteURL: absHTTP(feedURL, f.Link), Total: len(f.Items)}
	// The title override, else this poll's own title; the source's URL, as
	// the final URL of a temporary redirect would churn every article.
	attr := feedrelay.Attribution{Title: cmp.Or(strings.TrimSpace(src.Title), pf.Title, src.DisplayTitle()), URL: cmp.Or(src.URL, feedURL.String())}
	jsonItems := make([]*json.Item, len(f.Items)) // only these tell content_text from content_html
	if jf, ok := f.OriginalFeed().(*json.Feed); ok && len(jf.Items) == len(f.Items) {
		copy(jsonItems, jf.Items)
	}
	items := f.Items
	if len(items) > MaxItems {
		pf.skip(len(items)-MaxItems, fmt.Sprintf("%d items past the first %d ignored", len(items)-MaxItems, MaxItems))
		items = items[:MaxItems]
	}
	seen := make(map[string]bool, len(items))
	filtered := 0
	for i, it := range items {
		link := itemLink(f.FeedType, it, feedURL)
		id := identity(it, link)
		if seen[id] {
			pf.Duplicates++
			continue
		}
		seen[id] = true
		item, text, problem := mapItem(f, it, jsonItems[i], src, feedURL, link, id, policy, now, !m.Empty())
		if problem == "" {
			item.Article.Source = attr
			item.Article.Source.OriginalLink, item.Article.Source.OriginalAuthor = link, item.Article.Author
			item.Article.Clean()
			if err := item.Article.Validate(); err != nil {
				problem = err.Error()
			}
		}
		if problem != "" {
			title := item.Article.Title
			if title == "" { // refused before its article was built
				title = plainTitle(it.Title)
			}
			pf.skip(1, fmt.Sprintf("item %d %.60q: %s", i+1, title, problem))
			continue
		}
		if !m.Match(item.Article.Title, text) {
			filtered++
			continue
		}
		pf.Items = append(pf.Items, item)
	}
	return pf, filtered
}

func (pf *ParsedFeed) skip(n int, why string) {
	pf.Skipped += n
	if len(pf.Problems) < maxProblems {
		pf.Problems = append(pf.Problems, why)
	}
}

// mapItem builds the article of one item and returns its content's plain
// text for the rules (only when needText: it is a full pass over the
// content, and most sources have no rules), or why the item is unusable.
func mapItem(f *gofeed.Feed, it *gofeed.Item, ji *json.Item, src *feedrelay.Source, feedURL *url.URL,
	link, id string, policy *sanitize.Policy, now time.Time, needText bool) (Item, string, string) {
	base := feedURL
	if link != "" {
		base, _ = url.Parse(link)
	}
	// JSON Feed's summary and content_text are plain text; the rest is HTML.
	raw := it.Content
	if ji != nil && ji.ContentHTML == "" {
		raw = textHTML(ji.ContentText)
	}
	fromDesc := strings.TrimSpace(raw) == ""
	if fromDesc {
		if raw = it.Description; ji != nil {
			raw = textHTML(it.Description)
		}
	}
	if len(raw) > MaxItemHTML || len(it.Description) > MaxItemHTML {
		// Sanitizing costs far more than the bytes for markup-dense input
		// (a million nested tags took seconds and 100+ MB); no article is
		// this big, and the article limit is 4 MiB after sanitizing anyway.
		return Item{}, "", fmt.Sprintf("content of %d bytes, more than the %d feedrelay reads per item", max(len(raw), len(it.Description)), MaxItemHTML)
	}
	content := strings.TrimSpace(sanitize.ResolveURLs(policy.HTML(raw), base))
	var text string
	if needText {
		text = sanitize.PlainText(content)
	}
	// sanitize.Summary stops reading once it has enough text, which
	// PlainText followed by Truncate would not.
	summary := sanitize.Summary(content, posts.SummaryLen)
	if !fromDesc {
		desc := sanitize.PlainText(it.Description)
		if ji != nil {
			desc = strings.Join(strings.Fields(it.Description), " ")
		}
		if desc != "" && utf8.RuneCountInString(desc) <= maxDescSummary {
			if !needText {
				text = sanitize.PlainText(content)
			}
			if desc != text {
				summary = desc
			}
		}
	}

	title := plainTitle(it.Title)
	if title == "" { // the summary's first words, else the link
		title = cmp.Or(sanitize.Truncate(summary, 80), link)
	}
	if utf8.RuneCountInString(title) > feedrelay.MaxTitleLen {
		title = sanitize.Truncate(title, feedrelay.MaxTitleLen-1)
	}
	if title == "" {
		return Item{}, "", "no title, text or link"
	}

	key := ItemKey(src.ID, id)
	a := feedrelay.Article{
		Key: key, GUID: feedrelay.GUIDForKey(key), Title: title, Author: authors(f, it),
		Summary: summary, ContentHTML: content, Link: link,
		Categories: categories(src, it.Categories),
	}
	a.Image, a.Thumbnail = images(it, base, content)
	pub, upd, dated := dates(it, now)
	a.Published, a.Updated = pub, upd
	return Item{Identity: id, Dated: dated, Article: a}, text, ""
}

// itemLink is the item's first link that resolves to absolute http(s). An
// RSS guid that is an http(s) URL is a permalink (isPermaLink defaults to
// true), so it stands in for a missing <link>.
func itemLink(feedType string, it *gofeed.Item, feedURL *url.URL) string {
	if l := absHTTP(feedURL, append([]string{it.Link}, it.Links...)...); l != "" || feedType != "rss" {
		return l
	}
	return absHTTP(nil, it.GUID)
}

func identity(it *gofeed.Item, link string) string {
	if g := strings.TrimSpace(it.GUID); g != "" {
		return "guid:" + g
	}
	if link != "" {
		return "link:" + link
	}
	title, date := strings.TrimSpace(it.Title), strings.TrimSpace(it.Published)
	if date == "" {
		date = strings.TrimSpace(it.Updated)
	}
	basis := title + "\x00" + date
	if title == "" && date == "" { // all such items would collide; the content tells them apart
		basis += "\x00" + it.Content + "\x00" + it.Description
	}
	sum := sha256.Sum256([]byte(basis))
	return "hash:" + hex.EncodeToString(sum[:])
}

// dates returns Published and Updated. A date outside the years storage
// accepts counts as missing; one that is present but unparseable too.
func dates(it *gofeed.Item, now time.Time) (pub, upd time.Time, dated bool) {
	ok := func(t *time.Time) bool { return t != nil && t.Year() >= 1800 && t.Year() < 2200 }
	switch {
	case ok(it.PublishedParsed):
		pub, upd = withZone(*it.PublishedParsed, it.Published), time.Time{}
		if ok(it.UpdatedParsed) && it.UpdatedParsed.After(pub) {
			upd = withZone(*it.UpdatedParsed, it.Updated)
		}
	case ok(it.UpdatedParsed):
		pub = withZone(*it.UpdatedParsed, it.Updated)
	default:
		return now, time.Time{}, false
	}
	if upd.IsZero() {
		upd = pub // as posts do: a missing updated is the published time
	}
	return pub, upd, true
}

// withZone gives t, which gofeed normalized to UTC (RSS pubDate, Atom),
// the offset written in raw: the wall clock it names minus the instant.
// That also reads named zones ("EST") the way gofeed did.
func withZone(t time.Time, raw string) time.Time {
	if t.Location() != time.UTC {
		return t
	}
	for _, layout := range []string{time.RFC3339, time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST"} {
		w, err := time.Parse(layout, strings.TrimSpace(raw))
		if err != nil {
			continue
		}
		off := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), time.UTC).Sub(t)
		if off != 0 && off%(15*time.Minute) == 0 && off.Abs() <= 14*time.Hour {
			name, _ := w.Zone()
			return t.In(time.FixedZone(name, int(off.Seconds())))
		}
		break
	}
	return t
}

// authors joins the item's author names, else the feed's (Atom and JSON
// Feed entries inherit them; an RSS channel's managingEditor is no author).
func authors(f *gofeed.Feed, it *gofeed.Item) string {
	list := it.Authors
	if len(list) == 0 && it.Author != nil {
		list = []*gofeed.Person{it.Author}
	}
	if len(list) == 0 && f.FeedType != "rss" {
		list = f.Authors
	}
	var names []string
	for _, p := range list {
		if p != nil && plainTitle(p.Name) != "" && !slices.Contains(names, plainTitle(p.Name)) {
			names = append(names, plainTitle(p.Name))
		}
	}
	return sanitize.Truncate(strings.Join(names, ", "), 200)
}

// categories files the item under the source's categories and, with
// ItemCategories, each of its own below the source's first one (or at the
// root); unusable names are skipped and the total is capped.
func categories(src *feedrelay.Source, itemCats []string) []feedrelay.CategoryPath {
	var out []feedrelay.CategoryPath
	seen := map[string]bool{}
	add := func(p feedrelay.CategoryPath) {
		k := strings.Join(p, "\x00")
		if len(out) < feedrelay.MaxCategories && !seen[k] && p.Validate() == nil {
			seen[k] = true
			out = append(out, p)
		}
	}
	for _, c := range src.Categories {
		add(slices.Clone(c))
	}
	if !src.ItemCategories {
		return out
	}
	var parent feedrelay.CategoryPath
	if len(src.Categories) > 0 {
		parent = src.Categories[0]
	}
	for _, name := range itemCats {
		if name = plainTitle(name); name != "" {
			add(append(slices.Clone(parent), name))
		}
	}
	return out
}
