// Package telegram formats articles as Telegram Bot API sendMessage and sendPhoto requests in Telegram's HTML parse mode and reads the Bot API's answers.
package telegram

import "github.com/feedrelay/feedrelay/relay/platform"

// maxItems is how many articles a digest lists in one message.
const maxItems = 10

type formatter struct{}

// New returns the Telegram Bot API formatter.
func New() platform.Formatter { return formatter{} }

func (formatter) MaxItems() int { return maxItems }

// DefaultRate stays under both limits of the Bot FAQ
// (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
// "avoid sending more than one message per second" in a chat, and "not
// be able to send more than 20 messages per minute to the same group"
// (which @BotSupport says holds for channels too): 18 a minute, no burst.
func (formatter) DefaultRate() (perMinute float64, burst int) { return 18, 1 }
