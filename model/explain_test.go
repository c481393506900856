package model

import (
	"slices"
	"strings"
	"testing"
)

func TestReasons(t *testing.T) {
	dropped := withUsage(newUsage().span(fxT-90, fxT, fxDay{DAU: 10, WAU: 20, MAU: 30}).dau(fxT-13, fxT, 4))
	tests := []struct {
		name string
		acct AccountData
		key  string
		want []string // pieces the sentence must hold
	}{
		{"low utilization", fxAccount("a", licenses(50), sticky(5, 21)), SegmentLowUtilization,
			[]string{"utilization 42% (21 users of 50 licenses) is below 60%"}},
		{"low utilization close to the line", fxAccount("a", licenses(1000), sticky(5, 596)), SegmentLowUtilization,
			[]string{"59.6%", "below 60.0%"}},
		{"drop in average users", fxAccount("a", dropped), SegmentSignificantDrop,
			[]string{"fell from 10.0 to 4.0 (-60%)", "last two weeks"}},
		{"weekly use lost", fxAccount("a", withUsage(newUsage().steady(1, 5).dau(fxT-27, fxT-21, 0))), SegmentSignificantDrop,
			[]string{"weekly use stopped", "1 week of the last four"}},
		{"growing", fxAccount("a", licenses(100), monthly(12, 10)), SegmentGrowing,
			[]string{"rose from 10 to 12 (+20%) in 30 days", "above +10%"}},
		{"flat", fxAccount("a", licenses(100), monthly(41, 40)), SegmentFlatUsage,
			[]string{"from 40 to 41 (+2%)", "within ±5%", "utilization 41% is below 80%"}},
		{"renewal", fxAccount("a", renewsOn(fxT+25)), SegmentRenewalSoon,
			[]string{"renews on 2026-12-15, in 25 days"}},
		{"renewal today", fxAccount("a", renewsOn(fxT)), SegmentRenewalSoon, []string{"renews today"}},
		{"detractor", fxAccount("a", answers(NPSResponse{ID: "n", Score: 4, RespondedOn: fxT - 10})), SegmentDetractor,
			[]string{"latest NPS score is 4", "2026-11-10", "6 or lower"}},
		{"champion left", fxAccount("a", contacts(champion("c1", "Ana Ruiz", metricPtr(fxT-20)))), SegmentChampionLeft,
			[]string{"champion Ana Ruiz left on 2026-10-31"}},
		{"low engagement", fxAccount("a", licenses(100), completedOn(metricPtr(fxT-45)), sticky(2, 20)), SegmentLowEngagement,
			[]string{"45 days ago", "utilization 20%", "stickiness 10%", "below 20%"}},
		{"post onboarding", fxAccount("a", completedOn(metricPtr(fxT-1))), SegmentPostOnboarding,
			[]string{"2026-11-19, 1 day ago"}},
		{"top customer", fxAccount("a"), SegmentTopCustomers, []string{"20 monthly active users", "rank 1", "top 10%"}},
		{"danger zone", fxAccount("a"), SegmentDangerZone, []string{"at or below the danger line", "the book's 25th percentile"}},
		{"relationship change", fxAccount("a", licenses(100), completedOn(nil), purchasedOn(fxT-20)), AlertRelationshipChange,
			[]string{"purchased 20 days ago", "utilization 20%", "below 40%"}},
		{"crisis by drop", fxAccount("a", licenses(40), dropped), AlertCrisis,
			[]string{"utilization was 75% 30 days ago (at least 60%)", "fell from 10.0 to 4.0"}},
		{"crisis by champion", fxAccount("a", contacts(champion("c1", "Ana", metricPtr(fxT-2)))), AlertCrisis,
			[]string{"champion Ana left on 2026-11-18"}},
		{"surprise by crossing", fxAccount("a", licenses(50), monthly(40, 38)), AlertSurprise,
			[]string{"utilization crossed 80%: from 76% to 80%"}},
		{"no licenses", fxAccount("a", licenses(0)), FlagNoLicenses, []string{"no licenses"}},
		{"no usage", fxAccount("a", idle()), FlagNoUsage, []string{"no active users"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := computeOne(tt.acct, DefaultThresholds())
			reason, ok := m.Reasons[tt.key]
			if !ok {
				t.Fatalf("no reason for %s; segments %v, alerts %v, flags %v", tt.key, m.Segments, m.Alerts, m.Flags)
			}
			for _, w := range tt.want {
				if !strings.Contains(reason, w) {
					t.Errorf("reason %q lacks %q", reason, w)
				}
			}
		})
	}
}

func TestReasonsAreCleanText(t *testing.T) {
	// An account in as many segments and alerts as one can be; every
	// sentence must read as text, with no formatting slip.
	accts := []AccountData{
		fxAccount("busy", licenses(100), completedOn(metricPtr(fxT-40)), renewsOn(fxT+3), monthly(40, 40),
			contacts(champion("c1", "Ana", metricPtr(fxT-2))),
			answers(NPSResponse{ID: "n", Score: 1, RespondedOn: fxT - 1})),
		fxAccount("none", licenses(0), idle(), completedOn(nil)),
		fxAccount("jump", licenses(50), monthly(48, 20), purchasedOn(fxT-3)),
	}
	b := ComputeBook(accts, fxFeatures, DefaultPlaybooks(), DefaultThresholds())
	for _, m := range b.Accounts {
		keys := len(m.Segments) + len(m.Alerts) + len(m.Flags)
		if len(m.Reasons) != keys {
			t.Errorf("%s: %d reasons for %d keys", m.AccountID, len(m.Reasons), keys)
		}
		for key, reason := range m.Reasons {
			if reason == "" || strings.Contains(reason, "%!") || strings.Contains(reason, "NaN") ||
				strings.Contains(reason, "<nil>") || strings.Contains(reason, "Inf") {
				t.Errorf("%s: reason for %s is %q", m.AccountID, key, reason)
			}
		}
	}
}

