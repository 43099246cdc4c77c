package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay"
	"github.com/feedrelay/feedrelay/safehttp"
	"github.com/feedrelay/feedrelay/storage"
)

const relaysUsage = `feedrelay relays manages the chat groups and webhooks new articles are pushed to.

Usage:
  feedrelay relays add NAME --platform P --url URL [flags]  add a group robot or webhook
  feedrelay relays list [--json]                           every target with its delivery counts
  feedrelay relays test NAME|ID                            send a sample message now
  feedrelay relays enable|disable NAME|ID                  switch a target on or off
  feedrelay relays retry NAME|ID                           restart a stopped target, revive dead deliveries
  feedrelay relays remove NAME|ID                          delete a target and its queue

Platforms: wecom, dingtalk, feishu, slack, telegram, discord, webhook.
Secrets (webhook URLs with keys, --secret, --bot-token) are never printed in
full. Run "feedrelay relays COMMAND --help" for a command's flags.
`

// relayEnv is what every relays command opens.
type relayEnv struct{ *storeFlags }

func relayFlags(fs *flagSet, outbound bool) *relayEnv {
	return &relayEnv{addStoreFlags(fs, outbound, "public URL of the server; links in messages start with it")}
}

func (e *relayEnv) open(ctx context.Context) (*storage.Store, *relay.Service, error) {
	store, err := storage.Open(ctx, *e.db)
	if err != nil {
		return nil, nil, fmt.Errorf("open database %s: %w", *e.db, err)
	}
	var client *safehttp.Client
	if e.ob != nil {
		client = e.ob.client()
	}
	return store, relayService(store, client, *e.baseURL, nil), nil
}

func runRelays(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmds := map[string]func([]string) error{
		"add":  func(a []string) error { return relaysAdd(ctx, a, stdout, stderr) },
		"list": func(a []string) error { return relaysList(ctx, a, stdout, stderr) },
	}
	for _, name := range []string{"remove", "enable", "disable", "test", "retry"} {
		cmds[name] = func(a []string) error { return relaysOne(ctx, name, a, stdout, stderr) }
	}
	return subcommands("relays", relaysUsage, cmds, args, stdout, stderr)
}

func relaysAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCmd("relays add", "relays add NAME --platform P --url URL [flags]", `The webhook URL, --secret and --bot-token are secrets: anything on the
command line is visible to other users in ps, so prefer their environment
twins (FEEDRELAY_URL, FEEDRELAY_SECRET, FEEDRELAY_BOT_TOKEN).

Examples:
  feedrelay relays add 产品群 --platform wecom --url 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…' --category 新闻
  FEEDRELAY_SECRET=SEC… feedrelay relays add 研发群 --platform dingtalk --url 'https://oapi.dingtalk.com/robot/send?access_token=…' --style digest
  FEEDRELAY_BOT_TOKEN=123:ABC… feedrelay relays add channel --platform telegram --chat-id @mychannel --category "技术 > Go"
`, stderr)
	env := relayFlags(fs, false)
	platform := fs.String("platform", "", "one of "+strings.Join(feedrelay.Platforms, ", "))
	webhook := secretVar(fs, "url", "the robot's webhook URL (telegram: Bot API base URL, default https://api.telegram.org)")
	secret := secretVar(fs, "secret", "signing secret (dingtalk 加签, feishu 签名校验, webhook HMAC)")
	botToken := secretVar(fs, "bot-token", "telegram bot token from @BotFather")
	chatID := fs.String("chat-id", "", "telegram chat: -100… for groups, or @channelname")
	cats := listVar(fs, "category", "comma", ",", `send only articles in (or below) this category ("A > B"); none: every article`)
	inc := listVar(fs, "include", "newline", "\n", "send only articles matching a rule: a keyword, or /regexp/")
	exc := listVar(fs, "exclude", "newline", "\n", "never send articles matching this rule")
	style := fs.String("style", feedrelay.StyleSingle, "single (a message per article) or digest (several per message)")
	digestMax := fs.Int("digest-max", 0, "articles per digest message (0: as many as the platform allows)")
	format := fs.String("format", "", "message type: wecom news|markdown, dingtalk link|markdown|feedcard, feishu post|interactive, telegram message|photo")
	rate := fs.Int("rate", 0, "messages per minute (0: the platform's documented limit, -1: unlimited)")
	burst := fs.Int("burst", 0, "messages sent back to back before pacing starts (0: platform default)")
	budget := fs.Duration("retry-budget", feedrelay.DefaultRetryBudget, "how long a failing delivery is retried before it is dead")
	disabled := fs.Bool("disabled", false, "save the target switched off")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 1, 1, "one target name"); err != nil {
		return err
	}
	paths, err := parseCategories(cats.vals)
	if err != nil {
		return err
	}
	store, svc, err := env.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	t, err := svc.AddTarget(ctx, feedrelay.RelayTarget{Name: pos[0], Platform: strings.ToLower(strings.TrimSpace(*platform)),
		URL: webhook(), BotToken: botToken(), ChatID: *chatID, Secret: secret(), Categories: paths,
		Rules: feedrelay.Rules{Include: inc.vals, Exclude: exc.vals}, Style: *style, DigestMax: *digestMax,
		Format: *format, RatePerMinute: float64(*rate), Burst: *burst, RetryBudget: *budget, Enabled: !*disabled})
	if err != nil {
		return scrubErr(feedrelay.RelayTarget{URL: webhook(), BotToken: botToken(), Secret: secret()}, err)
	}
	fmt.Fprint(stdout, "added ")
	printTarget(stdout, t)
	fmt.Fprintf(stdout, "Run \"feedrelay relays test %s\" to send a sample message.\n", t.Name)
	return nil
}

