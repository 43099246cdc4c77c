package handlers_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestNewsboatReadsEveryFeed subscribes a real feed reader, newsboat
// (which .ci/run installs), to the RSS and Atom feeds, reloads twice and
// checks it sees every article once: a changing or missing GUID would show
// up as extra unread articles on the second reload.
func TestNewsboatReadsEveryFeed(t *testing.T) {
	bin, err := exec.LookPath("newsboat")
	if err != nil {
		t.Skip("newsboat not installed (apt-get install newsboat); .ci/run installs it")
	}
	ts := newTestServer(t, nil)
	n := ts.importExamples(t)
	for _, path := range []string{"/feed.rss", "/feed.atom"} {
		t.Run(path, func(t *testing.T) {
			home := t.TempDir()
			urls := filepath.Join(home, "urls")
			if err := os.WriteFile(urls, []byte(ts.URL+path+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			for round := 1; round <= 2; round++ {
				ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
				cmd := exec.CommandContext(ctx, bin, "-u", urls, "-c", filepath.Join(home, "cache.db"), "-C", os.DevNull,
					"-x", "reload", "print-unread")
				cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home)
				out, err := cmd.CombinedOutput()
				cancel()
				if err != nil {
					t.Fatalf("newsboat round %d: %v\n%s", round, err, out)
				}
				fields := strings.Fields(string(out))
				got := -1
				if len(fields) > 0 {
					got, _ = strconv.Atoi(fields[0])
				}
				if got != n {
					t.Errorf("round %d: newsboat sees %q, want %d unread articles", round, strings.TrimSpace(string(out)), n)
				}
			}
		})
	}
}
