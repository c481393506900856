package model

import (
	"math"
	"sort"
)

// Segment keys (SPEC §2). They are part of the interface: the CLI's --json,
// the config and the playbook triggers use them.
const (
	SegmentPostOnboarding    = "post_onboarding"
	SegmentLowUtilization    = "low_utilization"
	SegmentSignificantDrop   = "significant_drop"
	SegmentTopCustomers      = "top_customers"
	SegmentGrowing           = "growing"
	SegmentLowEngagement     = "low_engagement_after_onboarding"
	SegmentDangerZone        = "danger_zone"
	SegmentApproachingDanger = "approaching_danger"
	SegmentRenewalSoon       = "renewal_soon"
	SegmentDetractor         = "detractor"
	SegmentChampionLeft      = "champion_left"
	SegmentFlatUsage         = "flat_usage"
)

// SegmentKeys lists every segment key in the order of SPEC's table; an
// account's segments come in this order.
var SegmentKeys = []string{
	SegmentPostOnboarding,
	SegmentLowUtilization,
	SegmentSignificantDrop,
	SegmentTopCustomers,
	SegmentGrowing,
	SegmentLowEngagement,
	SegmentDangerZone,
	SegmentApproachingDanger,
	SegmentRenewalSoon,
	SegmentDetractor,
	SegmentChampionLeft,
	SegmentFlatUsage,
}

// Flags mark accounts whose figures need a caveat; they are not segments.
const (
	// FlagNoLicenses: licenses = 0, so utilization is undefined and every
	// rule clause on utilization is false.
	FlagNoLicenses = "no_licenses"
	// FlagNoUsage: the account has no usage at all in the last 30 days.
	FlagNoUsage = "no_usage"
)

// FlagKeys lists every flag key.
var FlagKeys = []string{FlagNoLicenses, FlagNoUsage}

var keyLabels = map[string]string{
	SegmentPostOnboarding:    "Onboarding complete",
	SegmentLowUtilization:    "Low utilization",
	SegmentSignificantDrop:   "Significant drop",
	SegmentTopCustomers:      "Top customers",
	SegmentGrowing:           "Growing",
	SegmentLowEngagement:     "Low engagement after onboarding",
	SegmentDangerZone:        "Danger zone",
	SegmentApproachingDanger: "Approaching danger",
	SegmentRenewalSoon:       "Renewal soon",
	SegmentDetractor:         "Detractor",
	SegmentChampionLeft:      "Champion left",
	SegmentFlatUsage:         "Flat usage",
	AlertRelationshipChange:  "Relationship change",
	AlertCrisis:              "Crisis",
	AlertSurprise:            "Surprise",
	FlagNoLicenses:           "No licenses",
	FlagNoUsage:              "No usage",
	FlagSnoozed:              "Snoozed",
	FlagSnoozedAlert:         "Alert snoozed",
	NeedsMe:                  "Needs me",
}

// Label returns the human name of a segment, alert or flag key, or the key
// itself when it is unknown.
func Label(key string) string {
	if l, ok := keyLabels[key]; ok {
		return l
	}
	return key
}

// ruleEpsilon absorbs floating-point noise at rule boundaries, so a trend
// of exactly 0.10 (11/10 − 1 = 0.10000000000000009 in binary) is not
// "above 0.10". Real figures are ratios of counts, whose distance from a
// two-decimal threshold is far larger than this unless they equal it.
const ruleEpsilon = 1e-9

func below(a, b float64) bool   { return a < b-ruleEpsilon }
func atMost(a, b float64) bool  { return a <= b+ruleEpsilon }
func above(a, b float64) bool   { return a > b+ruleEpsilon }
func atLeast(a, b float64) bool { return a >= b-ruleEpsilon }

// bookContext holds the book-wide figures the book-relative segments need.
type bookContext struct {
	dangerLine float64
	topCount   int // how many accounts top_customers holds
}

