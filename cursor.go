package feedrelay

import (
	"fmt"
	"strconv"
	"strings"
)

// A Cursor is a position in the order articles were first stored. Each
// article gets the next sequence number when it is created (never reused,
// not even after a delete), so "everything after cursor C" is exactly the
// articles a poller has not seen, whatever their publication dates say.
// The string form is opaque to clients: "c" and the number in base 36.
type Cursor int64

// String is the opaque form clients pass back as ?after=.
func (c Cursor) String() string { return "c" + strconv.FormatInt(int64(c), 36) }

// ParseCursor reads the opaque form; "" and "0" mean the beginning.
func ParseCursor(s string) (Cursor, error) {
	if s == "" || s == "0" {
		return 0, nil
	}
	if !strings.HasPrefix(s, "c") || len(s) > 14 {
		return 0, &FieldError{Field: "after", Reason: fmt.Sprintf("%q is not a cursor returned by this API", s)}
	}
	n, err := strconv.ParseInt(s[1:], 36, 64)
	if err != nil || n < 0 {
		return 0, &FieldError{Field: "after", Reason: fmt.Sprintf("%q is not a cursor returned by this API", s)}
	}
	return Cursor(n), nil
}
