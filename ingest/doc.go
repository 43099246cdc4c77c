// Package ingest polls upstream feeds: conditional GET through safehttp,
// parsing with gofeed, items mapped to attributed articles, and a
// scheduler that keeps every source fresh with bounded concurrency.
package ingest
