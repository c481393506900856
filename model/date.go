package model

import (
	"bytes"
	"fmt"
	"time"
)

// Date is a calendar day, counted in days since 1970-01-01. Days are the unit
// of every usage rule, so keeping them as integers makes "T − 30" plain
// arithmetic and keeps metric loops free of time.Time arithmetic.
type Date int32

// DateOf returns the calendar day of t in UTC.
func DateOf(t time.Time) Date {
	t = t.UTC()
	return Date(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// MakeDate returns the day y-m-d.
func MakeDate(y int, m time.Month, d int) Date {
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ParseDate reads a YYYY-MM-DD day.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// Time returns midnight UTC of the day.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String formats the day as YYYY-MM-DD.
func (d Date) String() string { return d.Time().Format(time.DateOnly) }

// Month returns the day's calendar month as YYYY-MM.
func (d Date) Month() string { return d.Time().Format("2006-01") }

// FirstOfMonth returns the first day of the month named YYYY-MM.
func FirstOfMonth(month string) (Date, error) {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return 0, fmt.Errorf("month %q is not YYYY-MM", month)
	}
	return DateOf(t), nil
}

// MarshalJSON writes the day as a JSON string.
func (d Date) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads a JSON string YYYY-MM-DD.
func (d *Date) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' || bytes.IndexByte(b[1:len(b)-1], '"') >= 0 {
		return fmt.Errorf("date must be a string YYYY-MM-DD, got %.40s", b)
	}
	v, err := ParseDate(string(b[1 : len(b)-1]))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
