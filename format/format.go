// Package format writes figures as the screens and the command line show
// them: money, percentages, day counts, ages and days. The cockpit and the
// commands both use it, so a figure reads the same wherever the CSM looks.
// The words of the rules' own sentences (a plural, a signed change, "in 3
// days") are model's, and used here.
package format

import (
	"fmt"
	"math"
	"regexp"
	"time"

	"csm/model"
	"csm/safe"
)

// Undefined stands for a figure SPEC calls undefined (utilization without
// licenses, trend without users 30 days ago).
const Undefined = "—"

// Money formats cents compactly: $1.2M, €840k, £9.5k, CHF 950.
func Money(cents int64, currency string) string {
	sym := map[string]string{"USD": "$", "EUR": "€", "GBP": "£"}[currency]
	if sym == "" {
		sym = safe.Truncate(currency, 3) + " "
	}
	v := float64(cents) / 100
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%s%.1fM", sym, v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%s%.0fk", sym, v/1e3)
	case v >= 1e3:
		return fmt.Sprintf("%s%.1fk", sym, v/1e3)
	default:
		return fmt.Sprintf("%s%.0f", sym, v)
	}
}

// Percent formats a ratio as a whole percentage: "42%"; Undefined for nil.
func Percent(r *float64) string {
	if r == nil {
		return Undefined
	}
	return fmt.Sprintf("%d%%", int(math.Round(*r*100)))
}

// SignedPercent formats a change: "+12%", "-5%" (model.SignedPercent);
// Undefined for nil.
func SignedPercent(r *float64) string {
	if r == nil {
		return Undefined
	}
	return model.SignedPercent(*r)
}

// Days says in a few cells how far a day count is: "12d", "today",
// "3d ago". model.InDays says it in words.
func Days(n int) string {
	switch {
	case n == 0:
		return "today"
	case n > 0:
		return fmt.Sprintf("%dd", n)
	}
	return fmt.Sprintf("%dd ago", -n)
}

// Day writes a day in full, year included: "Nov 20, 2026". It is for what
// outlives the moment it was printed (a brief pasted into a CRM, a line of
// csm accounts kept in a file). On screen, ShortDay is the rule.
func Day(d model.Date) string { return d.Time().Format("Jan 2, 2006") }

// ShortDay writes a day as every screen of the cockpit shows it: "Nov 20"
// in today's year, "Nov 20, 2026" in any other. Almost every day the CSM
// looks at (a due date, a renewal, last week's call) falls in the current
// year, where the year is six cells of noise in a narrow column; a day of
// another year keeps it, so no day is ever ambiguous. One rule for every
// screen: no weekday ("Mon Jan 2"), no ISO ("2026-11-20") beside it.
func ShortDay(d, today model.Date) string {
	t := d.Time()
	if t.Year() == today.Time().Year() {
		return t.Format("Jan 2")
	}
	return t.Format("Jan 2, 2006")
}

// ShortDayOf is ShortDay for the calendar day of t in t's own location:
// pass t.In(loc) for a local day, t.UTC() for the day in UTC.
func ShortDayOf(t time.Time, today model.Date) string {
	return ShortDay(model.MakeDate(t.Date()), today)
}

// ShortDayTime is a moment on screen: ShortDayOf and the time of day,
// "Nov 20 15:04" (times of day keep 15:04).
func ShortDayTime(t time.Time, today model.Date) string {
	return ShortDayOf(t, today) + " " + t.Format("15:04")
}

// Ago is a rough age, enough to tell a fresh book from a stale one: "just
// now", "1 minute ago", "5 hours ago" (up to two days), "3 days ago".
func Ago(d time.Duration) string {
	n, unit := age(d)
	if unit == "" {
		return "just now"
	}
	return model.Plural(n, unit) + " ago"
}

// ShortAgo is Ago in the fewest cells, for a footer: "just now", "1m ago",
// "5h ago", "3d ago".
func ShortAgo(d time.Duration) string {
	n, unit := age(d)
	if unit == "" {
		return "just now"
	}
	return fmt.Sprintf("%d%c ago", n, unit[0])
}

// age rounds an age down to minutes, hours below two days, or days; unit
// is "" under a minute.
func age(d time.Duration) (n int, unit string) {
	switch {
	case d < time.Minute:
		return 0, ""
	case d < time.Hour:
		return int(d / time.Minute), "minute"
	case d < 48*time.Hour:
		return int(d / time.Hour), "hour"
	}
	return int(d / (24 * time.Hour)), "day"
}

// textDay is a day inside a sentence, written YYYY-MM-DD (the rules'
// figures) or in full as Day writes it ("Dec 21, 2026", the rules' own
// words, which the command line prints as they are).
var textDay = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}\b`)

// DaysInText writes every day of a sentence, YYYY-MM-DD or in full, as
// ShortDay does ("Nov 22" this year, "Jan 5, 2027" in another), so a
// screen that shows the rules' sentences beside its own dates shows one
// format; a string that is no real day stays as it is.
func DaysInText(s string, today model.Date) string {
	return textDay.ReplaceAllStringFunc(s, func(v string) string {
		for _, layout := range []string{time.DateOnly, "Jan 2, 2006"} {
			if t, err := time.Parse(layout, v); err == nil {
				return ShortDay(model.MakeDate(t.Date()), today)
			}
		}
		return v
	})
}
