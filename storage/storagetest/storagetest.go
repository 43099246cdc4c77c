// Package storagetest opens real SQLite stores on temporary files for tests.
package storagetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/feedrelay/feedrelay/storage"
)

// Open opens a fresh store in t.TempDir() and closes it when the test ends.
func Open(t testing.TB) *storage.Store {
	t.Helper()
	s, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "feedrelay.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return s
}
