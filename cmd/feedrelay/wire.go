package main

import (
	"log/slog"
	"time"

	"github.com/feedrelay/feedrelay/ingest"
	"github.com/feedrelay/feedrelay/relay"
	"github.com/feedrelay/feedrelay/safehttp"
	"github.com/feedrelay/feedrelay/sanitize"
	"github.com/feedrelay/feedrelay/storage"
)

// outboundFlags are the settings of every outbound request (upstream
// polls and relay deliveries), shared by serve, sources and relays.
type outboundFlags struct {
	allowPrivate *bool
	timeout      *time.Duration
	maxFeedBytes *int
	baseURL      *string
}

// addOutboundFlags adds the outbound flags; baseURL is the command's own
// --base-url (named in the User-Agent and in relayed links).
func addOutboundFlags(fs *flagSet, baseURL *string) *outboundFlags {
	return &outboundFlags{
		baseURL:      baseURL,
		allowPrivate: fs.Bool("allow-private-upstreams", false, "allow upstream feeds and relay webhooks on loopback and private addresses (tests, intranets); link-local and cloud metadata addresses stay refused"),
		timeout:      fs.Duration("fetch-timeout", 30*time.Second, "total time one upstream poll may take, body included (from the CLI also relays test; serve uses --relay-timeout for relay messages)"),
		maxFeedBytes: fs.Int("max-feed-bytes", 10<<20, "largest upstream feed body accepted, in bytes"),
	}
}

// client builds the one outbound HTTP client. Its User-Agent names
// feedrelay and this server, so upstream operators know who polls them.
func (o *outboundFlags) client() *safehttp.Client { return o.clientWithTimeout(*o.timeout) }

// clientWithTimeout is client with another total timeout (relay sends).
func (o *outboundFlags) clientWithTimeout(timeout time.Duration) *safehttp.Client {
	return safehttp.New(safehttp.Options{
		AllowPrivate: *o.allowPrivate,
		Timeout:      timeout,
		MaxBodyBytes: int64(*o.maxFeedBytes),
		UserAgent:    "feedrelay/" + version + " (+" + *o.baseURL + ")",
	})
}

// storeFlags are the flags every sources and relays command has: the
// database, the server's public URL and, for commands that reach out,
// the outbound settings.
type storeFlags struct {
	db, baseURL *string
	ob          *outboundFlags // nil for commands that send nothing
}

func addStoreFlags(fs *flagSet, outbound bool, baseURLHelp string) *storeFlags {
	e := &storeFlags{
		db:      fs.String("db", "./feedrelay.db", "SQLite database file"),
		baseURL: fs.String("base-url", "http://localhost:8080", baseURLHelp),
	}
	if outbound {
		e.ob = addOutboundFlags(fs, e.baseURL)
	}
	return e
}

// sourceService wires polling for the CLI and the server.
func sourceService(store *storage.Store, client *safehttp.Client, policy *sanitize.Policy, opts ingest.Options) (*ingest.Service, *ingest.Poller) {
	p := ingest.NewPoller(store, client, policy, opts)
	return &ingest.Service{Store: store, Poller: p}, p
}

// relayService wires relay targets for the CLI and the server.
func relayService(store *storage.Store, client *safehttp.Client, baseURL string, notify func()) *relay.Service {
	return &relay.Service{Store: store, Client: client, Formatters: relay.Formatters(), BaseURL: baseURL, Notify: notify}
}

// discardLogger is for commands that print their own results.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
