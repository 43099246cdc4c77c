package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/ingest"
	"github.com/feedrelay/feedrelay/safehttp"
	"github.com/feedrelay/feedrelay/sanitize"
	"github.com/feedrelay/feedrelay/storage"
)

const sourcesUsage = `feedrelay sources manages the upstream feeds feedrelay polls and re-syndicates.

Usage:
  feedrelay sources add URL --category NAME [flags]   check that URL is a feed, save it, store its items
  feedrelay sources list [--json]                     every source with its poll state
  feedrelay sources remove ID [--purge]               delete a source (--purge: and its articles)
  feedrelay sources fetch [ID]                        poll one source, or every enabled one, now
  feedrelay sources import FILE.opml [flags]          add the feeds of an OPML subscription list
  feedrelay sources export > FILE.opml                write every source as OPML 2.0

Categories are written root first with ">" between levels: --category "技术 > Go"
files under 技术 and its child Go; --category 新闻 is one top-level category.
Run "feedrelay sources COMMAND --help" for a command's flags.
`

// sourceEnv is what every sources command opens.
type sourceEnv struct{ *storeFlags }

func sourceFlags(fs *flagSet, outbound bool) *sourceEnv {
	return &sourceEnv{addStoreFlags(fs, outbound, "public URL of the server (named in the User-Agent of polls)")}
}

func (e *sourceEnv) open(ctx context.Context) (*storage.Store, *ingest.Service, *ingest.Poller, error) {
	store, err := storage.Open(ctx, *e.db)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open database %s: %w", *e.db, err)
	}
	var client *safehttp.Client
	if e.ob != nil {
		client = e.ob.client()
	}
	svc, poller := sourceService(store, client, sanitize.New(), ingest.Options{Logger: discardLogger()})
	return store, svc, poller, nil
}

func runSources(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return subcommands("sources", sourcesUsage, map[string]func([]string) error{
		"add":    func(a []string) error { return sourcesAdd(ctx, a, stdout, stderr) },
		"list":   func(a []string) error { return sourcesList(ctx, a, stdout, stderr) },
		"remove": func(a []string) error { return sourcesRemove(ctx, a, stdout, stderr) },
		"fetch":  func(a []string) error { return sourcesFetch(ctx, a, stdout, stderr) },
		"import": func(a []string) error { return sourcesImport(ctx, a, stdout, stderr) },
		"export": func(a []string) error { return sourcesExport(ctx, a, stdout, stderr) },
	}, args, stdout, stderr)
}

func sourcesAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCmd("sources add", "sources add URL [--category NAME]... [flags]", `The URL is fetched once (also with --disabled): an HTML page, an HTTP error,
a timeout, or a body feedrelay will not parse (more than 10,000 items,
elements nested more than 256 deep) is refused with the reason and nothing
is saved. Its current items are stored at once (the newest 1,000 at most).
Without --category, items appear only in the all-articles feeds.

Examples:
  feedrelay sources add https://go.dev/blog/feed.atom --category "技术 > Go"
  feedrelay sources add https://sspai.com/feed --category 新闻 --every 15m --exclude 广告
  feedrelay sources add https://news.ycombinator.com/rss --include '/\b(go|rust)\b/i'
`, stderr)
	env := sourceFlags(fs, true)
	cats := listVar(fs, "category", "comma", ",", `file its items under this category; levels root first, separated by ">": "技术 > Go"`)
	title := fs.String("title", "", "title shown in attribution instead of the feed's own")
	interval := fs.Duration("every", feedrelay.DefaultPollInterval, "poll interval, 1m to 168h")
	itemCats := fs.Bool("item-categories", false, "also file each item under its own categories (below the first --category)")
	inc := listVar(fs, "include", "newline", "\n", "keep only items matching a rule: a keyword, or /regexp/ (/regexp/i ignores case)")
	exc := listVar(fs, "exclude", "newline", "\n", "drop items matching this rule")
	disabled := fs.Bool("disabled", false, "save the source switched off: checked once now, not polled")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 1, 1, "one feed URL"); err != nil {
		return err
	}
	paths, err := parseCategories(cats.vals)
	if err != nil {
		return err
	}
	store, svc, _, err := env.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	src := feedrelay.Source{URL: pos[0], Title: *title, Categories: paths, ItemCategories: *itemCats,
		Interval: *interval, Enabled: !*disabled, Rules: feedrelay.Rules{Include: inc.vals, Exclude: exc.vals}}
	added, res, err := svc.AddSource(ctx, src)
	if err != nil {
		return addHint(err, *env.ob.timeout)
	}
	fmt.Fprintf(stdout, "added source %d: %s\n  url:        %s\n", added.ID, added.DisplayTitle(), added.URL)
	if len(added.Categories) > 0 {
		fmt.Fprintf(stdout, "  categories: %s\n", categoriesText(added.Categories))
	}
	fmt.Fprintf(stdout, "  every:      %s\n", every(added.Interval))
	switch {
	case !added.Enabled:
		fmt.Fprintln(stdout, "  disabled: not polled until enabled")
	case res.Err != nil:
		fmt.Fprintf(stdout, "  first poll failed (the source is saved and will be retried): %v\n", res.Err)
	default:
		fmt.Fprintf(stdout, "  first poll: %s\n", pollCounts(res))
	}
	return nil
}

