package ui

import "csm/model"

// badgeText is the short form of a key on a book row, where room is tight.
var badgeText = map[string]string{
	model.AlertCrisis:              "CRISIS",
	model.AlertSurprise:            "SURPRISE",
	model.AlertRelationshipChange:  "HANDOFF",
	model.SegmentDangerZone:        "danger",
	model.SegmentApproachingDanger: "near-danger",
	model.SegmentChampionLeft:      "champion-left",
	model.SegmentSignificantDrop:   "drop",
	model.SegmentLowUtilization:    "low-util",
	model.SegmentLowEngagement:     "low-engagement",
	model.SegmentDetractor:         "detractor",
	model.SegmentRenewalSoon:       "renewal",
	model.SegmentFlatUsage:         "flat",
	model.SegmentGrowing:           "growing",
	model.SegmentTopCustomers:      "top",
	model.FlagNoLicenses:           "no-licenses",
	model.FlagNoUsage:              "no-usage",
	snoozedFlag:                    "zZ",
	snoozedAlertFlag:               "zZ-alert",
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
