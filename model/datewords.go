package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateWordsHelp names the date words, for help texts and error messages.
const DateWordsHelp = "YYYY-MM-DD, today, tomorrow, +3d, +2w or a weekday (fri: the next Friday)"

// maxDaysAhead bounds "+Nd" and "+Nw": ten years is far beyond any plan.
const maxDaysAhead = 3660

// ParseDateWord reads a day as the CSM types it, the same everywhere a date
// is typed (SPEC §4): YYYY-MM-DD; today (tod); tomorrow (tom, tmr); +3d,
// +2w or +3 (days); or a weekday of at least three letters, which is the
// next one after today, never today itself ("fri" on a Friday is a week
// ahead). Case and surrounding spaces do not matter. today is the CSM's own
// calendar day (LocalDay of the clock), not the book's usage day.
func ParseDateWord(s string, today Date) (Date, error) {
	w := strings.ToLower(strings.TrimSpace(s))
	switch w {
	case "today", "tod":
		return today, nil
	case "tomorrow", "tom", "tmr":
		return today + 1, nil
	}
	if rest, ok := strings.CutPrefix(w, "+"); ok {
		unit := 1
		switch {
		case strings.HasSuffix(rest, "d"):
			rest = strings.TrimSuffix(rest, "d")
		case strings.HasSuffix(rest, "w"):
			rest, unit = strings.TrimSuffix(rest, "w"), 7
		}
		if n, err := strconv.Atoi(rest); err == nil && n >= 0 && n*unit <= maxDaysAhead {
			return today + Date(n*unit), nil
		}
	}
	if len(w) >= 3 {
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			if strings.HasPrefix(strings.ToLower(wd.String()), w) {
				ahead := (int(wd)-int(today.Time().Weekday())+6)%7 + 1 // 1..7: never today
				return today + Date(ahead), nil
			}
		}
	}
	if d, err := ParseDate(w); err == nil {
		return d, nil
	}
	return 0, fmt.Errorf("%q is not a date: write %s", strings.TrimSpace(s), DateWordsHelp)
}

// LocalDay is the calendar day of t in t's own location, where ParseDate
// and DateOf work in UTC: the CSM's "today" is the day on their clock.
func LocalDay(t time.Time) Date { return MakeDate(t.Year(), t.Month(), t.Day()) }

// NoteTimeOfDay is when a note given as a bare day happened: noon of that
// day in loc. Noon keeps the day for whoever reads the note within eleven
// hours of loc, east or west (a teammate, the CSM travelling), where
// midnight would move it to the day before anywhere west of loc.
func NoteTimeOfDay(d Date, loc *time.Location) time.Time {
	return time.Date(d.Time().Year(), d.Time().Month(), d.Time().Day(), 12, 0, 0, 0, loc)
}

// NoteTimeHelp names what ParseNoteTime reads, for help texts and errors.
const NoteTimeHelp = "YYYY-MM-DD HH:MM, or a day alone (YYYY-MM-DD, today…), which means noon"

// noteTimeLayouts are the ways a date and a time of day are typed.
var noteTimeLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04", time.RFC3339}

// ParseNoteTime reads when a note happened, the same in the note editor and
// in csm note --at: "YYYY-MM-DD HH:MM" (or with a T, or RFC 3339) in now's
// location, or a day alone in any date word, which means noon of it
// (NoteTimeOfDay). Notes record what happened: a time more than a day after
// now is refused, since a typo of the year would pin the note to the top of
// the timeline for years.
func ParseNoteTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	at, ok := time.Time{}, false
	for _, layout := range noteTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, now.Location()); err == nil {
			at, ok = t, true
			break
		}
	}
	if !ok {
		d, err := ParseDateWord(s, LocalDay(now))
		if err != nil {
			return time.Time{}, fmt.Errorf("write the date as %s", NoteTimeHelp)
		}
		at = NoteTimeOfDay(d, now.Location())
	}
	if at.After(now.Add(24 * time.Hour)) {
		return time.Time{}, errors.New("that is in the future: a note records what happened")
	}
	return at, nil
}
