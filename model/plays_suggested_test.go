package model

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// The alert's play line names only plays among the account's suggested
// ones: a relationship change on an account in low_utilization but not yet
// in low_engagement_after_onboarding suggests the low-utilization play
// alone, as the Plays section does.
func TestAlertPlaysAreAmongTheSuggested(t *testing.T) {
	pbs := DefaultPlaybooks()
	m := &AccountMetrics{}
	m.Segments = []string{SegmentLowUtilization}
	m.Alerts = []string{AlertRelationshipChange}
	m.Suggested = SuggestPlays(append(slices.Clone(m.Segments), m.Alerts...), pbs)
	n := DescribeAlert(AlertRelationshipChange, m, DefaultThresholds(), pbs)
	if !slices.Equal(n.Playbooks, []string{"raise_utilization"}) || n.Play != "Suggested play: Low utilization." {
		t.Fatalf("alert plays %v %q, want the low-utilization play only", n.Playbooks, n.Play)
	}
	for _, k := range n.Playbooks {
		if !slices.Contains(m.Suggested, k) {
			t.Errorf("the alert suggests %s, the account's suggestions %v do not", k, m.Suggested)
		}
	}
}

func TestSuggestedPlaysLeaveOutRunningAndRecentlyClosed(t *testing.T) {
	pbs := DefaultPlaybooks()
	today := MakeDate(2026, time.December, 2)
	at := func(d Date) *time.Time { t := d.Time().Add(15 * time.Hour); return &t }
	m := &AccountMetrics{Suggested: []string{"raise_utilization", "spark_growth", "replace_champion"}}
	n := AlertNote{Playbooks: []string{"raise_utilization", "spark_growth", "replace_champion"}, Play: "stored"}
	keys := func(ps []Playbook) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Key)
		}
		return out
	}
	tests := []struct {
		name     string
		runs     []PlayRun
		cooldown int
		want     []string
		play     string
	}{
		{"nothing run", nil, 30, []string{"raise_utilization", "spark_growth", "replace_champion"},
			"Suggested plays: Low utilization; Low growth in usage; Key user left the company."},
		{"running is not suggested", []PlayRun{{PlaybookKey: "spark_growth", StartedAt: *at(today - 3)}}, 30,
			[]string{"raise_utilization", "replace_champion"},
			"Suggested plays: Low utilization; Key user left the company. Running: Low growth in usage."},
		{"closed today rests for the cooldown", []PlayRun{{PlaybookKey: "raise_utilization", ClosedAt: at(today)}}, 30,
			[]string{"spark_growth", "replace_champion"},
			"Suggested plays: Low growth in usage; Key user left the company. Not suggested: Low utilization closed Dec 2, 2026, suggested again from Jan 1, 2027."},
		{"closed before the cooldown is suggested again", []PlayRun{{PlaybookKey: "raise_utilization", ClosedAt: at(today - 30)}}, 30,
			[]string{"raise_utilization", "spark_growth", "replace_champion"}, ""},
		{"no cooldown", []PlayRun{{PlaybookKey: "raise_utilization", ClosedAt: at(today)}}, 0,
			[]string{"raise_utilization", "spark_growth", "replace_champion"}, ""},
		{"an older close does not hide a recent one", []PlayRun{
			{PlaybookKey: "replace_champion", ClosedAt: at(today - 100)}, {PlaybookKey: "replace_champion", ClosedAt: at(today - 5)}}, 30,
			[]string{"raise_utilization", "spark_growth"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SuggestedPlays(m, tt.runs, pbs, today, tt.cooldown)
			if !slices.Equal(keys(got), tt.want) {
				t.Errorf("SuggestedPlays = %v, want %v", keys(got), tt.want)
			}
			play := AlertPlay(n, got, tt.runs, pbs, today, tt.cooldown)
			if tt.play != "" && play != tt.play {
				t.Errorf("AlertPlay = %q\nwant %q", play, tt.play)
			}
			for _, p := range got {
				if !strings.Contains(play, p.Name) {
					t.Errorf("AlertPlay %q does not name the suggested %s", play, p.Name)
				}
			}
		})
	}
	if got := AlertPlay(AlertNote{Play: "Call the key contact."}, nil, nil, pbs, today, 30); got != "Call the key contact." {
		t.Errorf("advice without a playbook = %q", got)
	}
}

func TestStepsByDue(t *testing.T) {
	got := StepsByDue([]PlaybookStep{{Key: "a", DueDays: 7}, {Key: "b", DueDays: 14}, {Key: "c", DueDays: 3}, {Key: "d", DueDays: 7}})
	var keys []string
	for _, s := range got {
		keys = append(keys, s.Key)
	}
	if !slices.Equal(keys, []string{"c", "a", "d", "b"}) {
		t.Errorf("steps in order %v, want c a d b (day 3, 7, 7, 14)", keys)
	}
}
