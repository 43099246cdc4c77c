// Package discord formats articles as Discord webhook executions (one embed per article, mentions disabled) and reads Discord's answers and rate-limit headers.
package discord

import "github.com/feedrelay/feedrelay/relay/platform"

// maxItems is Discord's limit of 10 embeds per message
// (https://discord.com/developers/docs/resources/webhook#execute-webhook).
const maxItems = 10

type formatter struct{}

// New returns the Discord webhook formatter.
func New() platform.Formatter { return formatter{} }

func (formatter) MaxItems() int { return maxItems }

// DefaultRate is a guess: Discord says "rate limits should not be hard
// coded into your app" and to read the X-RateLimit-* headers
// (https://discord.com/developers/docs/topics/rate-limits), which
// Interpret turns into Outcome.Pause. A Discord engineer gave webhook
// executions 5 requests per 2 s and 30 messages a minute per channel
// (https://github.com/discord/discord-api-docs/issues/367), so 30 a
// minute with a burst of 5 stays inside both.
func (formatter) DefaultRate() (perMinute float64, burst int) { return 30, 5 }
