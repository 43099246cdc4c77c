package safehttp

import (
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		h    string
		want time.Duration
	}{
		{"", 0},
		{"   ", 0},
		{"0", 0},
		{"7", 7 * time.Second},
		{" 120 ", 2 * time.Minute},
		{"1.5", 1500 * time.Millisecond},
		{"0.0004", time.Millisecond},
		{"-3", 0},
		{"NaN", 0},
		{"abc", 0},
		{"99999999999", 30 * 24 * time.Hour},
		{"Sun, 01 Mar 2026 12:00:30 GMT", 30 * time.Second},
		{"Sunday, 01-Mar-26 12:01:00 GMT", time.Minute}, // RFC 850, obsolete but allowed
		{"Sun Mar  1 12:00:05 2026", 5 * time.Second},   // asctime
		{"Sun, 01 Mar 2026 11:59:00 GMT", 0},            // in the past
		{"Sun, 01 Mar 2099 11:59:00 GMT", 30 * 24 * time.Hour},
		{"2026-03-01T12:00:30Z", 0}, // RFC 3339 is not an HTTP-date
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.h, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

func TestSecondsDuration(t *testing.T) {
	tests := []struct {
		in   float64
		want time.Duration
	}{
		{0, 0},
		{-1, 0},
		{34, 34 * time.Second},
		{0.25, 250 * time.Millisecond},
		{1.2345, 1235 * time.Millisecond},
		{1e12, 30 * 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := SecondsDuration(tt.in); got != tt.want {
			t.Errorf("SecondsDuration(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestJitterStaysWithinItsSpread(t *testing.T) {
	for range 200 {
		if d := Jitter(10*time.Second, 0.1); d < 9*time.Second || d > 11*time.Second {
			t.Fatalf("Jitter(10s, 0.1) = %v, outside 9s..11s", d)
		}
	}
}
