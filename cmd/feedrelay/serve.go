package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/feedrelay/feedrelay/handlers"
	"github.com/feedrelay/feedrelay/ingest"
	"github.com/feedrelay/feedrelay/posts"
	"github.com/feedrelay/feedrelay/relay"
	"github.com/feedrelay/feedrelay/sanitize"
	"github.com/feedrelay/feedrelay/storage"
)

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [flags]", stderr)
	addr := fs.String("addr", ":8080", "address to listen on")
	db := fs.String("db", "./feedrelay.db", "SQLite database file (created if missing)")
	baseURL := fs.String("base-url", "http://localhost:8080", "public absolute URL of this server; every link in feeds starts with it")
	token := fs.String("admin-token", "", "bearer token of the write API; empty turns the write API off")
	title := fs.String("site-title", "feedrelay", "title of the site and its feeds")
	desc := fs.String("site-description", "", "description of the site's feeds")
	lang := fs.String("language", "", "language of the feeds, e.g. zh-CN (optional)")
	maxAge := fs.Duration("cache-max-age", 300*time.Second, "Cache-Control max-age of feed responses")
	limit := fs.Int("feed-limit", 50, "items per feed when ?limit is not given")
	maxLimit := fs.Int("max-feed-limit", 200, "largest ?limit honoured")
	maxBody := fs.Int("max-body-bytes", 1<<20, "largest accepted write API request body")
	cacheMB := fs.Int("feed-cache-mb", 32, "memory budget of the rendered-feed cache, in MiB")
	memMB := fs.Int("memory-limit-mb", 100, "soft limit of the Go heap in MiB (0: none; GOMEMLIMIT, when set, wins)")
	shutdown := fs.Duration("shutdown-timeout", 15*time.Second, "how long in-flight requests may take to finish on SIGINT/SIGTERM")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	logFormat := fs.String("log-format", "text", "text or json")
	ob := addOutboundFlags(fs, baseURL)
	pollers := fs.Int("poll-concurrency", 8, "upstream polls at once")
	perHost := fs.Int("poll-per-host", 2, "upstream polls at once per host (politeness)")
	relayConc := fs.Int("relay-concurrency", 32, "relay messages in flight at once (one at a time per target); slots waiting on a hanging platform are cheap, so there are many")
	relayTimeout := fs.Duration("relay-timeout", 10*time.Second, "total time one relay message may take (chat platforms answer in well under a second)")
	var imports multiFlag
	fs.Var(&imports, "import", "import posts from this file or directory before serving (repeatable; FEEDRELAY_IMPORT, comma-separated)")
	pf := addPostFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	// As for every flag, the command line wins: the environment's list is
	// used only when no --import was given.
	if v, ok := fs.env("import"); ok && v != "" && len(imports) == 0 {
		imports = strings.Split(v, ",")
	}
	if *cacheMB < 1 {
		fmt.Fprintf(stderr, "feedrelay serve: --feed-cache-mb must be at least 1, not %d\n", *cacheMB)
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "feedrelay serve: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	log, err := newLogger(stderr, *logLevel, *logFormat)
	if err != nil {
		return err
	}
	// Go's collector lets the heap grow to twice what is live before it
	// runs; rendering big feeds makes short-lived garbage, so without a
	// soft limit the process sits far above what it needs.
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && *memMB > 0 {
		debug.SetMemoryLimit(int64(*memMB) << 20)
	}
	policy := sanitize.New()
	parser, err := pf.parser(policy)
	if err != nil {
		return err
	}

	store, err := storage.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("close database", "err", err)
		} else {
			log.Info("database closed", "db", *db)
		}
	}()
	if len(imports) > 0 {
		sum := posts.Import(ctx, store, parser, imports, stderr)
		log.Info("imported posts", "paths", strings.Join(imports, ","), "summary", sum.String())
	}

	// The server, the poller and the relay worker learn about each other's
	// writes through these hooks: new upstream items refresh the feed
	// caches at once and wake the relay worker; API writes wake it too.
	client := ob.client()
	relayClient := ob.clientWithTimeout(*relayTimeout)
	var srv *handlers.Server
	worker := relay.NewWorker(store, relayClient, relay.Formatters(), relay.Options{
		Concurrency: *relayConc, BaseURL: *baseURL, Logger: log.With("worker", "relay")})
	onStored := func() {
		if err := srv.Refresh(ctx); err != nil {
			log.Warn("refresh after poll", "err", err)
		}
		worker.Notify()
	}
	sources, poller := sourceService(store, client, policy, ingest.Options{
		Concurrency: *pollers, PerHost: *perHost, OnStored: onStored, Logger: log.With("worker", "ingest")})
	srv, err = handlers.New(ctx, handlers.Config{
		BaseURL: *baseURL, SiteTitle: *title, SiteDescription: *desc, Language: *lang,
		CacheMaxAge: *maxAge, DefaultLimit: *limit, MaxLimit: *maxLimit, AdminToken: *token,
		MaxBodyBytes: int64(*maxBody), CacheBytes: int64(*cacheMB) << 20, Version: version, Logger: log,
		Sources: sources, Relays: relayService(store, relayClient, *baseURL, worker.Notify),
		OnWrite: worker.Notify,
	}, store, policy)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	httpSrv := srv.NewHTTPServer(handlers.HTTPServerOptions{
		ReadTimeout:  30 * time.Second,
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  120 * time.Second,
		// Per connection, so kept modest: thousands of pollers hold connections
		// open; 16 KiB of request line and headers is plenty for a feed client.
		MaxHeaderBytes: 16 << 10,
	})
	workers, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { srv.Run(workers) })
	wg.Go(func() { poller.Run(workers) })
	wg.Go(func() { worker.Run(workers) })

	log.Info("serving", "addr", ln.Addr().String(), "base_url", *baseURL, "db", *db, "write_api", *token != "")
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()

	// Shutdown order: stop accepting and let in-flight requests finish
	// (bounded), then stop the workers, then close the store (deferred).
	var serveErr error
	select {
	case serveErr = <-errc:
	case <-ctx.Done():
		log.Info("shutting down", "timeout", shutdown.String())
		sctx, cancel := context.WithTimeout(context.Background(), *shutdown)
		serveErr = httpSrv.ShutdownWithContext(sctx)
		cancel()
	}
	stopWorkers()
	wg.Wait()
	if serveErr != nil {
		return fmt.Errorf("serve: %w", serveErr)
	}
	return nil
}