func TestExplainNeverPanics(t *testing.T) {
	// Explain is exported: asked about a key an account is not in, or about
	// an account with nothing defined, it still returns some text.
	empty := &AccountMetrics{}
	full := computeOne(fxAccount("a"), DefaultThresholds())
	for _, key := range append(slices.Concat(SegmentKeys, AlertKeys, FlagKeys), "unknown") {
		for _, m := range []*AccountMetrics{empty, &full} {
			if got := Explain(key, m, DefaultThresholds(), 50); got == "" {
				t.Errorf("Explain(%s) is empty", key)
			}
		}
		DescribeAlert(key, empty, DefaultThresholds(), DefaultPlaybooks())
	}
}

func TestPercentPair(t *testing.T) {
	tests := []struct {
		v, limit float64
		wantV    string
		wantL    string
	}{
		{0.42, 0.6, "42%", "60%"},
		{0.6, 0.6, "60%", "60%"},
		{0.596, 0.6, "59.6%", "60.0%"},
		{0.5999, 0.6, "59.99%", "60.00%"},
		{0.59999, 0.6, "59.999%", "60.000%"},
		{0.805, 0.8, "80.5%", "80.0%"},
	}
	for _, tt := range tests {
		v, l := percentPair(tt.v, tt.limit)
		if v != tt.wantV || l != tt.wantL {
			t.Errorf("percentPair(%v, %v) = %q, %q; want %q, %q", tt.v, tt.limit, v, l, tt.wantV, tt.wantL)
		}
	}
}

func TestOrdinal(t *testing.T) {
	want := map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 25: "25th", 101: "101st", 111: "111th"}
	for n, w := range want {
		if got := ordinal(n); got != w {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, w)
		}
	}
}

func TestAlertNotes(t *testing.T) {
	left := contacts(champion("c1", "Ana", metricPtr(fxT-2)))
	dropped := withUsage(newUsage().span(fxT-90, fxT, fxDay{DAU: 10, WAU: 20, MAU: 30}).dau(fxT-13, fxT, 4))
	tests := []struct {
		name          string
		acct          AccountData
		playbooks     []Playbook
		key           string
		wantWhat      string
		wantPlay      string
		wantPlaybooks []string
	}{
		{"crisis by champion, default plays", fxAccount("a", left), DefaultPlaybooks(), AlertCrisis,
			"champion left", "Suggested play: Key user left the company.", []string{"replace_champion"}},
		{"crisis by drop, default plays", fxAccount("a", licenses(40), dropped), DefaultPlaybooks(), AlertCrisis,
			"dropped sharply", "Low adoption of core features", []string{"recover_core_adoption"}},
		{"crisis with no playbook", fxAccount("a", left), nil, AlertCrisis,
			"champion left", "re-establish the relationship", nil},
		{"surprise", fxAccount("a", licenses(100), monthly(30, 20)), DefaultPlaybooks(), AlertSurprise,
			"positive jump", "Increase utilization", []string{"expand_growing_account"}},
		{"relationship change", fxAccount("a", licenses(100), completedOn(metricPtr(fxT-40))), DefaultPlaybooks(), AlertRelationshipChange,
			"handoff", "Suggested plays: Low utilization; Low engagement after onboarding.",
			[]string{"raise_utilization", "post_onboarding_engagement"}},
		{"a playbook triggered by the alert itself", fxAccount("a", left),
			[]Playbook{{Key: "war_room", Name: "War room", Trigger: AlertCrisis}}, AlertCrisis,
			"champion left", "War room", []string{"war_room"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ComputeBook([]AccountData{tt.acct}, fxFeatures, tt.playbooks, DefaultThresholds())
			m := b.Accounts[0]
			var note *AlertNote
			for i := range m.AlertNotes {
				if m.AlertNotes[i].Key == tt.key {
					note = &m.AlertNotes[i]
				}
			}
			if note == nil {
				t.Fatalf("no note for %s; alerts %v", tt.key, m.Alerts)
			}
			if !strings.Contains(note.What, tt.wantWhat) || !strings.Contains(note.Play, tt.wantPlay) {
				t.Errorf("note %+v: want what ~ %q, play ~ %q", *note, tt.wantWhat, tt.wantPlay)
			}
			if note.Figures != m.Reasons[tt.key] || note.Title != Label(tt.key) {
				t.Errorf("note figures %q / title %q do not match reason %q / label %q", note.Figures, note.Title, m.Reasons[tt.key], Label(tt.key))
			}
			if len(note.Playbooks) != len(tt.wantPlaybooks) {
				t.Fatalf("playbooks %v, want %v", note.Playbooks, tt.wantPlaybooks)
			}
			for _, k := range tt.wantPlaybooks {
				if !hasKey(note.Playbooks, k) {
					t.Errorf("playbooks %v lack %s", note.Playbooks, k)
				}
			}
		})
	}
}