// addHint adds what to do about the common reasons a URL is refused.
func addHint(err error, timeout time.Duration) error {
	var te interface{ Timeout() bool }
	switch {
	case errors.Is(err, ingest.ErrNotFeed) && strings.Contains(err.Error(), "HTML page"):
		return fmt.Errorf("%w\n(give the URL of the feed itself: an HTML page usually links it as <link rel=\"alternate\" type=\"application/rss+xml\">)", err)
	case errors.Is(err, safehttp.ErrTimeout) || errors.As(err, &te) && te.Timeout():
		return fmt.Errorf("%w\n(timed out: raise --fetch-timeout, now %s, if the upstream is just slow)", err, timeout)
	case errors.Is(err, feedrelay.ErrConflict):
		return fmt.Errorf("%w: the URL is already a source (see feedrelay sources list)", err)
	}
	return err
}

func sourcesList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCmd("sources list", "sources list [--json]", "Examples:\n  feedrelay sources list\n  feedrelay sources list --json | jq '.[] | select(.failures > 0)'\n", stderr)
	env := sourceFlags(fs, false)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 0, 0, "no arguments"); err != nil {
		return err
	}
	store, svc, _, err := env.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	list, err := svc.Sources(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, sourcesJSON(list))
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, `no sources yet; add one with "feedrelay sources add URL --category NAME"`)
		return nil
	}
	printSources(stdout, list, time.Now())
	return nil
}

func sourcesRemove(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCmd("sources remove", "sources remove ID [--purge]", "Examples:\n  feedrelay sources remove 3\n  feedrelay sources remove 3 --purge\n", stderr)
	env := sourceFlags(fs, false)
	purge := fs.Bool("purge", false, "also delete the articles stored from the source (else they stay in the feeds)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 1, 1, "one source ID"); err != nil {
		return err
	}
	id, err := sourceID(fs, pos[0])
	if err != nil {
		return err
	}
	store, svc, _, err := env.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	src, err := svc.Source(ctx, id)
	if err != nil {
		return notFound(err, fmt.Sprintf("source with ID %d", id))
	}
	n, err := svc.RemoveSource(ctx, id, *purge)
	if err != nil {
		return err
	}
	if *purge {
		fmt.Fprintf(stdout, "removed source %d (%s) and deleted its %d articles\n", id, src.DisplayTitle(), n)
	} else {
		fmt.Fprintf(stdout, "removed source %d (%s); its %d articles stay in the feeds (--purge deletes them)\n", id, src.DisplayTitle(), src.State.ItemCount)
	}
	return nil
}

func sourceID(fs *flagSet, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		fmt.Fprintf(fs.Output(), "feedrelay %s: %q is not a source ID (the number in the ID column of sources list)\n", fs.Name(), s)
		return 0, errUsage
	}
	return id, nil
}

func sourcesFetch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCmd("sources fetch", "sources fetch [ID]", "Without ID every enabled source is polled, a few at a time.\n\nExamples:\n  feedrelay sources fetch\n  feedrelay sources fetch 3\n", stderr)
	env := sourceFlags(fs, true)
	workers := fs.Int("concurrency", 4, "polls at once when fetching every source")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 0, 1, "at most one source ID"); err != nil {
		return err
	}
	store, svc, poller, err := env.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	var list []feedrelay.Source
	if len(pos) == 1 {
		id, err := sourceID(fs, pos[0])
		if err != nil {
			return err
		}
		src, err := svc.Source(ctx, id)
		if err != nil {
			return notFound(err, fmt.Sprintf("source with ID %d", id))
		}
		list = append(list, src)
	} else {
		all, err := svc.Sources(ctx)
		if err != nil {
			return err
		}
		for _, s := range all {
			if s.Enabled {
				list = append(list, s)
			}
		}
		if len(list) == 0 {
			fmt.Fprintln(stdout, "no enabled sources to fetch")
			return nil
		}
	}
	results := make([]feedrelay.PollResult, len(list))
	sem := make(chan struct{}, max(1, *workers))
	var wg sync.WaitGroup
	for i := range list {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			results[i] = poller.Poll(ctx, list[i])
		})
	}
	wg.Wait()
	failed := 0
	for i, r := range results {
		fmt.Fprintf(stdout, "source %d %s: ", list[i].ID, list[i].DisplayTitle())
		if r.Err != nil {
			failed++
			fmt.Fprintf(stdout, "failed: %v\n", r.Err)
			continue
		}
		fmt.Fprintf(stdout, "HTTP %d, %s\n", r.Status, pollCounts(r))
		for j, a := range r.Created {
			if j == 10 {
				fmt.Fprintf(stdout, "  … and %d more\n", len(r.Created)-10)
				break
			}
			fmt.Fprintf(stdout, "  + %s\n", a.Title)
		}
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "feedrelay sources fetch: %d of %d sources failed\n", failed, len(list))
		return errSomeFailed
	}
	return nil
}
