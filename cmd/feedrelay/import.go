package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime/debug"
	"time"

	"github.com/feedrelay/feedrelay/posts"
	"github.com/feedrelay/feedrelay/sanitize"
	"github.com/feedrelay/feedrelay/storage"
)

// postFlags are the post-reading settings shared by import and serve --import.
type postFlags struct {
	timezone       *string
	flatCategories *bool
	siteURL        *string
}

func addPostFlags(fs *flagSet) postFlags {
	return postFlags{
		timezone:       fs.String("timezone", "UTC", "IANA zone for post dates written without one, e.g. Asia/Shanghai"),
		flatCategories: fs.Bool("flat-categories", false, "read a plain categories list as sibling categories instead of one hierarchy"),
		siteURL:        fs.String("site-url", "", "where the posts were published (Hexo's url); relative links and images in them are resolved against it"),
	}
}

func (p postFlags) parser(policy *sanitize.Policy) (*posts.Parser, error) {
	loc, err := time.LoadLocation(*p.timezone)
	if err != nil {
		return nil, fmt.Errorf("--timezone %q: %w", *p.timezone, err)
	}
	opts := posts.Options{Location: loc, FlatCategories: *p.flatCategories}
	if *p.siteURL != "" {
		u, err := url.Parse(*p.siteURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("--site-url %q: want an absolute http(s) URL such as https://blog.example.com/", *p.siteURL)
		}
		opts.SiteURL = u
	}
	return posts.NewParser(opts, policy), nil
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "import [flags] PATH...", stderr)
	db := fs.String("db", "./feedrelay.db", "SQLite database file")
	pf := addPostFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "feedrelay import: name at least one post file or directory")
		fs.Usage()
		return errUsage
	}
	parser, err := pf.parser(sanitize.New())
	if err != nil {
		return err
	}
	store, err := storage.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	// An import allocates a post's worth of garbage per file while holding
	// only a bounded window of posts; collecting less often trades some
	// memory (a few hundred MB at most) for a tenth of the CPU time.
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
	sum := posts.Import(ctx, store, parser, fs.Args(), stderr)
	fmt.Fprintln(stdout, sum)
	if sum.Failed > 0 || ctx.Err() != nil {
		return errSomeFailed
	}
	return nil
}
