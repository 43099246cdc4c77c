// Package safehttp is the one outbound HTTP client, refusing private and cloud-metadata addresses at connect time and capping time and body size.
package safehttp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Defaults applied by New for zero Options fields.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBodyBytes = 10 << 20
	DefaultMaxRedirects = 5
	DefaultUserAgent    = "feedrelay"
)

// Options configures a Client. Zero fields take the defaults above.
type Options struct {
	AllowPrivate  bool          // also allow loopback/private/CGNAT (never metadata)
	Timeout       time.Duration // total per request, including reading the body
	MaxBodyBytes  int64         // cap on the decoded body
	UserAgent     string        // sent unless the request sets its own
	MaxRedirects  int           // hops followed; negative refuses every redirect
	AllowFlagHint string        // setting named in BlockedError; default DefaultAllowFlagHint
}

// Client is safe for concurrent use.
type Client struct {
	opts  Options
	hc    *http.Client
	check func(host string, ap netip.AddrPort) error
}

// New returns a Client whose every connection, including redirect hops and
// re-resolved names, is checked against the address policy.
func New(opts Options) *Client { return newClient(opts, nil) }

// newClient lets tests replace the per-connection check; it is still called
// from the dialer's Control hook, so tests exercise the dial-time path.
func newClient(opts Options, check func(host string, ap netip.AddrPort) error) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.AllowFlagHint == "" {
		opts.AllowFlagHint = DefaultAllowFlagHint
	}
	c := &Client{opts: opts, check: check}
	if c.check == nil {
		c.check = func(host string, ap netip.AddrPort) error {
			return checkIP(host, ap.Addr(), opts.AllowPrivate, opts.AllowFlagHint)
		}
	}
	dialer := &net.Dialer{
		Timeout:   10 * time.Second,
		KeepAlive: 30 * time.Second,
		// Control runs after DNS resolution, on the exact address about to be
		// connected, so neither DNS rebinding nor redirects can dodge it.
		ControlContext: c.control,
	}
	tr := &http.Transport{
		// No proxy: a proxy would connect on our behalf, unchecked.
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			return dialer.DialContext(context.WithValue(ctx, dialHostKey{}, host), network, addr)
		},
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  0, // the request context carries the total timeout (TimeoutError)
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           64,
		MaxIdleConnsPerHost:    16, // relay targets share hosts (qyapi.weixin.qq.com): keep connections
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 1 << 20,
	}
	c.hc = &http.Client{Transport: tr, CheckRedirect: c.checkRedirect}
	return c
}

// HTTPClient returns the underlying client for APIs that need one. It keeps
// the address, scheme and redirect rules but not the timeout or body cap.
func (c *Client) HTTPClient() *http.Client { return c.hc }

type dialHostKey struct{}

func (c *Client) control(ctx context.Context, network, address string, _ syscall.RawConn) error {
	host, _ := ctx.Value(dialHostKey{}).(string)
	ap, err := netip.ParseAddrPort(address)
	if err != nil { // fail closed: never connect to what we cannot judge
		return &BlockedError{Host: host, Reason: "unparseable address " + address}
	}
	return c.check(host, ap)
}

func checkScheme(u *url.URL) error {
	if u == nil {
		return fmt.Errorf("no URL: %w", ErrUnsupportedScheme)
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return fmt.Errorf("refusing %q URL %s, only http and https are fetched: %w",
			u.Scheme, u.Redacted(), ErrUnsupportedScheme)
	}
	return nil
}

type redirectsKey struct{}

// checkRedirect enforces the scheme and hop limit on every redirect (the
// dialer checks the address) and records the hop; req.Response is the 3xx
// that produced req (RFC 9110 §15.4).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if err := checkScheme(req.URL); err != nil {
		return err
	}
	if len(via) > c.opts.MaxRedirects {
		return fmt.Errorf("stopped after %d redirects: %w", len(via)-1, ErrTooManyRedirects)
	}
	if rec, ok := req.Context().Value(redirectsKey{}).(*[]Redirect); ok {
		hop := Redirect{From: via[len(via)-1].URL, To: req.URL}
		if req.Response != nil {
			hop.Status = req.Response.StatusCode
		}
		*rec = append(*rec, hop)
	}
	return nil
}

// Do sends req under ctx (req's own context is ignored) and reads the whole
// body up to the client's MaxBodyBytes. Non-2xx statuses are not errors.
func (c *Client) Do(ctx context.Context, req *http.Request) (*Response, error) {
	return c.DoLimit(ctx, req, 0)
}

// DoLimit is Do with a body cap of maxBody bytes; maxBody <= 0 means the
// client's MaxBodyBytes.
func (c *Client) DoLimit(ctx context.Context, req *http.Request, maxBody int64) (*Response, error) {
	if maxBody <= 0 {
		maxBody = c.opts.MaxBodyBytes
	}
	if err := checkScheme(req.URL); err != nil {
		return nil, err
	}
	what := "fetching " + req.URL.Redacted()
	// The cause tells our own deadline apart from one set by the caller.
	ctx, cancel := context.WithTimeoutCause(ctx, c.opts.Timeout, &TimeoutError{After: c.opts.Timeout})
	defer cancel()
	var hops []Redirect
	req = req.Clone(context.WithValue(ctx, redirectsKey{}, &hops))
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", c.opts.UserAgent)
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			if ue.URL != req.URL.String() {
				what += " (redirected to " + redact(ue.URL) + ")"
			}
			err = ue.Err // its message would repeat the URL
		}
		return nil, fmt.Errorf("%s: %w", what, classifyErr(ctx, err))
	}
	defer resp.Body.Close()
	if resp.ContentLength > maxBody { // fail before reading anything
		return nil, fmt.Errorf("%s: %w", what, &TooLargeError{Limit: maxBody, Announced: resp.ContentLength})
	}
	body, err := readCapped(resp.Body, resp.ContentLength, maxBody)
	if err != nil {
		if !errors.Is(err, ErrTooLarge) {
			err = fmt.Errorf("reading body: %w", classifyErr(ctx, err))
		}
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return &Response{
		Status:    resp.StatusCode,
		Header:    resp.Header,
		Body:      body,
		URL:       resp.Request.URL,
		Redirects: hops,
		Elapsed:   time.Since(start),
	}, nil
}

// classifyErr surfaces our typed errors instead of the transport's wrapping.
func classifyErr(ctx context.Context, err error) error {
	var te *TimeoutError
	var be *BlockedError
	switch {
	case ctx.Err() != nil && errors.As(context.Cause(ctx), &te):
		return te
	case errors.As(err, &be):
		return be // drop "dial tcp 1.2.3.4:80:", the message names the address
	}
	return err
}

func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return raw
}
