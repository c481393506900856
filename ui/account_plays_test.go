package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"csm/model"
)

// blockText is a section's lines without styles.
func blockText(b block) string { return ansi.Strip(strings.Join(b.lines, "\n")) }

// The alert's play, the Plays section's count and its list say the same:
// an account after a handoff, in low_utilization but not in
// low_engagement_after_onboarding, is suggested the low-utilization play
// alone; once closed, that play is not suggested for the cooldown.
func TestAccountPlaysAgreeWithTheAlert(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 100, 30)
	acc := openFirstAccount(t, a)
	d := &acc.detail
	d.HasMetrics = true
	d.Catalogue.Playbooks = model.DefaultPlaybooks()
	d.PlayCooldownDays = model.DefaultPlayCooldownDays
	d.PlayRuns = nil
	m := &d.Metrics
	m.Segments = []string{model.SegmentLowUtilization}
	m.Alerts = []string{model.AlertRelationshipChange}
	m.Suggested = model.SuggestPlays(append(slices.Clone(m.Segments), m.Alerts...), d.Catalogue.Playbooks)
	m.AlertNotes = []model.AlertNote{model.DescribeAlert(model.AlertRelationshipChange, m, model.DefaultThresholds(), d.Catalogue.Playbooks)}

	why, plays := blockText(acc.whySection(100)), blockText(acc.playsSection(100))
	if !strings.Contains(why, "Suggested play: Low utilization.") || strings.Contains(why, "Low engagement after onboarding") {
		t.Errorf("the alert's play is not the one suggested:\n%s", why)
	}
	if got := acc.playsSummary(); !strings.Contains(got, "1 suggested") {
		t.Errorf("summary %q, want 1 suggested", got)
	}
	// Steps in due order with their dates, as if started today (Nov 21).
	want := "· Tell the account executive about the commercial risk · Nov 24 (day 3)\n" +
		"    · Review license utilization with the customer · Nov 28 (day 7)\n" +
		"    · Agree a plan to raise utilization · Dec 5 (day 14)"
	if !strings.Contains(plays, "◇ Low utilization") || !strings.Contains(plays, want) {
		t.Errorf("Plays section does not list the play with its steps in due order:\n%s", plays)
	}

	closed := fixedNow.Add(-time.Hour)
	d.PlayRuns = []model.PlayRun{{ID: "r1", AccountID: d.Account.ID, PlaybookKey: "raise_utilization",
		StartedAt: fixedNow.Add(-72 * time.Hour), ClosedAt: &closed}}
	why, plays = blockText(acc.whySection(100)), blockText(acc.playsSection(100))
	if strings.Contains(why, "Suggested play: Low utilization") || !strings.Contains(why, "suggested again from Dec 21") {
		t.Errorf("a play closed an hour ago: the alert says\n%s", why)
	}
	if strings.Contains(plays, "◇ Low utilization") || !strings.Contains(acc.playsSummary(), "0 suggested") {
		t.Errorf("a play closed an hour ago is suggested again (%s):\n%s", acc.playsSummary(), plays)
	}
}

// A running play's steps are in due order (day 3, 7, 14), each with its
// date, not in the playbook's order.
func TestAccountRunningPlayStepsByDueDate(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 100, 30)
	acc := openFirstAccount(t, a)
	d := &acc.detail
	d.Catalogue.Playbooks = model.DefaultPlaybooks()
	d.PlayRuns = []model.PlayRun{{ID: "r1", AccountID: d.Account.ID, PlaybookKey: "raise_utilization",
		StartedAt: time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC), Steps: map[string]*time.Time{}}}
	plays := blockText(acc.playsSection(100))
	i3 := strings.Index(plays, "Tell the account executive")
	i7 := strings.Index(plays, "Review license utilization")
	i14 := strings.Index(plays, "Agree a plan to raise utilization")
	if i3 < 0 || !(i3 < i7 && i7 < i14) {
		t.Errorf("steps not in due order:\n%s", plays)
	}
	if !strings.Contains(plays, "(Nov 13)") || !strings.Contains(plays, "(Nov 17)") || !strings.Contains(plays, "(Nov 24)") {
		t.Errorf("steps without their due dates:\n%s", plays)
	}
}
