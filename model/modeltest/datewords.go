package modeltest

import (
	"time"

	"csm/model"
)

// DateWord is a date word and the day it means when typed on today,
// worked out without model.ParseDateWord. The note editor's tests and
// csm note's run this one table through their own paths, so the two can
// only agree.
type DateWord struct {
	Word string
	Want func(today model.Date) model.Date
}

// DateWords are the date words of SPEC §4, in the spellings a CSM types.
var DateWords = []DateWord{
	{"2026-12-24", func(model.Date) model.Date { return model.MakeDate(2026, time.December, 24) }},
	{"today", func(today model.Date) model.Date { return today }},
	{"tomorrow", func(today model.Date) model.Date { return today + 1 }},
	{"Tomorrow", func(today model.Date) model.Date { return today + 1 }},
	{"+3d", func(today model.Date) model.Date { return today + 3 }},
	{"+2w", func(today model.Date) model.Date { return today + 14 }},
	{"fri", nextWeekday(time.Friday)},
	{"friday", nextWeekday(time.Friday)},
	{"mon", nextWeekday(time.Monday)},
	{"Sunday", nextWeekday(time.Sunday)},
}

// nextWeekday is the first day after today (never today) that falls on wd.
func nextWeekday(wd time.Weekday) func(model.Date) model.Date {
	return func(today model.Date) model.Date {
		d := today + 1
		for d.Time().Weekday() != wd {
			d++
		}
		return d
	}
}
