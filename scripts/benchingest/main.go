// Command benchingest measures upstream polling: it serves many local
// feeds (a separate process, -upstreams) with a fixed latency, then polls
// them all twice with the real poller (first full, then all 304) and once
// with a sequential gofeed loop as the same-run baseline.
//
// Loopback only and bounded: every listener is on 127.0.0.x, every phase
// has a deadline. Run it through scripts/bench-ingest.sh.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/ingest"
	"github.com/feedrelay/feedrelay/safehttp"
	"github.com/feedrelay/feedrelay/sanitize"
	"github.com/feedrelay/feedrelay/storage"
)

func main() {
	upstreams := flag.Bool("upstreams", false, "serve the upstream feeds (run as its own process)")
	hosts := flag.Int("hosts", 10, "loopback addresses to spread sources over (127.0.0.11…)")
	port := flag.Int("port", 18300, "port of every upstream listener")
	sources := flag.Int("sources", 1000, "sources to poll")
	items := flag.Int("items", 20, "items per feed")
	latency := flag.Duration("latency", 50*time.Millisecond, "how long each upstream waits before answering")
	conc := flag.Int("concurrency", 8, "poller concurrency")
	perHost := flag.Int("per-host", 2, "poller per-host concurrency")
	dir := flag.String("dir", os.TempDir(), "where the database goes")
	baseline := flag.Bool("baseline", true, "also run the sequential gofeed loop")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the polls here")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	var err error
	if *upstreams {
		err = serveUpstreams(*hosts, *port, *items, *latency)
	} else {
		err = bench(*hosts, *port, *sources, *conc, *perHost, *latency, *dir, *baseline)
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "benchingest:", err)
		os.Exit(1)
	}
}

func host(i int) string { return fmt.Sprintf("127.0.0.%d", 11+i) }

func feedURL(hosts, port, i int) string {
	return fmt.Sprintf("http://%s:%d/feed/%d.xml", host(i%hosts), port, i)
}

// serveUpstreams answers /feed/N.xml with an RSS feed of items seed-like
// items (ETag-aware: a matching If-None-Match gets 304) after latency, and
// /stats with the counts of 200s and 304s.
func serveUpstreams(hosts, port, items int, latency time.Duration) error {
	var ok, notMod atomic.Int64
	mux := http.NewServeMux()
	body := strings.Repeat("<p>智慧农业无人机在茶园里巡检，记录病虫害和土壤湿度，数据回传到合作社的平台。</p>", 12)
	mux.HandleFunc("/feed/", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(latency)
		id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/feed/"), ".xml")
		etag := `"` + id + `-v1"`
		if r.Header.Get("If-None-Match") == etag {
			notMod.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		ok.Add(1)
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed %s</title><link>http://up.example/%s/</link><description>bench</description>`, id, id)
		for j := range items {
			fmt.Fprintf(&b, `<item><title>第 %d 篇 · feed %s</title><link>http://up.example/%s/%d</link><guid>http://up.example/%s/%d</guid><pubDate>%s</pubDate><description><![CDATA[%s]]></description></item>`,
				j, id, id, j, id, j, time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC).Add(-time.Duration(j)*time.Hour).Format(time.RFC1123Z), body)
		}
		b.WriteString(`</channel></rss>`)
		io.WriteString(w, b.String())
	})
	mux.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]int64{"ok": ok.Load(), "not_modified": notMod.Load()})
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, hosts)
	for i := range hosts {
		ln, err := net.Listen("tcp", fmt.Sprintf("%s:%d", host(i), port))
		if err != nil {
			return err
		}
		go func() { errc <- srv.Serve(ln) }()
	}
	fmt.Println("ready")
	return <-errc
}

func bench(hosts, port, n, conc, perHost int, latency time.Duration, dir string, baseline bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	store, err := storage.Open(ctx, filepath.Join(dir, "bench-ingest.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	for i := range n {
		if _, err := store.CreateSource(ctx, feedrelay.Source{URL: feedURL(hosts, port, i), Enabled: true, Interval: time.Hour}); err != nil {
			return err
		}
	}
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	client := safehttp.New(safehttp.Options{AllowPrivate: true, Timeout: 30 * time.Second})
	p := ingest.NewPoller(store, client, sanitize.New(), ingest.Options{Concurrency: conc, PerHost: perHost, Now: now})
	ideal := time.Duration(n) * latency / time.Duration(conc)

	pass := func(name string) (time.Duration, error) {
		start := time.Now()
		started, err := p.PollDue(ctx)
		el := time.Since(start)
		if err != nil {
			return el, err
		}
		if started != n {
			return el, fmt.Errorf("%s: %d of %d sources polled", name, started, n)
		}
		return el, nil
	}
	first, err := pass("first")
	if err != nil {
		return err
	}
	count, _ := store.CountArticles(ctx)
	offset.Store(int64(2 * time.Hour)) // every source due again
	second, err := pass("second")
	if err != nil {
		return err
	}
	count2, _ := store.CountArticles(ctx)
	var up struct {
		OK          int64 `json:"ok"`
		NotModified int64 `json:"not_modified"`
	}
	if resp, err := http.Get(fmt.Sprintf("http://%s:%d/stats", host(0), port)); err == nil {
		json.NewDecoder(resp.Body).Decode(&up)
		resp.Body.Close()
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	failed := 0
	list, _ := store.Sources(ctx)
	for _, s := range list {
		if s.State.Failures > 0 {
			failed++
		}
	}
	fmt.Printf("sources=%d latency=%s concurrency=%d per_host=%d hosts=%d\n", n, latency, conc, perHost, hosts)
	fmt.Printf("ideal=%.3fs first=%.3fs (%.2fx ideal) second=%.3fs (%.2fx ideal)\n",
		ideal.Seconds(), first.Seconds(), first.Seconds()/ideal.Seconds(), second.Seconds(), second.Seconds()/ideal.Seconds())
	fmt.Printf("articles_after_first=%d articles_after_second=%d upstream_200s=%d upstream_304s=%d failed_sources=%d peak_rss_mb=%.1f\n",
		count, count2, up.OK, up.NotModified, failed, float64(ru.Maxrss)/1024)
	if up.NotModified != int64(n) || up.OK != int64(n) {
		return fmt.Errorf("upstreams answered %d 200s and %d 304s, want %d of each", up.OK, up.NotModified, n)
	}
	if baseline {
		start := time.Now()
		parser := gofeed.NewParser()
		hc := &http.Client{Timeout: 30 * time.Second}
		for i := range n {
			resp, err := hc.Get(feedURL(hosts, port, i))
			if err != nil {
				return err
			}
			_, err = parser.Parse(resp.Body)
			resp.Body.Close()
			if err != nil {
				return fmt.Errorf("baseline parse %d: %w", i, err)
			}
		}
		seq := time.Since(start)
		fmt.Printf("baseline_sequential_gofeed=%.3fs first_vs_baseline=%.3f second_vs_baseline=%.3f\n",
			seq.Seconds(), first.Seconds()/seq.Seconds(), second.Seconds()/seq.Seconds())
	}
	return nil
}
