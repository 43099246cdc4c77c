package feeds

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feedrelay/feedrelay"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

type renderer struct {
	name string
	self string // SelfURL path
	fn   func(Meta, []feedrelay.Article) ([]byte, error)
}

var renderers = []renderer{
	{"rss", "/feed.xml", RSS},
	{"atom", "/atom.xml", Atom},
	{"json", "/feed.json", JSON},
}

func render(t testing.TB, r renderer) []byte {
	t.Helper()
	out, err := r.fn(testMeta(r.self), testArticles())
	if err != nil {
		t.Fatalf("%s: %v", r.name, err)
	}
	return out
}

func TestGolden(t *testing.T) {
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			got := render(t, r)
			path := filepath.Join("testdata", "golden."+r.name)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./feeds/ -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s\n(run go test ./feeds/ -update if the change is intended)", r.name, path, firstDiff(got, want))
			}
		})
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g := strings.Split(string(got), "\n")
	w := strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + ":\n  got:  " + gl + "\n  want: " + wl
		}
	}
	return "(same lines, different bytes)"
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			break
		}
	}
	return string(b[n:])
}

func TestDeterministic(t *testing.T) {
	for _, r := range renderers {
		a := render(t, r)
		b := render(t, r)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders of the same input differ:\n%s", r.name, firstDiff(a, b))
		}
	}
}
