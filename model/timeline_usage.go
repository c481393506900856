package model

import "fmt"

// Usage milestones of the timeline. Each is read with the rules' own
// functions, so the timeline and the book never disagree: first use and
// regular use as ComputeMetrics finds them (FirstUseOn, RegularUseOn),
// unless the history begins in the middle of use (then it says so);
// crossing the surprise line of utilization (rules.surprise_utilization)
// with the surprise alert's clause, day over day; and the start of a
// significant drop, each day the significant_drop segment begins to hold,
// with the segment's own rule on that day's figures.

// usageEvents returns the account's usage milestones up to in.AsOf (the
// newest usage day when AsOf is zero).
func usageEvents(in TimelineInput) []TimelineEvent {
	u := BuildUsage(in.Usage)
	if u.Empty() {
		return nil
	}
	t := in.AsOf
	if t == 0 {
		t = u.Last()
	}
	a := in.Account
	ref := func(d Date) string { return a.ID + "/" + d.Month() }
	var out []TimelineEvent
	first := u.firstActiveDay(t)
	// On a true first day of use the month's users are that day's. More
	// means people used the product in the days before, which the history
	// holds as zeros: it begins in the middle of use, and the first use,
	// the start of regular use and a crossing that day lie before it.
	midUse := first != nil && u.MAUOn(*first) > u.DAUOn(*first)
	crossFrom := u.First + 1
	switch {
	case midUse:
		out = append(out, dated(*first, TimelineMilestone, EventHistoryBegins, ref(*first),
			fmt.Sprintf("Usage history begins, already in use: %s that day, %d in the last 30 days",
				Plural(u.DAUOn(*first), "active user"), u.MAUOn(*first))))
		crossFrom = *first + 1
	case first != nil:
		out = append(out, dated(*first, TimelineMilestone, EventFirstUse, ref(*first),
			fmt.Sprintf("First use: %s that day", Plural(u.DAUOn(*first), "active user"))))
	}
	// Regular use found on the first day the four weeks could show it,
	// when the history began in use, had begun before.
	if d := u.firstWeeklyUseDay(t); d != nil && !(midUse && *d <= *first+(weekWindows-1)*weekDays) {
		out = append(out, dated(*d, TimelineMilestone, EventRegularUse, ref(*d),
			"Regular use began: active users in each of the four weeks up to that day"))
	}
	out = append(out, utilizationCrossings(u, a, in.Thresholds, crossFrom, t, ref)...)
	out = append(out, dropStarts(u, a, in.Thresholds, t, ref)...)
	return out
}

// utilizationCrossings lists each day from from to t that utilization
// rose to the surprise line (80% by default) from below it the day before.
func utilizationCrossings(u Usage, a Account, th Thresholds, from, t Date, ref func(Date) string) []TimelineEvent {
	var out []TimelineEvent
	for d := from; d <= t; d++ {
		var m AccountMetrics
		m.UtilPrev = utilization(u.MAUOn(d-1), a.Licenses)
		m.Util = utilization(u.MAUOn(d), a.Licenses)
		if m.Util == nil {
			return nil // no licenses: utilization is undefined
		}
		if !surpriseByUtilization(&m, th) {
			continue
		}
		now, line := percentPair(*m.Util, th.SurpriseUtilization)
		out = append(out, dated(d, TimelineMilestone, EventUtilizationCrossed, ref(d),
			fmt.Sprintf("Utilization crossed %s: %s (%d monthly users of %d licenses)", line, now, u.MAUOn(d), a.Licenses)))
	}
	return out
}

// dropStarts lists each day a significant drop began: the segment holds
// on that day's figures and held on none of the two weeks before (the
// rule's own recent window). A drop the rule loses for a few days, as a
// week with one active day comes and goes, is one drop, not several.
func dropStarts(u Usage, a Account, th Thresholds, t Date, ref func(Date) string) []TimelineEvent {
	var out []TimelineEvent
	lastHeld := Date(0)
	held := false
	for d := u.First; d <= t; d++ {
		m := AccountMetrics{Metrics: dropFigures(u, d)}
		if !segmentHolds(SegmentSignificantDrop, &m, th, bookContext{}) {
			continue
		}
		if !held || d-lastHeld > recentDays {
			out = append(out, dated(d, TimelineMilestone, EventDropStarted, ref(d),
				"Significant drop began: "+Explain(SegmentSignificantDrop, &m, th, 0)))
		}
		held, lastHeld = true, d
	}
	return out
}

// dropFigures are the figures of day t that significant_drop reads, as
// ComputeMetrics computes them (a test holds the two equal), without the
// rest of its work: over a long history, ComputeMetrics for every day
// would cost the square of the days.
func dropFigures(u Usage, t Date) Metrics {
	var m Metrics
	m.AsOf = t
	m.DAURecent = u.averageDAU(t-recentDays+1, t)
	m.DAUBaseline = u.averageDAU(t-baselineStart, t-recentDays)
	m.WeeklyActive = u.weeklyActive(t)
	m.WeeklyUse = allPositive(m.WeeklyActive)
	m.WeeklyUsePrior = allPositive(u.weeklyActive(t - weekWindows*weekDays))
	return m
}
