package safehttp

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter bounds what a platform can ask for, so a garbage header
// cannot overflow a Duration or park a target for years.
const maxRetryAfter = 30 * 24 * time.Hour

// ParseRetryAfter reads a Retry-After header (RFC 9110 section 10.2.3):
// either delay-seconds or an HTTP-date, which is measured from now.
// Decimal seconds, which some platforms send, are accepted and rounded up.
// It returns 0 for an empty, malformed or past value, and at most 30 days.
func ParseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(h, 64); err == nil {
		return SecondsDuration(secs)
	}
	t, err := http.ParseTime(h)
	if err != nil {
		return 0
	}
	d := t.Sub(now)
	if d <= 0 {
		return 0
	}
	return min(d, maxRetryAfter)
}

// SecondsDuration turns a count of seconds from a platform's answer
// (Telegram's retry_after, Discord's decimal retry_after and
// X-RateLimit-Reset-After) into a Duration, rounded up to the millisecond,
// 0 when negative or not a number, at most 30 days.
func SecondsDuration(secs float64) time.Duration {
	if math.IsNaN(secs) || secs <= 0 {
		return 0
	}
	if secs >= maxRetryAfter.Seconds() {
		return maxRetryAfter
	}
	return time.Duration(math.Ceil(secs*1000)) * time.Millisecond
}

// Jitter spreads a retry wait d by ±frac (0.1 is ±10%), so the clients of
// a host that failed together do not come back in lockstep.
func Jitter(d time.Duration, frac float64) time.Duration {
	return time.Duration(float64(d) * (1 + frac*(2*rand.Float64()-1)))
}
