package ingest

import (
	"time"

	"github.com/feedrelay/feedrelay/safehttp"
)

// MaxBackoff caps how long a failing source waits between polls.
const MaxBackoff = 24 * time.Hour

// backoff is the wait after the n-th failure in a row (n ≥ 1): the
// source's interval doubled per failure (2x, 4x, 8x …), capped at
// MaxBackoff, with ±10% jitter so sources that failed together (one host
// down) do not come back in lockstep.
func backoff(interval time.Duration, failures int) time.Duration {
	d := interval
	for i := 0; i < failures && d < MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, MaxBackoff)
	return safehttp.Jitter(d, 0.1)
}
