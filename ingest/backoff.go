package ingest

import (
	"math/rand/v2"
	"time"
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
	return jitter(d, 0.1)
}

// jitter spreads d by ±frac.
func jitter(d time.Duration, frac float64) time.Duration {
	f := 1 + frac*(2*rand.Float64()-1)
	return time.Duration(float64(d) * f)
}
