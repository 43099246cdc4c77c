package posts

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/feedrelay/feedrelay"
)

// Upserter is the one store method Import needs: store a batch in one
// transaction, each article on its own (one failing leaves the others).
type Upserter interface {
	UpsertArticles(ctx context.Context, list []feedrelay.Article) ([]feedrelay.UpsertOutcome, error)
}

// Summary counts what an import did.
type Summary struct {
	Imported, Updated, Unchanged, Failed int
}

func (s Summary) String() string {
	return fmt.Sprintf("imported %d, updated %d, unchanged %d, failed %d", s.Imported, s.Updated, s.Unchanged, s.Failed)
}

// postFile is one file to import and the slug Hexo would give it.
type postFile struct {
	path, slug string
}

// collect expands paths (files or directories, walked recursively)
// into post files in a stable order. A path that does not exist is reported
// as a failure and the rest continue.
func collect(paths []string, report func(path string, err error)) []postFile {
	var out []postFile
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			report(root, err)
			continue
		}
		if !info.IsDir() {
			out = append(out, postFile{root, Slug(root, root)})
			continue
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				report(p, err)
				return nil
			}
			if d.IsDir() && p != root && len(d.Name()) > 1 && d.Name()[0] == '.' {
				return filepath.SkipDir // .git and friends
			}
			if !d.IsDir() && IsPostFile(p) {
				out = append(out, postFile{p, Slug(root, p)})
			}
			return nil
		})
		if err != nil {
			report(root, err)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// Import parses files on all cores and stores them in batches of
// importBatch (see Upserter: each post succeeds or fails alone), so one bad
// file never stops or spoils the others.
// Failures are written to errOut with the file's path and the reason.
func Import(ctx context.Context, store Upserter, parser *Parser, paths []string, errOut io.Writer) Summary {
	var sum Summary
	fail := func(path string, err error) {
		sum.Failed++
		fmt.Fprintf(errOut, "import %q: %v\n", path, err)
	}
	files := collect(paths, fail)

	type parsed struct {
		article feedrelay.Article
		err     error
		done    chan struct{}
	}
	results := make([]parsed, len(files))
	for i := range results {
		results[i].done = make(chan struct{})
	}
	// Parsing runs at most window files ahead of storing, so a large
	// import holds a bounded number of articles in memory.
	const window = 4 * importBatch
	ahead := make(chan struct{}, window)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i].article, results[i].err = parseFile(parser, files[i])
				close(results[i].done)
			}
		}()
	}
	stop := make(chan struct{})
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case ahead <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case jobs <- i:
			case <-stop:
				return
			}
		}
	}()
	defer wg.Wait()
	defer close(stop)

	seenKeys := make(map[string]string, len(files))
	batch := make([]feedrelay.Article, 0, importBatch)
	batchFiles := make([]string, 0, importBatch)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		out, err := store.UpsertArticles(ctx, batch)
		for i, path := range batchFiles {
			switch {
			case err != nil:
				fail(path, err)
			case out[i].Err != nil:
				fail(path, out[i].Err)
			case out[i].Result == feedrelay.Created:
				sum.Imported++
			case out[i].Result == feedrelay.Updated:
				sum.Updated++
			case out[i].Result == feedrelay.Unchanged:
				sum.Unchanged++
			}
		}
		batch, batchFiles = batch[:0], batchFiles[:0]
	}
	for i, f := range files {
		select {
		case <-results[i].done:
		case <-ctx.Done():
			flush()
			fmt.Fprintf(errOut, "import stopped: %v\n", ctx.Err())
			return sum
		}
		<-ahead
		a, err := results[i].article, results[i].err
		results[i] = parsed{} // let the article go once it is stored
		if err != nil {
			// Parse errors already start with post "<path>": ...
			sum.Failed++
			fmt.Fprintln(errOut, err)
			continue
		}
		if first, dup := seenKeys[a.Key]; dup {
			// Two files of one import naming the same article (a.md beside
			// a.html, or the same id twice) would overwrite each other on
			// every run; the first one wins and the other is reported.
			sum.Failed++
			fmt.Fprintf(errOut, "post %q: id %q is already taken by %q in this import\n", f.path, a.Key, first)
			continue
		}
		seenKeys[a.Key] = f.path
		batch, batchFiles = append(batch, a), append(batchFiles, f.path)
		if len(batch) == importBatch {
			flush()
		}
	}
	flush()
	return sum
}

// importBatch is how many posts share one transaction. Each post still
// fails or succeeds alone; the batch saves a commit and a round of
// feed-version bumps per post.
const importBatch = 200

func parseFile(parser *Parser, f postFile) (feedrelay.Article, error) {
	info, err := os.Stat(f.path)
	if err != nil {
		return feedrelay.Article{}, fmt.Errorf("read post: %w", err)
	}
	if info.Size() > 8<<20 {
		return feedrelay.Article{}, fmt.Errorf("post %q: file is %d bytes, larger than the 8 MiB a post may be", f.path, info.Size())
	}
	data, err := os.ReadFile(f.path)
	if err != nil {
		return feedrelay.Article{}, fmt.Errorf("read post: %w", err)
	}
	return parser.ParseWithModTime(f.path, f.slug, data, info.ModTime())
}
