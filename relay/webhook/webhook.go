// Package webhook delivers articles to any HTTP receiver as Standard Webhooks (https://www.standardwebhooks.com/): a signed JSON event carrying the article as a JSON Feed 1.1 item.
//
// One article is an "article.created" event:
//
//	{"type": "article.created",
//	 "timestamp": "2026-03-01T12:00:00Z",        // when it was built (RFC 3339)
//	 "data": {"delivery_id": "fr-delivery-42",  // = webhook-id
//	          "item": {…},                      // JSON Feed 1.1 item, see below
//	          "categories": [["Tech", "AI"]],   // each path root to leaf; [] for none
//	          "source": {"title": …, "url": …}  // upstream feed; null for our own articles
//	 }}
//
// A digest is an "article.digest" event (Standard Webhooks asks for one
// schema per event type), whose data is {"items": [<data as above>, …]}.
//
// The item follows the feeds package's JSON Feed: id (the article's GUID,
// which never changes), url, title, content_html (or content_text when
// there is no content), summary, image, date_published, date_modified
// (RFC 3339), authors [{name}], tags (category names, then tags), and
// "_feedrelay": {source_title, source_url, original_link,
// original_author} for re-syndicated articles.
//
// Headers: webhook-id is the delivery id, or for a digest "fr-digest-"
// and a hash of its sorted delivery ids; either stays the same across
// retries, so receivers can drop duplicates. webhook-timestamp is the
// attempt's Unix time; webhook-signature is "v1," and the base64
// HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>" (see Sign),
// sent only when the target has a secret.
package webhook

import "github.com/feedrelay/feedrelay/relay/platform"

// maxItems bounds a digest: Standard Webhooks recommends payloads "smaller
// than 20kb", and each item carries its whole content_html.
const maxItems = 10

type formatter struct{}

// New returns the Standard Webhooks formatter.
func New() platform.Formatter { return formatter{} }

func (formatter) MaxItems() int { return maxItems }

// DefaultRate is generous: the receiver sets the pace (and says so with
// 429 and Retry-After); 10 a second keeps a burst of new articles from
// landing all at once.
func (formatter) DefaultRate() (perMinute float64, burst int) { return 600, 10 }
