package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// Why fasthttp in front of echo: serving a cached feed must cost about what
// a static file costs, and on two shared cores Go's net/http answered at
// 0.43x nginx's rate for the same bytes (0.63x for 304s) however little the
// handler did (scripts/loadtest.sh --nethttp), while fasthttp matched
// nginx. So GET and HEAD of a feed that exists are answered here, straight
// from the rendered-feed cache; everything else (pages, the API, errors of
// every kind, feed URLs with a bad ?limit or an unknown category) goes to
// the echo router unchanged through fasthttpadaptor, so there is one
// implementation of each answer that is not a plain cached feed.

// HTTPServerOptions are the transport settings main chooses.
type HTTPServerOptions struct {
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	MaxHeaderBytes                         int
}

// NewHTTPServer returns the fasthttp server feedrelay listens with; tests
// build theirs with it too.
func (s *Server) NewHTTPServer(o HTTPServerOptions) *fasthttp.Server {
	// fasthttp reuses a RequestCtx once the handler returns, but the
	// adaptor makes it the net/http request's context, and goroutines that
	// outlive the handler read it (database/sql's cancellation watcher
	// does): the race detector caught that. Requests through echo get a
	// context of their own instead, ended when the handler returns.
	detached := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s.echo.ServeHTTP(w, r.WithContext(ctx))
	})
	slow := fasthttpadaptor.NewFastHTTPHandler(detached)
	return &fasthttp.Server{
		Handler: func(ctx *fasthttp.RequestCtx) {
			if !s.serveFeedFast(ctx) {
				slow(ctx)
			}
		},
		ReadTimeout:  o.ReadTimeout,
		WriteTimeout: o.WriteTimeout,
		IdleTimeout:  o.IdleTimeout,
		// Request line and headers must fit the read buffer.
		ReadBufferSize: max(o.MaxHeaderBytes, 4096),
		// Bodies a little over the API's own limit still reach it, so an
		// oversize write gets the API's 413 with a JSON error, not a bare
		// one from the transport.
		MaxRequestBodySize:    int(s.cfg.MaxBodyBytes)*2 + 64<<10,
		NoDefaultServerHeader: true,
		NoDefaultContentType:  true,
		CloseOnShutdown:       true,
		Logger:                fastLogger{s.log},
		ErrorHandler:          transportError,
	}
}

// transportError answers requests fasthttp could not read at all, in the
// API's JSON shape: a body over the transport's limit is a 413 like the
// API's own, anything else (a malformed request) a 400.
func transportError(ctx *fasthttp.RequestCtx, err error) {
	status, msg := fasthttp.StatusBadRequest, "malformed request: "+err.Error()
	if errors.Is(err, fasthttp.ErrBodyTooLarge) {
		status, msg = fasthttp.StatusRequestEntityTooLarge, "request body is too large"
	}
	body, _ := json.Marshal(errorBody{Error: msg})
	ctx.Response.Reset()
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json; charset=utf-8")
	ctx.SetBody(body)
	ctx.SetConnectionClose()
}

// serveFeedFast answers GET/HEAD of an existing feed with a valid ?limit and
// reports whether it did.
func (s *Server) serveFeedFast(ctx *fasthttp.RequestCtx) bool {
	if !ctx.IsGet() && !ctx.IsHead() {
		return false
	}
	f, cat, ok, err := s.matchFeed(string(ctx.URI().PathOriginal()))
	if !ok || err != nil {
		return false
	}
	limit, err := s.limit(string(ctx.QueryArgs().Peek("limit")))
	if err != nil {
		return false
	}
	// Not ctx itself as the context: see NewHTTPServer.
	r, err := s.rendered(context.Background(), f, cat, limit)
	if err != nil {
		return false // echo renders again and reports the error its usual way
	}
	req := &ctx.Request.Header
	h := &ctx.Response.Header
	gz := acceptsGzip(string(req.Peek("Accept-Encoding")))
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", r.headers.cacheControl[0])
	h.Set("Last-Modified", r.headers.lastModified[0])
	if gz {
		h.Set("ETag", r.gzETag)
	} else {
		h.Set("ETag", r.etag)
	}
	if notModified(string(req.Peek("If-None-Match")), string(req.Peek("If-Modified-Since")), r) {
		ctx.SetStatusCode(fasthttp.StatusNotModified)
		return true
	}
	h.SetContentType(r.headers.contentType[0])
	h.Set("X-Content-Type-Options", "nosniff")
	body := r.body
	if gz {
		body, _ = r.gzipped()
		h.Set("Content-Encoding", "gzip")
	}
	// The cached bytes never change once rendered, so they are handed over
	// without a copy. For HEAD fasthttp sends the headers (Content-Length
	// included) and skips the body.
	ctx.Response.SetBodyRaw(body)
	return true
}

// fastLogger sends fasthttp's own messages (malformed requests, timeouts)
// to slog at debug level: they are about clients, not about us.
type fastLogger struct{ log *slog.Logger }

func (l fastLogger) Printf(format string, args ...any) {
	if l.log.Enabled(context.Background(), slog.LevelDebug) {
		l.log.Debug("http transport", "msg", fmt.Sprintf(format, args...))
	}
}
