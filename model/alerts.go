package model

// Alert keys (SPEC §2, moments of truth): events that need the CSM now.
const (
	AlertRelationshipChange = "relationship_change"
	AlertCrisis             = "crisis"
	AlertSurprise           = "surprise"
)

// AlertKeys lists every alert key in the order of SPEC's table.
var AlertKeys = []string{AlertRelationshipChange, AlertCrisis, AlertSurprise}

// alertHolds reports whether an alert is raised for an account.
func alertHolds(key string, m *AccountMetrics, th Thresholds) bool {
	switch key {
	case AlertRelationshipChange:
		return recentHandoff(m, th) != "" && utilBelow(m.Util, th.HandoffUtilization)
	case AlertCrisis:
		return crisisByDrop(m, th) || m.Champion == ChampionLeft
	case AlertSurprise:
		return surpriseByTrend(m, th) || surpriseByUtilization(m, th)
	}
	return false
}

// Handoffs that open the relationship_change window.
const (
	handoffPurchase   = "purchase"
	handoffOnboarding = "onboarding"
)

// recentHandoff names the newest handoff within the last HandoffDays days
// (0 ≤ T − day ≤ HandoffDays), or "" when there is none.
func recentHandoff(m *AccountMetrics, th Thresholds) string {
	within := func(d Date) bool {
		ago := int(m.AsOf - d)
		return ago >= 0 && ago <= th.HandoffDays
	}
	completed := m.OnboardingCompletedOn
	if completed != nil && within(*completed) && (*completed >= m.PurchasedOn || !within(m.PurchasedOn)) {
		return handoffOnboarding
	}
	if within(m.PurchasedOn) {
		return handoffPurchase
	}
	return ""
}

// crisisByDrop: strong 30 days ago, then a significant drop.
func crisisByDrop(m *AccountMetrics, th Thresholds) bool {
	return m.UtilPrev != nil && atLeast(*m.UtilPrev, th.CrisisUtilization) &&
		(dropByAverage(m, th) || dropByWeeklyUse(m))
}

// surpriseByTrend: a jump in monthly users, on a base large enough to mean
// something.
func surpriseByTrend(m *AccountMetrics, th Thresholds) bool {
	return m.Trend != nil && atLeast(*m.Trend, th.SurpriseTrend) && m.MAU >= th.SurpriseMinMAU
}

// surpriseByUtilization: utilization crossed SurpriseUtilization upwards in
// the last 30 days.
func surpriseByUtilization(m *AccountMetrics, th Thresholds) bool {
	return m.UtilPrev != nil && m.Util != nil &&
		below(*m.UtilPrev, th.SurpriseUtilization) && atLeast(*m.Util, th.SurpriseUtilization)
}
