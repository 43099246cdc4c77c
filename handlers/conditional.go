package handlers

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// newRendered computes the validators of a rendered feed once, so serving
// it later is a map lookup and a write. Header values are kept as ready
// []string so the hot path assigns them without allocating. The gzip form
// is made on the first request that accepts it (see gzipped) and then kept
// too: a render after a change is paid for by one request, not doubled by
// compressing for clients that may never ask for it.
func newRendered(version int64, body []byte, contentType string, lastModified time.Time, cacheControl string, gz *gzipPool) *renderedFeed {
	if cap(body)-len(body) > len(body)/8 {
		// Renderers over-allocate; the cache budget counts what is held.
		body = bytes.Clone(body)
	}
	tag := contentTag(body)
	lm := lastModified.UTC().Truncate(time.Second)
	return &renderedFeed{
		version:      version,
		body:         body,
		gzPool:       gz,
		etag:         `"` + tag + `"`,
		gzETag:       `"` + tag + `-gz"`,
		lastModified: lm,
		headers: renderedHeaders{
			contentType:  []string{contentType},
			etag:         []string{`"` + tag + `"`},
			gzETag:       []string{`"` + tag + `-gz"`},
			lastModified: []string{lm.Format(http.TimeFormat)},
			cacheControl: []string{cacheControl},
			length:       []string{strconv.Itoa(len(body))},
		},
	}
}

// contentTag identifies a rendered document's bytes: two CRC-32s with
// different polynomials (both hardware-accelerated on amd64 and arm64) and
// the length. A strong ETag only has to differ between the versions one
// feed goes through, for which 64 bits of checksum and the length leave no
// practical chance of a repeat; SHA-256 gave the same guarantee at ten times
// the cost, a tenth of a cache miss for a 50-item feed.
func contentTag(body []byte) string {
	var b [20]byte
	binary.BigEndian.PutUint32(b[0:], crc32.Checksum(body, castagnoli))
	binary.BigEndian.PutUint32(b[4:], crc32.ChecksumIEEE(body))
	binary.BigEndian.PutUint32(b[8:], uint32(len(body)))
	return hex.EncodeToString(b[:12])
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// gzipped returns the gzip form and its Content-Length, compressing once.
// Compression runs at the default level: for feeds it is within a few per
// cent of the best level's size at well under its cost.
func (r *renderedFeed) gzipped() ([]byte, []string) {
	r.gzOnce.Do(func() {
		var buf bytes.Buffer
		buf.Grow(len(r.body) / 4)
		zw := r.gzPool.get(&buf)
		zw.Write(r.body) // writes to a bytes.Buffer cannot fail
		zw.Close()
		r.gzPool.put(zw)
		r.gzBody = bytes.Clone(buf.Bytes()) // exact size: it stays in the cache
		r.gzLength = []string{strconv.Itoa(len(r.gzBody))}
	})
	return r.gzBody, r.gzLength
}

// renderedHeaders are the header values of one rendered feed, preallocated.
type renderedHeaders struct {
	contentType, etag, gzETag, lastModified, cacheControl, length []string
}

var (
	hdrVary    = []string{"Accept-Encoding"}
	hdrGzip    = []string{"gzip"}
	hdrNoSniff = []string{"nosniff"}
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
	if notModified(req.Header.Get("If-None-Match"), req.Header.Get("If-Modified-Since"), r) {
		// RFC 9110 15.4.5: a 304 carries the validators and caching headers
		// a 200 would have, and no body.
		c.Response().WriteHeader(http.StatusNotModified)
		return nil
	}
	h["Content-Type"] = r.headers.contentType
	h["X-Content-Type-Options"] = hdrNoSniff
	body := r.body
	if gz {
		var length []string
		body, length = r.gzipped()
		h["Content-Encoding"] = hdrGzip
		h["Content-Length"] = length
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
func notModified(inm, ims string, r *renderedFeed) bool {
	if inm != "" {
		for rest := inm; rest != ""; {
			var tag string
			tag, rest, _ = strings.Cut(rest, ",")
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == r.etag || tag == r.gzETag {
				return true
			}
		}
		return false
	}
	if ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !r.lastModified.After(t)
	}
	return false
}

// acceptsGzip reports whether Accept-Encoding allows gzip (RFC 9110 12.5.3):
// "gzip", "x-gzip" or "*" with a non-zero q. It runs on every feed request,
// so it walks the header without allocating.
func acceptsGzip(ae string) bool {
	gzipQ, starQ := -1.0, -1.0
	for rest := ae; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.TrimSpace(coding)
		isGzip := strings.EqualFold(coding, "gzip") || strings.EqualFold(coding, "x-gzip")
		if !isGzip && coding != "*" {
			continue
		}
		q := 1.0
		for params != "" {
			var p string
			p, params, _ = strings.Cut(params, ";")
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		if isGzip {
			gzipQ = max(gzipQ, q)
		} else {
			starQ = q
		}
	}
	// A coding named outright wins over "*" (RFC 9110 12.5.3).
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// gzipPool reuses gzip writers: each holds about 0.7 MB of compressor
// state, which every render used to allocate afresh.
type gzipPool struct{ pool sync.Pool }

func (p *gzipPool) get(w io.Writer) *gzip.Writer {
	if zw, ok := p.pool.Get().(*gzip.Writer); ok {
		zw.Reset(w)
		return zw
	}
	return gzip.NewWriter(w)
}

func (p *gzipPool) put(zw *gzip.Writer) { p.pool.Put(zw) }
