package model

import (
	"slices"
	"testing"
)

func TestSuggestPlays(t *testing.T) {
	books := []Playbook{
		{Key: "p_low", Trigger: SegmentLowUtilization},
		{Key: "p_manual", Trigger: TriggerManual},
		{Key: "p_drop", Trigger: SegmentSignificantDrop},
		{Key: "p_crisis", Trigger: AlertCrisis},
		{Key: "p_low", Trigger: SegmentLowUtilization}, // a duplicate key
		{Key: "p_low_too", Trigger: SegmentLowUtilization},
	}
	tests := []struct {
		name string
		keys []string
		want []string
	}{
		{"no segments", nil, []string{}},
		{"one segment, two playbooks", []string{SegmentLowUtilization}, []string{"p_low", "p_low_too"}},
		{"playbook order, not key order", []string{SegmentSignificantDrop, SegmentLowUtilization}, []string{"p_low", "p_drop", "p_low_too"}},
		{"an alert can trigger a play", []string{AlertCrisis}, []string{"p_crisis"}},
		{"manual is never suggested", []string{TriggerManual}, []string{}},
		{"a segment with no playbook", []string{SegmentDetractor}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SuggestPlays(tt.keys, books); !slices.Equal(got, tt.want) {
				t.Errorf("SuggestPlays(%v) = %v, want %v", tt.keys, got, tt.want)
			}
		})
	}
}

func TestDefaultPlaybooksAreSuggested(t *testing.T) {
	// Each default play is suggested for the segment in its trigger, so the
	// keys of the two lists agree.
	for _, p := range DefaultPlaybooks() {
		if p.Trigger == TriggerManual {
			continue
		}
		if !slices.Contains(SegmentKeys, p.Trigger) {
			t.Errorf("playbook %s triggers on %q, not a segment key", p.Key, p.Trigger)
		}
		if got := SuggestPlays([]string{p.Trigger}, DefaultPlaybooks()); !slices.Contains(got, p.Key) {
			t.Errorf("playbook %s not suggested for %s: %v", p.Key, p.Trigger, got)
		}
	}
}

func TestAccountSuggestions(t *testing.T) {
	m := computeOne(fxAccount("a", licenses(100), monthly(40, 40)), DefaultThresholds())
	want := SuggestPlays(append(slices.Clone(m.Segments), m.Alerts...), DefaultPlaybooks())
	if len(want) == 0 {
		t.Fatalf("fixture triggers no play; segments %v", m.Segments)
	}
	if !slices.Equal(m.Suggested, want) {
		t.Errorf("suggested %v, want %v", m.Suggested, want)
	}
	if !slices.Contains(m.Suggested, "spark_growth") {
		t.Errorf("a flat account should be offered the low-growth play, got %v", m.Suggested)
	}
}
