package model

import (
	"fmt"
	"math"
	"strings"
)

// Explain returns a sentence with the figures that put an account in a
// segment, alert or flag, e.g. "utilization 42% (21 users of 50 licenses)
// is below 60%". It reads the account's figures as they are and says what
// they show; for a key the account is not in, the sentence may not make
// sense. Names in it (a champion's) are untrusted text: sanitize before
// drawing.
func Explain(key string, m *AccountMetrics, th Thresholds, dangerLine float64) string {
	switch key {
	case SegmentPostOnboarding:
		return explainPostOnboarding(m)
	case SegmentLowUtilization:
		return explainUtilBelow(m, th.LowUtilization)
	case SegmentSignificantDrop:
		return explainDrop(m, th)
	case SegmentTopCustomers:
		return fmt.Sprintf("%s, rank %d of the book by monthly active users (top %s)",
			Plural(m.MAU, "monthly active user"), m.MAURank, percent(th.TopCustomersShare, 0))
	case SegmentGrowing:
		return explainGrowing(m, th)
	case SegmentLowEngagement:
		return explainLowEngagement(m, th)
	case SegmentDangerZone:
		return fmt.Sprintf("health %.1f is at or below the danger line %.1f (%s)",
			m.Health.Score, dangerLine, dangerLineSource(th))
	case SegmentApproachingDanger:
		return fmt.Sprintf("health %.1f is %.1f points above the danger line %.1f (%s), within %g",
			m.Health.Score, m.Health.Score-dangerLine, dangerLine, dangerLineSource(th), th.ApproachingMargin)
	case SegmentRenewalSoon:
		return explainRenewal(m)
	case SegmentDetractor:
		return explainDetractor(m, th)
	case SegmentChampionLeft:
		return explainChampionLeft(m)
	case SegmentFlatUsage:
		return explainFlat(m, th)
	case AlertRelationshipChange:
		return explainRelationshipChange(m, th)
	case AlertCrisis:
		return explainCrisis(m, th)
	case AlertSurprise:
		return explainSurprise(m, th)
	case FlagNoLicenses:
		return "no licenses on record: utilization is undefined and no rule on utilization applies"
	case FlagNoUsage:
		return "no active users in the last 30 days"
	}
	return Label(key)
}

func explainPostOnboarding(m *AccountMetrics) string {
	if m.OnboardingCompletedOn == nil {
		return "onboarding is not complete"
	}
	return fmt.Sprintf("onboarding completed on %s, %s", m.OnboardingCompletedOn, InDays(-int(m.AsOf-*m.OnboardingCompletedOn)))
}

// explainUtilBelow: "utilization 42% (21 users of 50 licenses) is below 60%".
func explainUtilBelow(m *AccountMetrics, limit float64) string {
	if m.Util == nil {
		return "utilization is undefined: no licenses"
	}
	v, l := percentPair(*m.Util, limit)
	return fmt.Sprintf("utilization %s (%s of %s) is below %s",
		v, Plural(m.MAU, "user"), Plural(m.Licenses, "license"), l)
}

// explainDrop covers both clauses of significant_drop, whichever hold.
func explainDrop(m *AccountMetrics, th Thresholds) string {
	var parts []string
	if dropByAverage(m, th) {
		parts = append(parts, fmt.Sprintf(
			"average daily users fell from %.1f to %.1f (%s) over the last two weeks, against the four weeks before",
			m.DAUBaseline, m.DAURecent, SignedPercent(m.DAURecent/m.DAUBaseline-1)))
	}
	if dropByWeeklyUse(m) {
		idle := 0
		for _, v := range m.WeeklyActive {
			if v <= 0 {
				idle++
			}
		}
		parts = append(parts, fmt.Sprintf(
			"weekly use stopped: each of the four weeks before had active users, but %s of the last four had none",
			Plural(idle, "week")))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("average daily users went from %.1f to %.1f over the last two weeks", m.DAUBaseline, m.DAURecent)
	}
	return strings.Join(parts, "; ")
}

// explainTrend: "monthly active users rose from 20 to 26 (+30%) in 30 days".
func explainTrend(m *AccountMetrics) string {
	if m.Trend == nil {
		return fmt.Sprintf("no monthly active users 30 days ago, %d now", m.MAU)
	}
	verb := "rose"
	switch {
	case m.MAU < m.MAUPrev:
		verb = "fell"
	case m.MAU == m.MAUPrev:
		verb = "held"
	}
	return fmt.Sprintf("monthly active users %s from %d to %d (%s) in 30 days",
		verb, m.MAUPrev, m.MAU, SignedPercent(*m.Trend))
}

func explainGrowing(m *AccountMetrics, th Thresholds) string {
	if m.Trend == nil {
		return explainTrend(m)
	}
	return explainTrend(m) + ", above " + signedPercentVs(th.GrowingTrend, *m.Trend)
}

