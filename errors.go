package feedrelay

import "errors"

// Error kinds. Adapters wrap these with %w and the HTTP layer maps them to
// status codes in one place; callers branch on them with errors.Is.
var (
	ErrNotFound     = errors.New("not found")
	ErrInvalid      = errors.New("invalid")
	ErrConflict     = errors.New("conflict")
	ErrUnauthorized = errors.New("unauthorized")
)

// FieldError says which input field is wrong and why. It unwraps to
// ErrInvalid so the HTTP layer answers 400 and names the field.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *FieldError) Unwrap() error { return ErrInvalid }
