package safehttp

import (
	"io"
	"math"
	"net/http"
	"net/url"
	"time"
)

// Response is a fully read HTTP response.
type Response struct {
	Status    int
	Header    http.Header
	Body      []byte
	URL       *url.URL   // final URL after redirects
	Redirects []Redirect // hops in order; empty when none
	Elapsed   time.Duration
}

// Redirect is one followed hop.
type Redirect struct {
	Status   int
	From, To *url.URL
}

// PermanentRedirect returns the final URL when every hop from the start was
// a permanent redirect (301 or 308, RFC 9110 §15.4.2 and §15.4.9): only then
// may a caller replace the stored URL. Any temporary hop (302, 303, 307)
// means the original URL stays authoritative. The final status is not
// judged; callers decide whether e.g. a 404 at the end counts.
func (r *Response) PermanentRedirect() (*url.URL, bool) {
	if len(r.Redirects) == 0 {
		return nil, false
	}
	for _, h := range r.Redirects {
		if h.Status != http.StatusMovedPermanently && h.Status != http.StatusPermanentRedirect {
			return nil, false
		}
	}
	return r.Redirects[len(r.Redirects)-1].To, true
}

// readCapped reads the (already gzip-decoded) body, never holding more
// than limit+1 bytes: one more than allowed is how we know it is too large.
func readCapped(body io.Reader, contentLength, limit int64) ([]byte, error) {
	n := limit
	if n < math.MaxInt64 {
		n++
	}
	initial := min(n, 64<<10)
	if contentLength >= 0 && contentLength < n {
		initial = contentLength + 1 // +1 so the final EOF read needs no growth
	}
	buf := make([]byte, 0, initial)
	for int64(len(buf)) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(int64(cap(buf))*2, n))
			copy(grown, buf)
			buf = grown
		}
		m, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(buf)) > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	return buf, nil
}
