package model_test

import (
	"strings"
	"testing"
	"time"

	"csm/model"
	"csm/model/modeltest"
)

func TestParseDateWord(t *testing.T) {
	today := model.MakeDate(2026, 11, 21) // a Saturday
	cases := map[string]string{
		"today":        "2026-11-21",
		"tod":          "2026-11-21",
		"Tomorrow":     "2026-11-22",
		"tmr":          "2026-11-22",
		" +3d ":        "2026-11-24",
		"+3":           "2026-11-24",
		"+0d":          "2026-11-21",
		"+2w":          "2026-12-05",
		"+3660d":       "2036-11-28",
		"mon":          "2026-11-23",
		"friday":       "2026-11-27",
		"FRI":          "2026-11-27",
		"sat":          "2026-11-28", // never today: the next one
		"2027-01-15":   "2027-01-15",
		"2026-11-01":   "2026-11-01", // a day past is a day
		"":             "error",
		"someday":      "error",
		"+x":           "error",
		"+3m":          "error",
		"-3d":          "error",
		"+3661d":       "error",
		"+523w":        "error",
		"s":            "error",
		"fr":           "error", // too short to be sure
		"2026-02-30":   "error",
		"2026-12-24 x": "error",
	}
	for in, want := range cases {
		got := "error"
		if d, err := model.ParseDateWord(in, today); err == nil {
			got = d.String()
		} else if !strings.Contains(err.Error(), "+3d") {
			t.Errorf("ParseDateWord(%q): error %q does not name the words", in, err)
		}
		if got != want {
			t.Errorf("ParseDateWord(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestDateWordsTable checks the shared table of the CLI and editor tests
// against the parser on every day of a fortnight.
func TestDateWordsTable(t *testing.T) {
	for today := model.MakeDate(2026, 11, 16); today < model.MakeDate(2026, 11, 30); today++ {
		for _, w := range modeltest.DateWords {
			got, err := model.ParseDateWord(w.Word, today)
			if want := w.Want(today); err != nil || got != want {
				t.Errorf("on %s, %q = %s, %v; want %s", today, w.Word, got, err, want)
			}
		}
	}
}

func TestParseNoteTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	now := time.Date(2026, 11, 21, 15, 4, 0, 0, paris) // a Saturday
	tests := []struct {
		in   string
		want time.Time // zero: an error
	}{
		{"2026-11-21 09:30", time.Date(2026, 11, 21, 9, 30, 0, 0, paris)},
		{" 2026-11-21T09:30 ", time.Date(2026, 11, 21, 9, 30, 0, 0, paris)},
		{"2026-11-21T09:30:00Z", time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)},
		{"2026-11-20", time.Date(2026, 11, 20, 12, 0, 0, 0, paris)},
		{"today", time.Date(2026, 11, 21, 12, 0, 0, 0, paris)},
		{"2026-11-22 15:00", time.Date(2026, 11, 22, 15, 0, 0, 0, paris)}, // within a day
		{"2026-11-22 15:05", time.Time{}},                                 // past it: the future
		{"2027-11-21", time.Time{}},
		{"+3d", time.Time{}},
		{"21/11/2026", time.Time{}},
		{"yesterday", time.Time{}},
		{"", time.Time{}},
		{"2026-13-01 10:00", time.Time{}},
	}
	for _, tt := range tests {
		got, err := model.ParseNoteTime(tt.in, now)
		switch {
		case tt.want.IsZero() && err == nil:
			t.Errorf("ParseNoteTime(%q) = %v, want an error", tt.in, got)
		case !tt.want.IsZero() && (err != nil || !got.Equal(tt.want) || got.Location().String() != tt.want.Location().String()):
			t.Errorf("ParseNoteTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// TestNoteTimeOfDayKeepsTheDay: a note dated by its day alone shows on that
// day wherever it is read within eleven hours of the zone it was written
// in, east or west; midnight would show it on the day before just west.
func TestNoteTimeOfDayKeepsTheDay(t *testing.T) {
	day := model.MakeDate(2026, 3, 29) // a day of clock change in Europe
	for _, name := range []string{"UTC", "Europe/Paris", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Auckland"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Skip("no time zone data:", err)
		}
		at := model.NoteTimeOfDay(day, loc)
		if model.LocalDay(at) != day || at.Hour() != 12 {
			t.Errorf("%s: %v is not noon on %s", name, at, day)
		}
		_, home := at.Zone()
		for off := -11; off <= 11; off++ {
			reader := time.FixedZone("", home+off*3600)
			if shown := at.In(reader); model.LocalDay(shown) != day {
				t.Errorf("%s read at %+dh: %v is not on %s", name, off, shown, day)
			}
		}
	}
}
