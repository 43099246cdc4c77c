package posts

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/feedrelay/feedrelay"
)

var (
	shanghai = time.FixedZone("CST+8", 8*3600)
	modTime  = time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC)
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in         string
		loc        *time.Location
		want       time.Time
		wantOffset int // seconds east of UTC the result must keep
	}{
		// RFC 1123 and its zone names, always kept.
		{"Tue, 15 Feb 2022 03:48:00 GMT", shanghai, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 0},
		{"Tue, 15 Feb 2022 03:48:00 UT", shanghai, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 0},
		{"15 Feb 2022 03:48 gmt", shanghai, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 0},
		{"Tue, 15 Feb 2022 03:48:00 EST", time.UTC, time.Date(2022, 2, 15, 8, 48, 0, 0, time.UTC), -5 * 3600},
		{"Tue, 1 Mar 2022 03:48:00 PDT", time.UTC, time.Date(2022, 3, 1, 10, 48, 0, 0, time.UTC), -7 * 3600},
		// RFC 1123 with a numeric zone.
		{"Tue, 15 Feb 2022 11:48:00 +0800", time.UTC, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 8 * 3600},
		{"15 Feb 2022 11:48:00 +0800", time.UTC, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 8 * 3600},
		// RFC 3339, with and without fractions.
		{"2022-02-15T03:48:00Z", shanghai, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 0},
		{"2022-02-15T03:48:00.123Z", shanghai, time.Date(2022, 2, 15, 3, 48, 0, 123e6, time.UTC), 0},
		{"2022-02-15T11:48:00+08:00", time.UTC, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 8 * 3600},
		{"2022-02-15 11:48:00 +08:00", time.UTC, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 8 * 3600},
		{"2022-02-15 11:48:00+0800", time.UTC, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 8 * 3600},
		// Hexo's forms without a zone take loc.
		{"2022-02-15 11:48:00", shanghai, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 8 * 3600},
		{"2022-02-15 11:48:00", nil, time.Date(2022, 2, 15, 11, 48, 0, 0, time.UTC), 0},
		{"2022-02-15 11:48", shanghai, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 8 * 3600},
		{"2022/02/15 11:48:00", shanghai, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 8 * 3600},
		{"2022-2-5 9:05:00", time.UTC, time.Date(2022, 2, 5, 9, 5, 0, 0, time.UTC), 0},
		{"2022-02-15T11:48:00", shanghai, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 8 * 3600},
		{"2022-02-15", shanghai, time.Date(2022, 2, 14, 16, 0, 0, 0, time.UTC), 8 * 3600},
		{"2022-02-15", nil, time.Date(2022, 2, 15, 0, 0, 0, 0, time.UTC), 0},
		{"Tue, 15 Feb 2022 11:48:00", shanghai, time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC), 8 * 3600},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			data := "---\ntitle: T\ndate: " + tt.in + "\n---\n"
			a := mustParse(t, Options{Location: tt.loc}, "a.md", data)
			if !a.Published.Equal(tt.want) {
				t.Errorf("Published = %v, want %v", a.Published, tt.want)
			}
			if _, off := a.Published.Zone(); off != tt.wantOffset {
				t.Errorf("Published offset = %d, want %d", off, tt.wantOffset)
			}
			if !a.Updated.Equal(a.Published) {
				t.Errorf("Updated = %v, want Published %v when updated is missing", a.Updated, a.Published)
			}
		})
	}
}

func TestParseDateQuotedAndUpdated(t *testing.T) {
	// Quoting must not change the reading: YAML only makes a timestamp of
	// the unquoted form.
	a := mustParse(t, Options{Location: shanghai}, "a.md",
		"---\ntitle: T\ndate: '2022-02-15 11:48:00'\nupdated: 2022-03-01 08:00:00\n---\n")
	if want := time.Date(2022, 2, 15, 3, 48, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("Published = %v, want %v", a.Published, want)
	}
	if want := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC); !a.Updated.Equal(want) {
		t.Errorf("Updated = %v, want %v", a.Updated, want)
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct {
		name, fm string
		want     string
	}{
		{"weekday alone", "date: Tues", `post "a.md": parse date "Tues": not a known date format`},
		{"bad month", "date: 2022-13-01", `parse date "2022-13-01"`},
		{"unknown zone name", "date: Tue, 15 Feb 2022 03:48:00 CET", `parse date "Tue, 15 Feb 2022 03:48:00 CET": unknown time zone "CET"`},
		{"bad updated", "date: 2022-02-15\nupdated: soon", `parse updated "soon"`},
		{"list as date", "date: [2022]", "parse front matter: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewParser(Options{}, testPolicy).Parse("a.md", "a", []byte("---\ntitle: T\n"+tt.fm+"\n---\n"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseMissingDate(t *testing.T) {
	data := []byte("---\ntitle: T\n---\n<p>x</p>")
	p := NewParser(Options{}, testPolicy)

	a, err := p.ParseWithModTime("a.md", "a", data, modTime)
	if err != nil {
		t.Fatalf("ParseWithModTime: %v", err)
	}
	if !a.Published.Equal(modTime) || !a.Updated.Equal(modTime) {
		t.Errorf("Published, Updated = %v, %v; want the file time %v for both", a.Published, a.Updated, modTime)
	}

	_, err = p.Parse("a.md", "a", data)
	if err == nil || !strings.Contains(err.Error(), "date is required") {
		t.Fatalf("Parse without date = %v, want a date is required error", err)
	}
	var fe *feedrelay.FieldError
	if !errors.As(err, &fe) || fe.Field != "date" {
		t.Errorf("Parse without date: error %v is not a FieldError for date", err)
	}
}
