package platform

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// EncodeJSON marshals v without HTML escaping and without the trailing
// newline: platforms count their limits on the decoded text, where "<"
// stays one byte instead of the six of \u003c, and text already escaped for
// the platform stays readable.
func EncodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Budget is one attempt at fitting a message into a platform's limit:
// summary and title lengths in runes (Summary 0 drops summaries, Title 0
// leaves titles to the formatter's own cap).
type Budget struct{ Summary, Title int }

// TitleCap is b.Title, or def when the budget does not cap titles.
func (b Budget) TitleCap(def int) int {
	if b.Title > 0 {
		return b.Title
	}
	return def
}

// FitJSON encodes build(b) for each budget in turn and returns the first
// body of at most limit bytes, for DingTalk's and Feishu's 20000-byte
// requests. name prefixes the errors, as the platform package's own do.
func FitJSON(name string, limit int, budgets []Budget, build func(Budget) any) ([]byte, error) {
	var n int
	for _, b := range budgets {
		body, err := EncodeJSON(build(b))
		if err != nil {
			return nil, fmt.Errorf("%s: encode message: %w", name, err)
		}
		if len(body) <= limit {
			return body, nil
		}
		n = len(body)
	}
	return nil, fmt.Errorf("%s: message is %d bytes even with titles cut, limit %d (URLs too long?)", name, n, limit)
}
