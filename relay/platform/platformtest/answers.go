package platformtest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay/relay/platform"
)

// Answer is a platform's answer and the Outcome Interpret must make of it.
type Answer struct {
	Name   string // "" names the case by its status
	Status int
	Header http.Header
	Body   string
	Kind   platform.Kind
	After  time.Duration // Outcome.RetryAfter
	Pause  time.Duration // Outcome.Pause
	Msg    string        // Outcome.Message
}

// Interpret checks f.Interpret on each answer, Message exactly.
func Interpret(t *testing.T, f platform.Formatter, answers []Answer) {
	t.Helper()
	check(t, f, answers, func(got, want string) bool { return got == want })
}

// InterpretPrefix checks f.Interpret on each answer, Message by its
// start: for platforms whose answers carry ids or long details.
func InterpretPrefix(t *testing.T, f platform.Formatter, answers []Answer) {
	t.Helper()
	check(t, f, answers, strings.HasPrefix)
}

func check(t *testing.T, f platform.Formatter, answers []Answer, match func(got, want string) bool) {
	t.Helper()
	for _, a := range answers {
		name := a.Name
		if name == "" {
			name = strconv.Itoa(a.Status) + " " + a.Body
		}
		o := f.Interpret(a.Status, a.Header, []byte(a.Body))
		if o.Kind != a.Kind || o.RetryAfter != a.After || o.Pause != a.Pause || !match(o.Message, a.Msg) {
			t.Errorf("%s: Interpret = {%v after %v pause %v %q}, want {%v after %v pause %v %q}",
				name, o.Kind, o.RetryAfter, o.Pause, o.Message, a.Kind, a.After, a.Pause, a.Msg)
		}
	}
}
