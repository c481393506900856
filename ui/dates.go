package ui

import (
	"time"

	"csm/format"
	"csm/model"
)

// Every screen writes a day by format.ShortDay's one rule ("Nov 20" in the
// clock's year, "Nov 20, 2026" in another); these read the year from the
// screen's clock.

// day writes a calendar day.
func (e *env) day(d model.Date) string { return format.ShortDay(d, model.DateOf(e.now())) }

// dayOf writes the day of a moment in the moment's own location: pass
// t.UTC() or t.In(loc) as the screen counts its days.
func (e *env) dayOf(t time.Time) string { return format.ShortDayOf(t, model.DateOf(e.now())) }

// dayTime writes a moment with its time of day: "Nov 20 15:04".
func (e *env) dayTime(t time.Time) string { return format.ShortDayTime(t, model.DateOf(e.now())) }