func explainLowEngagement(m *AccountMetrics, th Thresholds) string {
	var why []string
	if utilBelow(m.Util, th.LowUtilization) {
		why = append(why, explainUtilBelow(m, th.LowUtilization))
	}
	if below(m.Stickiness, th.LowStickiness) {
		v, l := percentPair(m.Stickiness, th.LowStickiness)
		why = append(why, fmt.Sprintf("stickiness %s (%.1f average daily of %d monthly users) is below %s",
			v, m.DAU, m.MAU, l))
	}
	if len(why) == 0 {
		return explainPostOnboarding(m)
	}
	return explainPostOnboarding(m) + ", and " + strings.Join(why, " and ")
}

func dangerLineSource(th Thresholds) string {
	if th.DangerLine != nil {
		return "set in config"
	}
	return "the book's " + ordinal(int(math.Round(th.DangerPercentile*100))) + " percentile"
}

func explainRenewal(m *AccountMetrics) string {
	switch m.RenewalInDays {
	case 0:
		return fmt.Sprintf("renews today, %s", m.RenewalOn)
	case 1:
		return fmt.Sprintf("renews tomorrow, %s", m.RenewalOn)
	}
	return fmt.Sprintf("renews on %s, in %d days", m.RenewalOn, m.RenewalInDays)
}

func explainDetractor(m *AccountMetrics, th Thresholds) string {
	if m.NPS == nil {
		return "no NPS answer"
	}
	return fmt.Sprintf("latest NPS score is %d (answered %s), %d or lower", *m.NPS, m.NPSOn, th.DetractorMaxScore)
}

func explainChampionLeft(m *AccountMetrics) string {
	if m.ChampionLeftOn == nil {
		return "no champion has left"
	}
	name := m.ChampionLeftName
	if name == "" {
		name = "the champion"
	}
	return fmt.Sprintf("champion %s left on %s and no other champion is active", name, m.ChampionLeftOn)
}

func explainFlat(m *AccountMetrics, th Thresholds) string {
	s := explainTrend(m) + fmt.Sprintf(", within ±%s", percent(th.FlatTrend, 0))
	if m.Util != nil {
		v, l := percentPair(*m.Util, th.FlatMaxUtilization)
		s += fmt.Sprintf(", while utilization %s is below %s: room to grow", v, l)
	}
	return s
}

func explainRelationshipChange(m *AccountMetrics, th Thresholds) string {
	var handoff string
	switch recentHandoff(m, th) {
	case handoffOnboarding:
		handoff = "onboarding completed " + InDays(-int(m.AsOf-*m.OnboardingCompletedOn))
	case handoffPurchase:
		handoff = "purchased " + InDays(-int(m.AsOf-m.PurchasedOn))
	default:
		handoff = fmt.Sprintf("no handoff in the last %d days", th.HandoffDays)
	}
	return handoff + " and " + explainUtilBelow(m, th.HandoffUtilization)
}

func explainCrisis(m *AccountMetrics, th Thresholds) string {
	var parts []string
	if crisisByDrop(m, th) {
		v, l := percentPair(*m.UtilPrev, th.CrisisUtilization)
		parts = append(parts, fmt.Sprintf("utilization was %s 30 days ago (at least %s), then %s",
			v, l, explainDrop(m, th)))
	}
	if m.Champion == ChampionLeft {
		parts = append(parts, explainChampionLeft(m))
	}
	if len(parts) == 0 {
		return "no sharp drop after a strong period, and no champion lost"
	}
	return strings.Join(parts, "; ")
}

func explainSurprise(m *AccountMetrics, th Thresholds) string {
	var parts []string
	if surpriseByTrend(m, th) {
		parts = append(parts, explainTrend(m))
	}
	if surpriseByUtilization(m, th) {
		before, limit := percentPair(*m.UtilPrev, th.SurpriseUtilization)
		now, _ := percentPair(*m.Util, th.SurpriseUtilization)
		parts = append(parts, fmt.Sprintf("utilization crossed %s: from %s to %s in 30 days", limit, before, now))
	}
	if len(parts) == 0 {
		return explainTrend(m)
	}
	return strings.Join(parts, "; ")
}

// percent formats a fraction as a percentage with the given decimals.
func percent(v float64, decimals int) string {
	return fmt.Sprintf("%.*f%%", decimals, v*100)
}

// percentPair formats a figure and the threshold it is compared with, with
// as few decimals as tell them apart, so a utilization of 59.6% against 60%
// never reads "60% is below 60%".
func percentPair(v, limit float64) (string, string) {
	for d := 0; d < 3; d++ {
		a, b := percent(v, d), percent(limit, d)
		if a != b || math.Abs(v-limit) <= ruleEpsilon {
			return a, b
		}
	}
	return percent(v, 3), percent(limit, 3)
}

// signedPercentVs formats a threshold on a change with the decimals that
// tell it apart from v.
func signedPercentVs(limit, v float64) string {
	for d := 0; d < 3; d++ {
		a, b := fmt.Sprintf("%+.*f%%", d, v*100), fmt.Sprintf("%+.*f%%", d, limit*100)
		if a != b || math.Abs(v-limit) <= ruleEpsilon {
			return b
		}
	}
	return fmt.Sprintf("%+.3f%%", limit*100)
}

// ordinal: 1st, 2nd, 3rd, 25th, 11th.
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}
