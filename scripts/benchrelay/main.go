// Command benchrelay measures relay delivery: many generic-webhook targets
// on one local receiver (a separate process, -receiver), rate limits
// lifted, a batch of new articles; it runs the real delivery worker until
// every delivery is acknowledged and reports deliveries per second and
// peak memory. The same-run baseline is a plain loop POSTing the same
// number of requests to the same receiver with the same concurrency and no
// store, so the ratio says what durability costs.
//
// Loopback only and bounded: the receiver listens on 127.0.0.1, every
// phase has a deadline. Run it through scripts/bench-relay.sh.
package main

import (
	"bytes"
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
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay"
	"github.com/feedrelay/feedrelay/safehttp"
	"github.com/feedrelay/feedrelay/storage"
)

func main() {
	receiver := flag.Bool("receiver", false, "run the webhook receiver (its own process)")
	addr := flag.String("addr", "127.0.0.1:18400", "receiver address")
	targets := flag.Int("targets", 1000, "relay targets")
	articles := flag.Int("articles", 100, "new articles")
	conc := flag.Int("concurrency", 32, "worker concurrency (serve's default)")
	dir := flag.String("dir", os.TempDir(), "where the database goes")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile here")
	flag.Parse()
	if *cpuProfile != "" {
		if f, err := os.Create(*cpuProfile); err == nil {
			pprof.StartCPUProfile(f)
		}
	}
	var err error
	if *receiver {
		err = serve(*addr)
	} else {
		err = bench(*addr, *targets, *articles, *conc, *dir)
	}
	pprof.StopCPUProfile()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchrelay:", err)
		os.Exit(1)
	}
}

// serve acknowledges every POST and counts them, and the distinct
// webhook-id values it saw (GET /stats).
func serve(addr string) error {
	var total atomic.Int64
	var mu sync.Mutex
	ids := map[string]int{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hook/", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		total.Add(1)
		if id := r.Header.Get("webhook-id"); id != "" {
			mu.Lock()
			ids[r.URL.Path+" "+id]++
			mu.Unlock()
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		dup := 0
		for _, n := range ids {
			dup += n - 1
		}
		unique := len(ids)
		mu.Unlock()
		json.NewEncoder(w).Encode(map[string]int64{"total": total.Load(), "unique": int64(unique), "duplicates": int64(dup)})
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Println("ready")
	return (&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
}

func stats(addr string) (map[string]int64, error) {
	resp, err := http.Get("http://" + addr + "/stats")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var m map[string]int64
	return m, json.NewDecoder(resp.Body).Decode(&m)
}

func bench(addr string, nTargets, nArticles, conc int, dir string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	store, err := storage.Open(ctx, filepath.Join(dir, "bench-relay.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	for i := range nTargets {
		_, err := store.CreateRelayTarget(ctx, feedrelay.RelayTarget{Name: fmt.Sprintf("t%04d", i), Platform: feedrelay.PlatformWebhook,
			URL: fmt.Sprintf("http://%s/hook/%d", addr, i), Secret: "bench-secret", RatePerMinute: feedrelay.RateUnlimited, Enabled: true})
		if err != nil {
			return err
		}
	}
	list := make([]feedrelay.Article, nArticles)
	pub := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	for i := range list {
		key := fmt.Sprintf("bench-%03d", i)
		list[i] = feedrelay.Article{Key: key, GUID: feedrelay.GUIDForKey(key), Title: fmt.Sprintf("第 %d 篇：智慧农业无人机巡检茶园", i),
			Summary: "无人机在茶园里巡检，记录病虫害和土壤湿度。", ContentHTML: "<p>无人机在茶园里巡检，记录病虫害和土壤湿度，数据回传到合作社的平台。</p>",
			Published: pub.Add(time.Duration(i) * time.Minute), Categories: []feedrelay.CategoryPath{{"新闻"}}}
	}
	start := time.Now()
	if _, err := store.UpsertArticles(ctx, list); err != nil {
		return err
	}
	queued := time.Since(start)
	want := int64(nTargets * nArticles)

	client := safehttp.New(safehttp.Options{AllowPrivate: true, Timeout: 30 * time.Second})
	w := relay.NewWorker(store, client, relay.Formatters(), relay.Options{Concurrency: conc, BaseURL: "http://bench.example"})
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan struct{})
	start = time.Now()
	go func() { w.Run(runCtx); close(done) }()
	var acked int64
	for {
		st, err := stats(addr)
		if err != nil {
			return err
		}
		acked = st["total"]
		if acked >= want || time.Since(start) > 8*time.Minute {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	// All sent; wait until the store has recorded them all.
	for {
		ts, err := store.RelayTargets(ctx)
		if err != nil {
			return err
		}
		delivered := 0
		for _, t := range ts {
			delivered += t.State.Delivered
		}
		if int64(delivered) >= want || time.Since(start) > 9*time.Minute {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	elapsed := time.Since(start)
	stop()
	<-done
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	st, _ := stats(addr)
	fmt.Printf("targets=%d articles=%d deliveries=%d concurrency=%d queue_write=%.3fs\n", nTargets, nArticles, want, conc, queued.Seconds())
	fmt.Printf("worker=%.3fs deliveries_per_s=%.0f received=%d unique=%d duplicates=%d peak_rss_mb=%.1f\n",
		elapsed.Seconds(), float64(want)/elapsed.Seconds(), st["total"], st["unique"], st["duplicates"], float64(ru.Maxrss)/1024)
	if st["unique"] != want {
		return fmt.Errorf("receiver saw %d distinct deliveries, want %d", st["unique"], want)
	}

	// Baseline: the same number of POSTs, same concurrency, no store.
	body := bytes.Repeat([]byte("x"), 900)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	var next atomic.Int64
	var wg sync.WaitGroup
	start = time.Now()
	for range conc {
		wg.Go(func() {
			for next.Add(1) <= want {
				resp, err := hc.Post(fmt.Sprintf("http://%s/hook/base", addr), "application/json", bytes.NewReader(body))
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	base := time.Since(start)
	fmt.Printf("baseline_plain_posts=%.3fs (%.0f/s) worker_vs_baseline=%.2fx\n", base.Seconds(), float64(want)/base.Seconds(), elapsed.Seconds()/base.Seconds())
	return nil
}
