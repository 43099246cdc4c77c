package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
)

// flagSet wraps flag.FlagSet so every flag gets its FEEDRELAY_* twin: the
// environment value becomes the flag's default and the help text names it.
type flagSet struct {
	*flag.FlagSet
	envErrs []error
}

func newFlagSet(name, synopsis string, stderr io.Writer) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: feedrelay %s\n\nFlags (each also read from the environment variable shown):\n", synopsis)
		fs.PrintDefaults()
	}
	return &flagSet{FlagSet: fs}
}

func envName(flagName string) string {
	return "FEEDRELAY_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (f *flagSet) env(name string) (string, bool) { return os.LookupEnv(envName(name)) }

func (f *flagSet) String(name, def, help string) *string {
	if v, ok := f.env(name); ok {
		def = v
	}
	return f.FlagSet.String(name, def, help+" ("+envName(name)+")")
}

func (f *flagSet) Int(name string, def int, help string) *int {
	if v, ok := f.env(name); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.envErrs = append(f.envErrs, fmt.Errorf("%s=%q: not a whole number", envName(name), v))
		} else {
			def = n
		}
	}
	return f.FlagSet.Int(name, def, help+" ("+envName(name)+")")
}

func (f *flagSet) Bool(name string, def bool, help string) *bool {
	if v, ok := f.env(name); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			f.envErrs = append(f.envErrs, fmt.Errorf("%s=%q: not true or false", envName(name), v))
		} else {
			def = b
		}
	}
	return f.FlagSet.Bool(name, def, help+" ("+envName(name)+")")
}

func (f *flagSet) Duration(name string, def time.Duration, help string) *time.Duration {
	if v, ok := f.env(name); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			f.envErrs = append(f.envErrs, fmt.Errorf("%s=%q: not a duration like 300s or 5m", envName(name), v))
		} else {
			def = d
		}
	}
	return f.FlagSet.Duration(name, def, help+" ("+envName(name)+")")
}

// parse parses args and reports bad environment values as usage errors.
func (f *flagSet) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return errUsage
	}
	if len(f.envErrs) > 0 {
		for _, e := range f.envErrs {
			fmt.Fprintf(f.Output(), "feedrelay %s: %v\n", f.Name(), e)
		}
		return errUsage
	}
	return nil
}

// newLogger builds the slog logger from --log-level and --log-format.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", format)
}
