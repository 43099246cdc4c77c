package handlers

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// newRendered computes validators and the gzip form of a rendered feed once,
// so serving it later is a map lookup and a write. Header values are kept as
// ready []string so the hot path assigns them without allocating.
func newRendered(version int64, body []byte, contentType string, lastModified time.Time, cacheControl string) (*renderedFeed, error) {
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:16])
	lm := lastModified.UTC().Truncate(time.Second)
	return &renderedFeed{
		version:      version,
		body:         body,
		gzBody:       gz.Bytes(),
		etag:         `"` + tag + `"`,
		gzETag:       `"` + tag + `-gz"`,
		lastModified: lm,
		lastModHTTP:  lm.Format(http.TimeFormat),
		contentType:  contentType,
		headers: renderedHeaders{
			contentType:  []string{contentType},
			etag:         []string{`"` + tag + `"`},
			gzETag:       []string{`"` + tag + `-gz"`},
			lastModified: []string{lm.Format(http.TimeFormat)},
			cacheControl: []string{cacheControl},
			length:       []string{strconv.Itoa(len(body))},
			gzLength:     []string{strconv.Itoa(gz.Len())},
		},
	}, nil
}

// renderedHeaders are the header values of one rendered feed, preallocated.
type renderedHeaders struct {
	contentType, etag, gzETag, lastModified, cacheControl, length, gzLength []string
}

var (
	hdrVary = []string{"Accept-Encoding"}
	hdrGzip = []string{"gzip"}
)

// writeRendered answers a GET or HEAD for a rendered feed: 304 when the
// client's validators match, otherwise the gzip or identity body.
func writeRendered(c echo.Context, r *renderedFeed) error {
	req := c.Request()
	h := c.Response().Header()
	gz := acceptsGzip(req.Header.Get("Accept-Encoding"))
	// Header keys below are in canonical form (textproto), so direct map
	// assignment is the same as Header.Set without its allocation.
	h["Vary"] = hdrVary
	h["Cache-Control"] = r.headers.cacheControl
	h["Last-Modified"] = r.headers.lastModified
	if gz {
		h["Etag"] = r.headers.gzETag
	} else {
		h["Etag"] = r.headers.etag
	}
	if notModified(req, r) {
		// RFC 9110 15.4.5: a 304 carries the validators and caching headers
		// a 200 would have, and no body.
		c.Response().WriteHeader(http.StatusNotModified)
		return nil
	}
	h["Content-Type"] = r.headers.contentType
	body := r.body
	if gz {
		h["Content-Encoding"] = hdrGzip
		h["Content-Length"] = r.headers.gzLength
		body = r.gzBody
	} else {
		h["Content-Length"] = r.headers.length
	}
	c.Response().WriteHeader(http.StatusOK)
	if req.Method == http.MethodHead {
		return nil
	}
	_, err := c.Response().Write(body)
	return err
}

// notModified applies RFC 9110 13.2.2: If-None-Match, when present, decides
// alone (weak comparison, either representation's tag matches, "*" matches);
// otherwise If-Modified-Since compares against Last-Modified.
func notModified(req *http.Request, r *renderedFeed) bool {
	if inm := req.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == r.etag || tag == r.gzETag {
				return true
			}
		}
		return false
	}
	if ims := req.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !r.lastModified.After(t)
	}
	return false
}

// acceptsGzip reports whether Accept-Encoding allows gzip (RFC 9110 12.5.3):
// "gzip", "x-gzip" or "*" with a non-zero q.
func acceptsGzip(ae string) bool {
	if ae == "" {
		return false
	}
	for _, part := range strings.Split(ae, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		return q > 0
	}
	return false
}
