package ui

import "csm/model"

// badgeText is the short form of a key on a book row, where room is tight:
// the tab's own name (model.Label), or where it is long, that name cut
// after its first letters and ended with a dot, the same way everywhere.
// The help (?) lists each short form with the tab's name (badgeLegend).
var badgeText = map[string]string{
	model.AlertCrisis:              "Crisis",
	model.AlertSurprise:            "Surprise",
	model.AlertRelationshipChange:  "Rel. change",
	model.SegmentDangerZone:        "Danger",
	model.SegmentApproachingDanger: "Appr. danger",
	model.SegmentChampionLeft:      "Champ. left",
	model.SegmentSignificantDrop:   "Sig. drop",
	model.SegmentLowUtilization:    "Low util.",
	model.SegmentLowEngagement:     "Low engagement",
	model.SegmentDetractor:         "Detractor",
	model.SegmentRenewalSoon:       "Renewal soon",
	model.SegmentFlatUsage:         "Flat usage",
	model.SegmentGrowing:           "Growing",
	model.SegmentTopCustomers:      "Top cust.",
	model.FlagNoLicenses:           "No licenses",
	model.FlagNoUsage:              "No usage",
	snoozedFlag:                    "Snoozed",
	snoozedAlertFlag:               "Alert snoozed",
}

// badgeLegend lists the short forms of the Why column that differ from
// the tab's name, as "Rel. change = Relationship change", in row order.
func badgeLegend() []string {
	var out []string
	for _, k := range rowBadgeOrder {
		if short, long := badgeText[k], model.Label(k); short != long {
			out = append(out, short+" = "+long)
		}
	}
	return out
}

// rowBadgeOrder is the order in which a row's reasons are listed: what needs
// the CSM most comes first, so a cut row still shows the main reason.
// post_onboarding is left out: it describes most of a book and says nothing
// about urgency.
var rowBadgeOrder = []string{
	model.AlertCrisis, model.AlertRelationshipChange, model.AlertSurprise,
	model.SegmentDangerZone, model.SegmentApproachingDanger,
	model.SegmentChampionLeft, model.SegmentSignificantDrop, model.SegmentDetractor,
	model.SegmentRenewalSoon, model.SegmentLowEngagement, model.SegmentLowUtilization,
	model.SegmentFlatUsage, model.SegmentGrowing, model.SegmentTopCustomers,
	model.FlagNoLicenses, model.FlagNoUsage, snoozedFlag, snoozedAlertFlag,
}

// rowBadges lists the keys of an account that go on its row, in order.
func rowBadges(m model.AccountMetrics) []string {
	has := make(map[string]bool, len(m.Segments)+len(m.Alerts)+len(m.Flags))
	for _, k := range m.Segments {
		has[k] = true
	}
	for _, k := range m.Alerts {
		has[k] = true
	}
	for _, k := range m.Flags {
		has[k] = true
	}
	var out []string
	for _, k := range rowBadgeOrder {
		if has[k] {
			out = append(out, k)
		}
	}
	return out
}

func isAlert(k string) bool {
	for _, a := range model.AlertKeys {
		if a == k {
			return true
		}
	}
	return false
}
