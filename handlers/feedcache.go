package handlers

import (
	"sync"
	"time"
)

// feedKey names one rendered feed document.
type feedKey struct {
	category int64
	format   string
	limit    int
}

// renderedFeed is a feed rendered once per change of its content and kept
// with its gzip form, validators and the version it was rendered at.
type renderedFeed struct {
	version      int64
	body         []byte
	etag, gzETag string // strong validators; the gzip form has its own (RFC 9110 8.8.3)
	lastModified time.Time
	headers      renderedHeaders

	gzPool   *gzipPool
	gzOnce   sync.Once
	gzBody   []byte
	gzLength []string
}

// size is what the entry may cost once its gzip form exists too; feeds
// compress to well under a quarter of their size.
func (r *renderedFeed) size() int64 { return int64(cap(r.body) + cap(r.body)/4 + 512) }

// feedCache holds rendered feeds within a byte budget. Every distinct
// ?limit of every category is its own document, so without a budget a
// crawler walking limits could grow it without end; past the budget entries
// are dropped in map order (effectively random), and a dropped feed is
// simply rendered again on its next request.
type feedCache struct {
	mu      sync.RWMutex
	entries map[feedKey]*renderedFeed
	bytes   int64
	budget  int64
}

func newFeedCache(budget int64) *feedCache {
	return &feedCache{entries: map[feedKey]*renderedFeed{}, budget: budget}
}

func (c *feedCache) get(k feedKey) *renderedFeed {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.entries[k]
}

func (c *feedCache) put(k feedKey, r *renderedFeed) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[k]; ok {
		c.bytes -= old.size()
		delete(c.entries, k)
	}
	for key, e := range c.entries {
		if c.bytes+r.size() <= c.budget {
			break
		}
		c.bytes -= e.size()
		delete(c.entries, key)
	}
	if r.size() > c.budget {
		return // larger than the whole budget: serve it, don't keep it
	}
	c.entries[k] = r
	c.bytes += r.size()
}
