package platformtest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
	"github.com/feedrelay/feedrelay/relay/platform"
)

// update is the -update flag of every test binary that imports this
// package.
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// GoldenBody compares body, indented, with testdata/name (the robots'
// goldens hold the JSON body alone); go test -update rewrites it.
func GoldenBody(t *testing.T, name string, body []byte) {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, body, "", "  "); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	b.WriteByte('\n')
	golden(t, filepath.Join("testdata", name), b.Bytes())
}

// GoldenRequest compares req, rendered for people (request line, headers
// sorted, indented body), with testdata/name.golden; go test -update
// rewrites it.
func GoldenRequest(t *testing.T, name string, req platform.Request) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(req.Method + " " + req.URL + "\n")
	keys := make([]string, 0, len(req.Header))
	for k := range req.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(k + ": " + strings.Join(req.Header[k], ", ") + "\n")
	}
	b.WriteString("\n")
	if err := json.Indent(&b, req.Body, "", "  "); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, req.Body)
	}
	b.WriteString("\n")
	golden(t, filepath.Join("testdata", name+".golden"), b.Bytes())
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// GoldenCase is one request a golden test builds.
type GoldenCase struct {
	Name   string // testdata/<Name>.golden
	Target *feedrelay.RelayTarget
	Items  []platform.Item
}

// GoldenRequests builds each case with f at now and compares it with its
// golden file (GoldenRequest).
func GoldenRequests(t *testing.T, f platform.Formatter, now time.Time, cases []GoldenCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			GoldenRequest(t, c.Name, MustBuild(t, f, c.Target, c.Items, now))
		})
	}
}

// Singles is the golden cases every single-article platform has: each of
// chinese, hostile and plain alone, then the three as a digest, to target.
func Singles(target *feedrelay.RelayTarget, chinese, hostile, plain platform.Item) []GoldenCase {
	return []GoldenCase{
		{"chinese", target, []platform.Item{chinese}},
		{"hostile", target, []platform.Item{hostile}},
		{"plain", target, []platform.Item{plain}},
		{"digest", target, []platform.Item{chinese, hostile, plain}},
	}
}

// MustBuild is f.Build, failing the test on an error.
func MustBuild(t *testing.T, f platform.Formatter, target *feedrelay.RelayTarget, items []platform.Item, now time.Time) platform.Request {
	t.Helper()
	req, err := f.Build(target, items, now)
	if err != nil {
		t.Fatalf("Build(format %q): %v", target.Format, err)
	}
	return req
}

// BuildCase is a Build that must fail.
type BuildCase struct {
	Format string
	Items  []platform.Item
}

// BuildFails checks that f refuses to build each case for target(format)
// at now.
func BuildFails(t *testing.T, f platform.Formatter, target func(format string) *feedrelay.RelayTarget, now time.Time, cases map[string]BuildCase) {
	t.Helper()
	for name, c := range cases {
		if _, err := f.Build(target(c.Format), c.Items, now); err == nil {
			t.Errorf("%s: Build succeeded", name)
		}
	}
}

// Decode unmarshals a request body into generic maps, as the platform
// would see it.
func Decode(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	return m
}
