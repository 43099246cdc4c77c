// Command feedrelay serves articles as RSS 2.0, Atom 1.0 and JSON Feed 1.1.
//
//	feedrelay serve   [flags]        run the HTTP server
//	feedrelay import  [flags] PATH…  import Hexo-style posts
//	feedrelay sources COMMAND …      manage upstream feeds
//	feedrelay relays  COMMAND …      manage relay targets
//	feedrelay version                print the version
//
// main only builds and wires: it turns flags and FEEDRELAY_* variables into
// one config, opens the store and hands it to the packages that need it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	// Zone data inside the binary: --timezone works on scratch images
	// and hosts without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `feedrelay serves articles as RSS 2.0, Atom 1.0 and JSON Feed 1.1.

Usage:
  feedrelay serve   [flags]          run the HTTP server
  feedrelay import  [flags] PATH...  import Hexo-style posts (.md, .markdown, .html; directories recursively)
  feedrelay sources COMMAND ...      add, list, fetch, import (OPML) and remove upstream feeds
  feedrelay relays  COMMAND ...      add, list, test and remove chat groups new articles are pushed to
  feedrelay version                  print the version

Run "feedrelay COMMAND --help" for a command's flags. Every flag has an
environment twin: --base-url is FEEDRELAY_BASE_URL, and so on.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one subcommand and returns the process exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = runServe(ctx, args[1:], stdout, stderr)
	case "import":
		err = runImport(ctx, args[1:], stdout, stderr)
	case "sources":
		err = runSources(ctx, args[1:], stdout, stderr)
	case "relays":
		err = runRelays(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "feedrelay %s\n", version)
	case "help", "--help", "-help", "-h":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "feedrelay: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errSomeFailed):
		return 1
	}
	fmt.Fprintf(stderr, "feedrelay %s: %v\n", args[0], err)
	return 1
}

var (
	errUsage      = errors.New("usage error")
	errSomeFailed = errors.New("some inputs failed")
)
