package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/ingest"
)

func sourcesImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCmd("sources import", "sources import FILE.opml [flags]", `Reads an OPML 1.0 or 2.0 subscription list ("-" reads stdin). Folders become
category paths (Tech inside Reading: "Reading > Tech"), as does the OPML 2.0
category attribute. By default each feed is fetched once before it is saved,
exactly as sources add does, so a dead or non-feed URL is reported and
skipped; that takes up to --fetch-timeout per feed. --no-check saves every
URL without fetching it. Feeds already stored are skipped as duplicates.
Exits 1 if any feed could not be added.

Examples:
  feedrelay sources import feedly.opml
  feedrelay sources import --category 订阅 --every 1h --no-check subscriptions.opml
`, stderr)
	env := sourceFlags(fs, true)
	cats := listVar(fs, "category", "comma", ",", `also file every imported feed under this category ("A > B")`)
	interval := fs.Duration("every", feedrelay.DefaultPollInterval, "poll interval of the imported feeds, 1m to 168h")
	noCheck := fs.Bool("no-check", false, "save the feeds without fetching each once first")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 1, 1, "one OPML file"); err != nil {
		return err
	}
	extra, err := parseCategories(cats.vals)
	if err != nil {
		return err
	}
	f, err := openInput(pos[0])
	if err != nil {
		return err
	}
	list, err := ingest.ParseOPML(f)
	f.Close()
	var skipped *ingest.OPMLError
	if err != nil && !errors.As(err, &skipped) {
		return fmt.Errorf("read %s: %w", pos[0], err)
	}
	for i := range list {
		list[i].Interval = *interval
		for _, p := range extra {
			if !slices.ContainsFunc(list[i].Categories, func(c feedrelay.CategoryPath) bool { return slices.Equal(c, p) }) {
				list[i].Categories = append(list[i].Categories, p)
			}
		}
	}
	store, svc, _, err := env.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if !*noCheck && len(list) > 0 {
		fmt.Fprintf(stderr, "checking %d feeds (one fetch each; --no-check skips this)…\n", len(list))
	}
	res := svc.ImportSources(ctx, list, !*noCheck)
	for _, s := range res.Added {
		fmt.Fprintf(stdout, "added %d: %s  %s", s.ID, s.DisplayTitle(), s.URL)
		if len(s.Categories) > 0 {
			fmt.Fprintf(stdout, "  [%s]", categoriesText(s.Categories))
		}
		fmt.Fprintln(stdout)
	}
	failed := len(res.Failed)
	if skipped != nil {
		failed += len(skipped.Problems)
		for _, p := range skipped.Problems {
			fmt.Fprintf(stderr, "failed: %s: %s\n", pos[0], p)
		}
	}
	for _, e := range res.Failed {
		fmt.Fprintf(stderr, "failed: %v\n", e)
	}
	fmt.Fprintf(stdout, "added %d, duplicates skipped %d, failed %d\n", len(res.Added), res.Duplicates, failed)
	if failed > 0 {
		return errSomeFailed
	}
	return nil
}

func sourcesExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCmd("sources export", "sources export [--title T] > FILE.opml", `Writes every source as OPML 2.0: nested in folders of its first category,
with all its categories in the category attribute.

Examples:
  feedrelay sources export > subscriptions.opml
`, stderr)
	env := sourceFlags(fs, false)
	title := fs.String("title", "feedrelay sources", "title of the OPML document")
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
	return ingest.WriteOPML(stdout, *title, list, time.Now())
}

// openInput opens FILE, or stdin for "-".
func openInput(name string) (io.ReadCloser, error) {
	if strings.TrimSpace(name) == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	return os.Open(name)
}
