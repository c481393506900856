package model_test

import (
	"strings"
	"testing"
	"time"

	"csm/model"
)

func datePtr(d model.Date) *model.Date { return &d }

func TestDueGroupAndFilters(t *testing.T) {
	today := model.MakeDate(2026, 11, 21)
	cases := []struct {
		name     string
		due      *model.Date
		done     bool
		step     bool
		group    int
		inFilter []string // filters that show it, besides all
	}{
		{"late", datePtr(today - 3), false, false, model.DueOverdue, []string{model.FilterOverdue, model.FilterWeek}},
		{"today", datePtr(today), false, false, model.DueToday, []string{model.FilterToday, model.FilterWeek}},
		{"in six days", datePtr(today + 6), false, false, model.DueWeek, []string{model.FilterWeek}},
		{"in seven days", datePtr(today + 7), false, false, model.DueLater, nil},
		{"no date", nil, false, false, model.DueNoDate, nil},
		{"done late", datePtr(today - 3), true, false, model.DueDone, nil},
		{"step today", datePtr(today), false, true, model.DueToday, []string{model.FilterToday, model.FilterWeek, model.FilterPlaySteps}},
		{"step done", datePtr(today), true, true, model.DueDone, []string{model.FilterPlaySteps}},
	}
	for _, c := range cases {
		if g := model.DueGroup(c.due, c.done, today); g != c.group {
			t.Errorf("%s: group %s, want %s", c.name, model.DueGroupNames[g], model.DueGroupNames[c.group])
		}
		for _, f := range model.FollowUpFilters {
			want := f == model.FilterAll
			for _, in := range c.inFilter {
				want = want || in == f
			}
			if got := model.MatchesFollowUpFilter(f, c.due, c.done, c.step, today); got != want {
				t.Errorf("%s under %s: %v, want %v", c.name, f, got, want)
			}
		}
	}
	for _, f := range model.FollowUpFilters {
		if model.FollowUpFilterLabels[f] == "" {
			t.Errorf("filter %s has no label", f)
		}
	}
}

func TestPlayStepsDue(t *testing.T) {
	today := model.MakeDate(2026, 11, 21)
	start := model.MakeDate(2026, 11, 10).Time().Add(15 * time.Hour)
	doneLong := start.Add(24 * time.Hour)
	doneRecent := today.Time().Add(-time.Hour)
	pbs := []model.Playbook{{Key: "pb", Name: "Recover", Steps: []model.PlaybookStep{
		{Key: "a", Title: "Call", DueDays: 2},       // Nov 12, done long ago
		{Key: "b", Title: "Plan", DueDays: 5},       // Nov 15, open: overdue
		{Key: "c", Title: "Train", DueDays: 11},     // Nov 21, done recently
		{Key: "d", Title: "Review", DueDays: 17},    // Nov 27, open: in the horizon
		{Key: "e", Title: "Follow", DueDays: 18},    // Nov 28, open: past the horizon
		{Key: "f", Title: "Not in run", DueDays: 1}, // the run does not have it
	}}}
	runs := []model.PlayRun{
		{ID: "r1", AccountID: "a1", PlaybookKey: "pb", StartedAt: start,
			Steps: map[string]*time.Time{"a": &doneLong, "b": nil, "c": &doneRecent, "d": nil, "e": nil}},
		{ID: "r2", AccountID: "a2", PlaybookKey: "pb", StartedAt: start, ClosedAt: &doneLong,
			Steps: map[string]*time.Time{"b": nil}}, // closed: nothing to do
		{ID: "r3", AccountID: "a3", PlaybookKey: "gone", StartedAt: start,
			Steps: map[string]*time.Time{"b": nil}}, // unknown playbook
	}
	got := model.PlayStepsDue(runs, pbs, today+6, today.Time().Add(-7*24*time.Hour))
	var keys []string
	for _, s := range got {
		keys = append(keys, s.RunID+"/"+s.StepKey+"@"+s.DueOn.String())
		if s.PlaybookName != "Recover" || s.AccountID != "a1" || s.Title == "" {
			t.Errorf("step %+v", s)
		}
	}
	want := "r1/b@2026-11-15 r1/c@2026-11-21 r1/d@2026-11-27"
	if strings.Join(keys, " ") != want {
		t.Fatalf("PlayStepsDue = %v, want %s", keys, want)
	}
	if got[1].DoneAt == nil || got[0].DoneAt != nil {
		t.Fatal("done times not carried")
	}
}

func TestSnoozeUntil(t *testing.T) {
	today := model.MakeDate(2026, 1, 31) // a Saturday
	cases := map[string]string{
		"1d":         "2026-02-01",
		"day":        "2026-02-01",
		"3d":         "2026-02-03",
		"+3d":        "2026-02-03",
		"week":       "2026-02-07",
		"a week":     "2026-02-07",
		"2w":         "2026-02-14",
		"month":      "2026-02-28", // Jan 31 + a month: February's last day
		"1m":         "2026-02-28",
		"3m":         "2026-04-30",
		"fri":        "2026-02-06",
		"tomorrow":   "2026-02-01",
		"today":      "2026-01-31",
		"2026-03-15": "2026-03-15",
		"2026-01-30": "error", // in the past
		"0m":         "error",
		"+3m":        "error",
		"someday":    "error",
		"":           "error",
	}
	for in, want := range cases {
		d, err := model.SnoozeUntil(in, today)
		got := d.String()
		if err != nil {
			got = "error"
			if !strings.Contains(err.Error(), "snooze") {
				t.Errorf("SnoozeUntil(%q) error %q does not say what it reads", in, err)
			}
		}
		if got != want {
			t.Errorf("SnoozeUntil(%q) = %s (%v), want %s", in, got, err, want)
		}
	}
	for _, c := range model.SnoozeChoices {
		if _, err := model.SnoozeUntil(c.Word, today); err != nil {
			t.Errorf("choice %s: %v", c.Label, err)
		}
	}
}

func TestParseDueWord(t *testing.T) {
	today := model.MakeDate(2026, 11, 21)
	for in, want := range map[string]string{
		"fri": "2026-11-27", "+3d": "2026-11-24", "2026-12-01": "2026-12-01",
		"none": "nil", " No date ": "nil", "-": "nil", "soon": "error", "": "error",
	} {
		d, err := model.ParseDueWord(in, today)
		got := "nil"
		switch {
		case err != nil:
			got = "error"
			if !strings.Contains(err.Error(), "none for no date") {
				t.Errorf("%q: error %q does not offer none", in, err)
			}
		case d != nil:
			got = d.String()
		}
		if got != want {
			t.Errorf("ParseDueWord(%q) = %s, want %s", in, got, want)
		}
	}
}
