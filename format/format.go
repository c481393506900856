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

// Day writes a day as people read it: "Nov 20, 2026".
func Day(d model.Date) string { return d.Time().Format("Jan 2, 2006") }

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

// isoDay is a day written YYYY-MM-DD inside a sentence.
var isoDay = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// DaysInText writes every YYYY-MM-DD day of a sentence as Day does
// ("Nov 22, 2026"), so a screen that shows the rules' sentences beside its
// own dates shows one format; a string that is no real day stays as it is.
func DaysInText(s string) string {
	return isoDay.ReplaceAllStringFunc(s, func(v string) string {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return v
		}
		return t.Format("Jan 2, 2006")
	})
}
