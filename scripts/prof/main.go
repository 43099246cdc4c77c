// Command prof runs feedrelay's import or HTTP handler in-process under the
// CPU profiler, for finding where benchmark time goes.
//
//	go run ./scripts/prof import -db FILE -cpuprofile OUT PATH...
//	go run ./scripts/prof serve  -db FILE -addr 127.0.0.1:PORT -cpuprofile OUT [-duration 20s]
//	go run ./scripts/prof bare   -file GZ -etag TAG -addr 127.0.0.1:PORT [-duration 20s]
//
// bare is the floor for Go: a plain net/http handler (no router, no
// middleware) answering every GET with the given gzip bytes and the same
// headers feedrelay sends, or 304 when If-None-Match equals -etag. The load
// test runs it beside feedrelay to tell the cost of net/http itself from
// the cost of feedrelay's own code.
//
// serve profiles from start until -duration passes or SIGINT/SIGTERM, so a
// wrk run against it shows the serving hot path. It listens only on the
// address given; pass a loopback one.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"

	"github.com/feedrelay/feedrelay/handlers"
	"github.com/feedrelay/feedrelay/posts"
	"github.com/feedrelay/feedrelay/sanitize"
	"github.com/feedrelay/feedrelay/storage"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: prof import|serve [flags]")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "import":
		err = runImport(ctx, os.Args[2:])
	case "serve":
		err = runServe(ctx, os.Args[2:])
	case "bare":
		err = runBare(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "prof:", err)
		os.Exit(1)
	}
}

func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func runImport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ExitOnError)
	db := fs.String("db", "", "database file")
	cpu := fs.String("cpuprofile", "", "write a CPU profile here")
	fs.Parse(args)
	store, err := storage.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	parser := posts.NewParser(posts.Options{}, sanitize.New())
	stopProf, err := startProfile(*cpu)
	if err != nil {
		return err
	}
	start := time.Now()
	sum := posts.Import(ctx, store, parser, fs.Args(), os.Stderr)
	el := time.Since(start)
	stopProf()
	n := sum.Imported + sum.Updated + sum.Unchanged + sum.Failed
	fmt.Printf("%s in %s (%.0f posts/s)\n", sum, el.Round(time.Millisecond), float64(n)/el.Seconds())
	return nil
}

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	db := fs.String("db", "", "database file")
	addr := fs.String("addr", "127.0.0.1:18190", "loopback address to listen on")
	cpu := fs.String("cpuprofile", "", "write a CPU profile here")
	dur := fs.Duration("duration", 0, "stop after this long (0: on signal)")
	procs := fs.Int("procs", 0, "GOMAXPROCS (0: leave)")
	memprof := fs.String("memprofile", "", "write a heap profile here on exit, and print memory statistics")
	fs.Parse(args)
	if *procs > 0 {
		runtime.GOMAXPROCS(*procs)
	}
	store, err := storage.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	base := "http://" + *addr
	srv, err := handlers.New(ctx, handlers.Config{BaseURL: base,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}, store, sanitize.New())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// The transport feedrelay serve uses (fasthttp in front of echo).
	hs := srv.NewHTTPServer(handlers.HTTPServerOptions{ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10})
	go hs.Serve(ln)
	stopProf, err := startProfile(*cpu)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "prof: serving on", base)
	if *dur > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(*dur):
		}
	} else {
		<-ctx.Done()
	}
	stopProf()
	if *memprof != "" {
		if err := writeHeap(*memprof); err != nil {
			return err
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return hs.ShutdownWithContext(sctx)
}

// writeHeap writes a heap profile (after a GC, so it shows live memory) and
// prints the runtime's view of memory, to compare with VmRSS.
func writeHeap(path string) error {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mb := func(b uint64) float64 { return float64(b) / (1 << 20) }
	fmt.Fprintf(os.Stderr, "prof: before GC: HeapAlloc %.1f MB, HeapInuse %.1f MB, HeapSys %.1f MB, HeapReleased %.1f MB, Sys %.1f MB, NextGC %.1f MB, NumGC %d, TotalAlloc %.0f MB\n",
		mb(ms.HeapAlloc), mb(ms.HeapInuse), mb(ms.HeapSys), mb(ms.HeapReleased), mb(ms.Sys), mb(ms.NextGC), ms.NumGC, mb(ms.TotalAlloc))
	runtime.GC()
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(os.Stderr, "prof: after GC: HeapAlloc %.1f MB (live), HeapInuse %.1f MB\n", mb(ms.HeapAlloc), mb(ms.HeapInuse))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("heap").WriteTo(f, 0)
}

func runBare(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bare", flag.ExitOnError)
	file := fs.String("file", "", "gzip body to serve")
	etag := fs.String("etag", `"bare"`, "ETag to send and to answer 304 to")
	ctype := fs.String("content-type", "application/rss+xml; charset=utf-8", "Content-Type")
	addr := fs.String("addr", "127.0.0.1:18183", "loopback address to listen on")
	cpu := fs.String("cpuprofile", "", "write a CPU profile here")
	dur := fs.Duration("duration", 0, "stop after this long (0: on signal)")
	fs.Parse(args)
	body, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	lastMod := []string{time.Now().UTC().Format(http.TimeFormat)}
	h200 := map[string][]string{
		"Cache-Control": {"public, max-age=300"}, "Content-Encoding": {"gzip"},
		"Content-Length": {strconv.Itoa(len(body))}, "Content-Type": {*ctype},
		"Etag": {*etag}, "Last-Modified": lastMod, "Vary": {"Accept-Encoding"},
	}
	h304 := map[string][]string{
		"Cache-Control": {"public, max-age=300"}, "Etag": {*etag}, "Last-Modified": lastMod, "Vary": {"Accept-Encoding"},
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if r.Header.Get("If-None-Match") == *etag {
			for k, v := range h304 {
				h[k] = v
			}
			w.WriteHeader(http.StatusNotModified)
			return
		}
		for k, v := range h200 {
			h[k] = v
		}
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	go hs.Serve(ln)
	stopProf, err := startProfile(*cpu)
	if err != nil {
		return err
	}
	if *dur > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(*dur):
		}
	} else {
		<-ctx.Done()
	}
	stopProf()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}
