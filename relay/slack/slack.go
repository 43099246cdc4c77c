// Package slack formats articles as Slack incoming-webhook messages (Block Kit blocks with a text fallback) and reads Slack's answers.
package slack

import "github.com/feedrelay/feedrelay/relay/platform"

// maxItems is how many articles a digest carries: three blocks each
// (section, context, divider) keeps ten well under Slack's 50 blocks.
const maxItems = 10

type formatter struct{}

// New returns the Slack incoming-webhook formatter.
func New() platform.Formatter { return formatter{} }

func (formatter) MaxItems() int { return maxItems }

// DefaultRate is one message a second with small bursts: Slack's rate-limit
// table says "Posting messages: 1 per second. Short bursts >1 allowed"
// (https://docs.slack.dev/apis/web-api/rate-limits), and incoming webhooks
// fall under it (relay-platforms.md section 4).
func (formatter) DefaultRate() (perMinute float64, burst int) { return 60, 3 }