func relaysList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCmd("relays list", "relays list [--json]", "Examples:\n  feedrelay relays list\n  feedrelay relays list --json\n", stderr)
	env := relayFlags(fs, false)
	asJSON := fs.Bool("json", false, "print JSON instead of a table (secrets masked)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 0, 0, "no arguments"); err != nil {
		return err
	}
	store, svc, err := env.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	list, err := svc.Targets(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]targetView, len(list))
		for i, t := range list {
			out[i] = targetJSON(t)
		}
		return writeJSON(stdout, out)
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, `no relay targets yet; add one with "feedrelay relays add NAME --platform P --url URL"`)
		return nil
	}
	printTargets(stdout, list, time.Now())
	return nil
}

var oneHelp = map[string]string{
	"remove":  "deletes the target and every delivery queued for it.",
	"enable":  "switches the target on: new articles are queued for it again.",
	"disable": "switches the target off: no new articles are queued for it, nothing is sent.",
	"test":    "sends a sample message now, outside the queue, and prints the platform's answer;\nexits 1 unless the platform accepted it.",
	"retry":   "restarts a target the worker stopped (bad key, chat not found) and puts its\ndead deliveries back in the queue; a running server sends them on its next pass.",
}

// relaysOne runs the commands that act on one target.
func relaysOne(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) error {
	fs := newCmd("relays "+cmd, "relays "+cmd+" NAME|ID", "relays "+cmd+" "+oneHelp[cmd]+"\n\nExamples:\n  feedrelay relays "+cmd+" 产品群\n  feedrelay relays "+cmd+" 2\n", stderr)
	env := relayFlags(fs, cmd == "test")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 1, 1, "one target name or ID"); err != nil {
		return err
	}
	store, svc, err := env.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	t, err := findTarget(ctx, svc, pos[0])
	if err != nil {
		return err
	}
	switch cmd {
	case "remove":
		if err := svc.RemoveTarget(ctx, t.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "removed relay target %d %q and its %d queued deliveries\n", t.ID, t.Name, t.State.Pending+t.State.Dead)
	case "enable", "disable":
		if err := svc.SetEnabled(ctx, t.ID, cmd == "enable"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "relay target %d %q %sd\n", t.ID, t.Name, cmd)
		if cmd == "enable" && t.State.DisabledReason != "" {
			fmt.Fprintf(stdout, "it is still stopped (%s); \"feedrelay relays retry %s\" restarts it\n", t.Scrub(t.State.DisabledReason), t.Name)
		}
	case "retry":
		n, err := svc.Retry(ctx, t.ID)
		if err != nil {
			return err
		}
		was := "was not stopped"
		if t.State.DisabledReason != "" {
			was = "restarted (it was stopped: " + t.Scrub(t.State.DisabledReason) + ")"
		}
		fmt.Fprintf(stdout, "relay target %d %q %s; revived %d dead deliveries\n", t.ID, t.Name, was, n)
	case "test":
		return relaysTest(ctx, svc, t, stdout, stderr)
	}
	return nil
}

func relaysTest(ctx context.Context, svc *relay.Service, t feedrelay.RelayTarget, stdout, stderr io.Writer) error {
	res, err := svc.Test(ctx, t.ID)
	if err != nil {
		return scrubErr(t, err)
	}
	verdict := "delivered"
	if !res.Delivered {
		verdict = "NOT delivered"
	}
	fmt.Fprintf(stdout, "relay target %d %q (%s): %s in %s\n", t.ID, t.Name, t.Platform, verdict, res.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(stdout, "  outcome:  %s\n  platform: %s\n", res.Outcome, dash(t.Scrub(res.Message)))
	if res.RetryAfter > 0 {
		fmt.Fprintf(stdout, "  retry after: %s\n", res.RetryAfter.Round(time.Second))
	}
	if !res.Delivered {
		fmt.Fprintf(stderr, "feedrelay relays test: %s did not accept the message (%s)\n", t.Platform, res.Outcome)
		return errSomeFailed
	}
	return nil
}

// findTarget resolves NAME|ID: a number is tried as an ID first, then as a name.
func findTarget(ctx context.Context, svc *relay.Service, ref string) (feedrelay.RelayTarget, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		t, err := svc.Target(ctx, id, "")
		if err == nil || !errors.Is(err, feedrelay.ErrNotFound) {
			return t, err
		}
	}
	t, err := svc.Target(ctx, 0, ref)
	return t, notFound(err, fmt.Sprintf("relay target named %q", ref))
}
