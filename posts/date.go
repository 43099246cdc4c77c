package posts

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/feedrelay/feedrelay"
)

var errDateFormat = errors.New("not a known date format (want RFC 1123, RFC 3339, YYYY-MM-DD HH:MM:SS or YYYY-MM-DD)")

// Layouts for dates that carry their own offset, and for dates that do not
// (read in Options.Location, as Hexo reads them in the site's timezone).
// Go's "1", "2" and "15" accept one or two digits, as YAML timestamps do.
var zonedLayouts, localLayouts = dateLayouts()

func dateLayouts() (zoned, local []string) {
	for _, d := range []string{"2006-1-2", "2006/1/2"} {
		for _, sep := range []string{"T", " "} {
			for _, clock := range []string{"15:04:05", "15:04"} {
				// Fractional seconds need no layout: Parse accepts them
				// after the seconds field.
				for _, z := range []string{"Z07:00", " Z07:00", "Z0700", " Z0700"} {
					zoned = append(zoned, d+sep+clock+z)
				}
				local = append(local, d+sep+clock)
			}
		}
		local = append(local, d)
	}
	for _, day := range []string{"Mon, 2 Jan 2006", "2 Jan 2006"} {
		for _, clock := range []string{"15:04:05", "15:04"} {
			zoned = append(zoned, day+" "+clock+" -0700")
			local = append(local, day+" "+clock)
		}
	}
	return zoned, local
}

// rfc1123Layouts are the RFC 1123 forms without their zone name, which
// parseDate reads itself; see zoneNames.
var rfc1123Layouts = []string{
	"Mon, 2 Jan 2006 15:04:05", "2 Jan 2006 15:04:05",
	"Mon, 2 Jan 2006 15:04", "2 Jan 2006 15:04",
}

// zoneNames are the zone names RFC 1123 dates may end in (RFC 5322 section
// 4.3). time.Parse is not used for them because it gives a name like "CST"
// the offset of whatever zone the server runs in, or none at all.
var zoneNames = map[string]int{
	"GMT": 0, "UT": 0, "UTC": 0, "Z": 0,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
	"MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}

// parseDate reads a front-matter date. A date with an offset or zone name
// keeps it; one without is in loc.
func parseDate(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	if i := strings.LastIndexByte(s, ' '); i > 0 && isLetters(s[i+1:]) {
		name := strings.ToUpper(s[i+1:])
		hours, ok := zoneNames[name]
		if !ok {
			return time.Time{}, fmt.Errorf("unknown time zone %q", s[i+1:])
		}
		zone := time.UTC
		if hours != 0 {
			zone = time.FixedZone(name, hours*3600)
		}
		for _, l := range rfc1123Layouts {
			if t, err := time.ParseInLocation(l, s[:i], zone); err == nil {
				return t, nil
			}
		}
	}
	return time.Time{}, errDateFormat
}

func isLetters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return s != ""
}

// date reads the front-matter field field; an absent one is fallback, and
// an absent one without a fallback is an error.
func (p *Parser) date(field, value string, fallback time.Time) (time.Time, error) {
	if strings.TrimSpace(value) == "" {
		if fallback.IsZero() {
			return time.Time{}, &feedrelay.FieldError{Field: field,
				Reason: field + " is required: the front matter has none and no file time was given"}
		}
		return fallback, nil
	}
	t, err := parseDate(value, p.opts.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse %s %q: %w", field, value, err)
	}
	return t, nil
}
