package model

import (
	"fmt"
	"math"
)

// The words the rules' sentences are written in, which the screens and the
// command line use too, so a count or a change reads the same everywhere.

// Plural writes a count with its noun: "1 user", "21 users", "3 follow-ups".
// Every noun csm counts takes an s.
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// SignedPercent writes a change as a whole signed percentage: "+30%",
// "-60%", "+0%" for less than half a percent either way.
func SignedPercent(v float64) string {
	return fmt.Sprintf("%+d%%", int(math.Round(v*100)))
}

// InDays says how far a day is, n days ahead (or -n behind): "in 12 days",
// "today", "3 days ago".
func InDays(n int) string {
	switch {
	case n == 0:
		return "today"
	case n > 0:
		return "in " + Plural(n, "day")
	}
	return Plural(-n, "day") + " ago"
}
