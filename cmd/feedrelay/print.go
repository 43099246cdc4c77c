package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/feedrelay/feedrelay"
)

// Helpers shared by the sources and relays commands: flags, category
// paths, tables and times.

// newCmd is newFlagSet with examples printed after the flags.
func newCmd(name, synopsis, examples string, stderr io.Writer) *flagSet {
	fs := newFlagSet(name, synopsis, stderr)
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprintf(stderr, "\n%s", examples)
	}
	return fs
}

// parseArgs parses flags that may come before, between or after the
// positional arguments (feedrelay sources add URL --category 新闻) and
// returns the positional ones.
func parseArgs(fs *flagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// wantArgs checks the number of positional arguments.
func wantArgs(fs *flagSet, pos []string, min, max int, what string) error {
	if len(pos) < min || len(pos) > max {
		fmt.Fprintf(fs.Output(), "feedrelay %s: want %s, got %d argument(s)\n", fs.Name(), what, len(pos))
		fs.Usage()
		return errUsage
	}
	return nil
}

// listFlag is a repeatable flag whose environment twin holds the list
// separated by sep; any value on the command line replaces the env list.
type listFlag struct {
	vals []string
	set  bool
}

func (l *listFlag) String() string { return strings.Join(l.vals, ", ") }
func (l *listFlag) Set(v string) error {
	if !l.set {
		l.vals, l.set = nil, true
	}
	l.vals = append(l.vals, v)
	return nil
}

func listVar(fs *flagSet, name, sepName, sep, help string) *listFlag {
	l := &listFlag{}
	if v, ok := fs.env(name); ok {
		for _, s := range strings.Split(v, sep) {
			if s = strings.TrimSpace(s); s != "" {
				l.vals = append(l.vals, s)
			}
		}
	}
	fs.Var(l, name, help+" (repeatable; "+envName(name)+", "+sepName+"-separated)")
	return l
}

// secretVar is a string flag whose environment twin is read after parsing
// and never shown as a default in --help.
func secretVar(fs *flagSet, name, help string) func() string {
	p := fs.FlagSet.String(name, "", help+" ("+envName(name)+"; safer than the flag, which ps shows to every user)")
	return func() string {
		given := false
		fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
		if v, ok := fs.env(name); ok && !given {
			return v
		}
		return *p
	}
}

// parseCategory reads a --category value: levels separated by ">", root
// first ("技术 > Go"); a name without ">" is one top-level category. "/" is
// kept in names ("AI/ML").
func parseCategory(s string) (feedrelay.CategoryPath, error) {
	var p feedrelay.CategoryPath
	for _, name := range strings.Split(s, ">") {
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, fmt.Errorf("--category %q: empty level (write levels as \"A > B\")", s)
		}
		p = append(p, name)
	}
	return p, p.Validate()
}

func parseCategories(list []string) ([]feedrelay.CategoryPath, error) {
	var out []feedrelay.CategoryPath
	for _, s := range list {
		p, err := parseCategory(s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func categoriesText(list []feedrelay.CategoryPath) string {
	parts := make([]string, len(list))
	for i, p := range list {
		parts[i] = p.String()
	}
	return strings.Join(parts, ", ")
}

// every prints a duration without trailing zero units: 30m, 1h30m, 24h.
func every(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// when is t relative to now and absolute: "3m ago (2025-03-04 16:00 CST)".
func when(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	rel := ""
	switch a := d.Abs(); {
	case a < 5*time.Second:
		rel = "now"
	case a < time.Minute:
		rel = fmt.Sprintf("%ds", int(a/time.Second))
	case a < time.Hour:
		rel = fmt.Sprintf("%dm", int(a/time.Minute))
	case a < 48*time.Hour:
		rel = fmt.Sprintf("%dh", int(a/time.Hour))
	default:
		rel = fmt.Sprintf("%dd", int(a/(24*time.Hour)))
	}
	switch {
	case rel == "now":
	case d > 0:
		rel += " ago"
	default:
		rel = "in " + rel
	}
	return rel + " (" + t.Local().Format("2006-01-02 15:04 MST") + ")"
}

// cols is how many terminal columns s takes: East Asian wide characters
// take two.
func cols(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// clip shortens s to at most max columns, ending in "…" when cut.
func clip(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if cols(s) <= max {
		return s
	}
	n := 0
	for i, r := range s {
		if n+cols(string(r)) > max-1 {
			return s[:i] + "…"
		}
		n += cols(string(r))
	}
	return s
}

// table prints rows (the first is the header) in aligned columns.
func table(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], cols(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-cols(c)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// notFound rewrites a storage not-found error for people.
func notFound(err error, what string) error {
	if errors.Is(err, feedrelay.ErrNotFound) {
		return fmt.Errorf("no %s (see the list command)", what)
	}
	return err
}

// subcommands dispatches a command group and prints its errors as
// "feedrelay GROUP SUB: error".
func subcommands(group, usage string, cmds map[string]func([]string) error, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "help", "--help", "-help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd := cmds[args[0]]
	if cmd == nil {
		fmt.Fprintf(stderr, "feedrelay %s: unknown command %q\n\n%s", group, args[0], usage)
		return errUsage
	}
	err := cmd(args[1:])
	if err == nil || errors.Is(err, flag.ErrHelp) || errors.Is(err, errUsage) || errors.Is(err, errSomeFailed) {
		return err
	}
	fmt.Fprintf(stderr, "feedrelay %s %s: %v\n", group, args[0], err)
	// A setting the model refuses (--every 10s, --style fancy) is a usage error.
	var fe *feedrelay.FieldError
	if errors.As(err, &fe) {
		return errUsage
	}
	return errSomeFailed
}
