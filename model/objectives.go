package model

import "slices"

// Objectives are the portfolio figures of the dashboard (SPEC §2).
type Objectives struct {
	Accounts int `json:"accounts"`
	// LowUtilization counts low_utilization accounts, against a target of
	// at most LowUtilizationTarget.
	LowUtilization       int  `json:"low_utilization"`
	LowUtilizationTarget int  `json:"low_utilization_target"`
	LowUtilizationMet    bool `json:"low_utilization_met"`
	// AvgUtilization is the mean utilization of the accounts with licenses
	// (each account counts once, whatever its size); nil when none has any.
	AvgUtilization *float64 `json:"avg_utilization"`
	// Growing counts growing accounts.
	Growing int `json:"growing"`
	// Stickiness is book-wide: the sum of every account's average DAU over
	// the sum of their MAU, so large accounts weigh more, as they would if
	// the book were one customer; 0 when the book has no MAU.
	Stickiness float64 `json:"stickiness"`
	// WeeklyUse counts accounts with weekly use.
	WeeklyUse int `json:"weekly_use"`
	// QBRsDue counts accounts whose quarterly business review is due.
	QBRsDue int `json:"qbrs_due"`
	// Alerts counts accounts with at least one alert; DangerZone those in
	// the danger zone.
	Alerts     int `json:"alerts"`
	DangerZone int `json:"danger_zone"`
}

// ComputeObjectives sums up classified accounts.
func ComputeObjectives(ms []AccountMetrics, th Thresholds) Objectives {
	o := Objectives{Accounts: len(ms), LowUtilizationTarget: th.LowUtilizationTarget}
	utilSum, utilN := 0.0, 0
	dauSum, mauSum := 0.0, 0
	for i := range ms {
		m := &ms[i]
		if slices.Contains(m.Segments, SegmentLowUtilization) {
			o.LowUtilization++
		}
		if slices.Contains(m.Segments, SegmentGrowing) {
			o.Growing++
		}
		if slices.Contains(m.Segments, SegmentDangerZone) {
			o.DangerZone++
		}
		if len(m.Alerts) > 0 {
			o.Alerts++
		}
		if m.WeeklyUse {
			o.WeeklyUse++
		}
		if m.QBRDue {
			o.QBRsDue++
		}
		if m.Util != nil {
			utilSum += *m.Util
			utilN++
		}
		dauSum += m.DAU
		mauSum += m.MAU
	}
	o.LowUtilizationMet = o.LowUtilization <= o.LowUtilizationTarget
	if utilN > 0 {
		o.AvgUtilization = metricPtr(utilSum / float64(utilN))
	}
	if mauSum > 0 {
		o.Stickiness = dauSum / float64(mauSum)
	}
	return o
}