// segmentHolds reports whether an account is in a segment. The account's
// MAURank and Health must already be set.
func segmentHolds(key string, m *AccountMetrics, th Thresholds, b bookContext) bool {
	switch key {
	case SegmentPostOnboarding:
		return m.OnboardingCompletedOn != nil && *m.OnboardingCompletedOn <= m.AsOf
	case SegmentLowUtilization:
		return utilBelow(m.Util, th.LowUtilization)
	case SegmentSignificantDrop:
		return dropByAverage(m, th) || dropByWeeklyUse(m)
	case SegmentTopCustomers:
		return m.MAURank >= 1 && m.MAURank <= b.topCount
	case SegmentGrowing:
		return m.Trend != nil && above(*m.Trend, th.GrowingTrend)
	case SegmentLowEngagement:
		return settledOnboarding(m, th) &&
			(utilBelow(m.Util, th.LowUtilization) || below(m.Stickiness, th.LowStickiness))
	case SegmentDangerZone:
		return atMost(m.Health.Score, b.dangerLine)
	case SegmentApproachingDanger:
		return above(m.Health.Score, b.dangerLine) && atMost(m.Health.Score, b.dangerLine+th.ApproachingMargin)
	case SegmentRenewalSoon:
		return RenewsWithin(m, th.RenewalWindowDays)
	case SegmentDetractor:
		return m.NPS != nil && *m.NPS <= th.DetractorMaxScore
	case SegmentChampionLeft:
		return m.Champion == ChampionLeft
	case SegmentFlatUsage:
		return m.Trend != nil && atLeast(*m.Trend, -th.FlatTrend) && atMost(*m.Trend, th.FlatTrend) &&
			utilBelow(m.Util, th.FlatMaxUtilization)
	}
	return false
}

// utilBelow is a rule clause on utilization: false when it is undefined.
func utilBelow(util *float64, limit float64) bool {
	return util != nil && below(*util, limit)
}

// dropByAverage: the last two weeks' average DAU is at most DropRatio of
// the four weeks before, which had some use.
func dropByAverage(m *AccountMetrics, th Thresholds) bool {
	return m.DAUBaseline > 0 && atMost(m.DAURecent, th.DropRatio*m.DAUBaseline)
}

// dropByWeeklyUse: weekly use held in the four weeks before the last four
// and does not hold now.
func dropByWeeklyUse(m *AccountMetrics) bool {
	return m.WeeklyUsePrior && !m.WeeklyUse
}

// settledOnboarding: onboarding completed at least SettleDays before T.
func settledOnboarding(m *AccountMetrics, th Thresholds) bool {
	return m.OnboardingCompletedOn != nil && int(m.AsOf-*m.OnboardingCompletedOn) >= th.SettleDays
}

// nearestRank returns the 1-based nearest-rank position ⌈p·n⌉ in a list of
// n, at least 1 when n > 0. The epsilon keeps 0.1·30 at 3, not 4.
func nearestRank(p float64, n int) int {
	if n <= 0 {
		return 0
	}
	return min(max(int(math.Ceil(p*float64(n)-ruleEpsilon)), 1), n)
}

// topCount returns how many accounts top_customers holds: ⌈share·n⌉, and
// none when the share is 0.
func topCount(share float64, n int) int {
	if !(share > 0) {
		return 0
	}
	return nearestRank(share, n)
}

// rankByMAU sets each account's MAURank: 1 for the highest mau(T), ties
// broken by id in ascending byte order (the smaller id ranks first).
func rankByMAU(ms []AccountMetrics) {
	order := make([]int, len(ms))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := &ms[order[a]], &ms[order[b]]
		if x.MAU != y.MAU {
			return x.MAU > y.MAU
		}
		return x.AccountID < y.AccountID
	})
	for rank, i := range order {
		ms[i].MAURank = rank + 1
	}
}

// DangerLine returns the health at nearest-rank percentile p of the book
// (the value at position ⌈p·n⌉ of the ascending list), or 0 for an empty book.
func DangerLine(health []float64, p float64) float64 {
	if len(health) == 0 {
		return 0
	}
	sorted := append([]float64(nil), health...)
	sort.Float64s(sorted)
	return sorted[nearestRank(p, len(sorted))-1]
}
