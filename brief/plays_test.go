package brief

import (
	"slices"
	"strings"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

// playsDetail is an account just after a handoff, in low_utilization but
// not (yet) in low_engagement_after_onboarding: the relationship-change
// alert and the Plays section must name the same plays.
func playsDetail() data.AccountDetail {
	d := newDetail()
	d.HasMetrics = true
	d.Catalogue.Playbooks = model.DefaultPlaybooks()
	d.PlayCooldownDays = model.DefaultPlayCooldownDays
	m := &d.Metrics
	m.Segments = []string{model.SegmentLowUtilization}
	m.Alerts = []string{model.AlertRelationshipChange}
	m.Suggested = model.SuggestPlays(append(slices.Clone(m.Segments), m.Alerts...), d.Catalogue.Playbooks)
	m.AlertNotes = []model.AlertNote{model.DescribeAlert(model.AlertRelationshipChange, m, model.DefaultThresholds(), d.Catalogue.Playbooks)}
	return d
}

func TestBriefSuggestsThePlaysTheAlertNames(t *testing.T) {
	now := day(time.November, 20).Time().Add(9 * time.Hour)
	out := Render(playsDetail(), now)
	for _, want := range []string{
		"- Suggested play: Low utilization.",
		"### Suggested: Low utilization",
		// Steps in due order, each with its date.
		"- Tell the account executive about the commercial risk: day 3, Nov 23, 2026 if started today\n" +
			"- Review license utilization with the customer: day 7, Nov 27, 2026 if started today\n" +
			"- Agree a plan to raise utilization: day 14, Dec 4, 2026 if started today\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("brief lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Low engagement after onboarding") {
		t.Errorf("brief suggests the play of a segment the account is not in:\n%s", out)
	}
}

func TestBriefDoesNotSuggestAPlayJustClosed(t *testing.T) {
	d := playsDetail()
	now := day(time.November, 20).Time().Add(9 * time.Hour)
	closed := now.Add(-time.Hour)
	d.PlayRuns = []model.PlayRun{{ID: "r1", PlaybookKey: "raise_utilization", StartedAt: now.Add(-240 * time.Hour), ClosedAt: &closed}}
	out := Render(d, now)
	if strings.Contains(out, "Suggested play: Low utilization") || strings.Contains(out, "### Suggested: Low utilization") {
		t.Errorf("a play closed an hour ago is suggested again:\n%s", out)
	}
	if !strings.Contains(out, "Not suggested: Low utilization closed Nov 20, 2026, suggested again from Dec 20, 2026.") {
		t.Errorf("the alert does not say why its play is not suggested:\n%s", out)
	}
}

func TestBriefListsARunningPlaysStepsByDueDate(t *testing.T) {
	d := playsDetail()
	now := day(time.November, 20).Time().Add(9 * time.Hour)
	done := day(time.November, 12).Time()
	d.PlayRuns = []model.PlayRun{{ID: "r1", PlaybookKey: "raise_utilization", StartedAt: day(time.November, 10).Time(),
		Steps: map[string]*time.Time{"notify_ae": &done}}}
	out := Render(d, now)
	want := "### Running: Low utilization\n\nStarted Nov 10, 2026.\n\n" +
		"- [x] Tell the account executive about the commercial risk, done Nov 12, 2026\n" +
		"- [ ] Review license utilization with the customer, due Nov 17, 2026 (**overdue**)\n" +
		"- [ ] Agree a plan to raise utilization, due Nov 24, 2026\n"
	if !strings.Contains(out, want) {
		t.Errorf("brief lacks\n%s\nin:\n%s", want, out)
	}
	if !strings.Contains(out, "Running: Low utilization.") || strings.Contains(out, "### Suggested: Low utilization") {
		t.Errorf("a running play is suggested, or the alert does not say it runs:\n%s", out)
	}
}
