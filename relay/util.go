package relay

import (
	"bytes"
	"io"
	"math/rand/v2"
	"time"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// jitter spreads d by ±frac.
func jitter(d time.Duration, frac float64) time.Duration {
	return time.Duration(float64(d) * (1 + frac*(2*rand.Float64()-1)))
}
