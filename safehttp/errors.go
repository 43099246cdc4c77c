package safehttp

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// Sentinels for errors.Is; the typed errors below carry the details.
var (
	// ErrBlocked: the destination address is not one we connect to.
	ErrBlocked = errors.New("destination address blocked")
	// ErrTooLarge: the response body exceeds the size cap.
	ErrTooLarge = errors.New("response body too large")
	// ErrTimeout: the client's total per-request timeout fired.
	ErrTimeout = errors.New("request timed out")
	// ErrUnsupportedScheme: a URL (initial or redirect target) is not http(s).
	ErrUnsupportedScheme = errors.New("unsupported URL scheme")
	// ErrTooManyRedirects: the redirect chain is longer than MaxRedirects.
	ErrTooManyRedirects = errors.New("too many redirects")
)

// BlockedError says which address was refused and why.
type BlockedError struct {
	Host   string     // name being dialled, if known and different from IP
	IP     netip.Addr // the resolved address that was refused
	Reason string     // kind of address, e.g. "loopback address"
	// Hint names the setting that would allow this address; empty when the
	// address is never allowed (metadata, link-local, multicast...).
	Hint string
}

func (e *BlockedError) Error() string {
	target := e.IP.String()
	if e.Host != "" && e.Host != target {
		target = e.Host + " at " + target
	}
	if e.Hint == "" {
		return fmt.Sprintf("refusing to connect to %s (%s; never allowed)", target, e.Reason)
	}
	return fmt.Sprintf("refusing to connect to %s (%s; set %s to allow private and loopback addresses)",
		target, e.Reason, e.Hint)
}

// Is makes errors.Is(err, ErrBlocked) true.
func (e *BlockedError) Is(target error) bool { return target == ErrBlocked }

// TooLargeError reports the body cap that was exceeded.
type TooLargeError struct {
	Limit     int64 // the cap in bytes
	Announced int64 // Content-Length when it alone gave the verdict, else 0
}

func (e *TooLargeError) Error() string {
	if e.Announced > 0 {
		return fmt.Sprintf("response body of %d bytes (Content-Length) is larger than the %s limit",
			e.Announced, formatBytes(e.Limit))
	}
	return fmt.Sprintf("response body is larger than the %s limit", formatBytes(e.Limit))
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// TimeoutError reports that no complete response arrived within Timeout.
type TimeoutError struct {
	After time.Duration // the client's Timeout
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("no complete answer within %s", e.After)
}

// Is makes errors.Is(err, ErrTimeout) true.
func (e *TimeoutError) Is(target error) bool { return target == ErrTimeout }

// Unwrap keeps generic errors.Is(err, context.DeadlineExceeded) checks working.
func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// Timeout lets net.Error-style checks recognise the error.
func (e *TimeoutError) Timeout() bool { return true }

func formatBytes(n int64) string {
	const kib, mib = 1 << 10, 1 << 20
	switch {
	case n >= mib && n%mib == 0:
		return fmt.Sprintf("%d MiB", n/mib)
	case n >= kib && n%kib == 0:
		return fmt.Sprintf("%d KiB", n/kib)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
