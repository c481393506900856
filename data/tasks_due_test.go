package data

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"csm/model"
)

// dueBook is a small book with tasks and a running play whose steps fall
// due at known days around today.
func dueBook(t *testing.T) (*Store, model.Book, model.Date) {
	t.Helper()
	ctx := context.Background()
	s := openTemp(t)
	b := model.Generate(model.GenOptions{Seed: 7, Accounts: 2, Days: 30, CSMs: 1})[0]
	today := model.LocalDay(time.Now())
	due := func(d model.Date) *model.Date { return &d }
	done := now().Add(-time.Hour)
	a1, a2 := b.Accounts[0], b.Accounts[1]
	b.Tasks = []model.Task{
		{ID: "open", AccountID: a1.ID, Title: "Send the deck", DueOn: due(today + 2), CreatedAt: now()},
		{ID: "undated", AccountID: a2.ID, Title: "Ask about SSO", CreatedAt: now()},
		{ID: "done", AccountID: a1.ID, Title: "Call back", DueOn: due(today - 1), DoneAt: &done, CreatedAt: now()},
	}
	b.Playbooks = []model.Playbook{{Key: "pb", Name: "Recover usage", Trigger: model.TriggerManual, Steps: []model.PlaybookStep{
		{Key: "late", Title: "Call the sponsor", DueDays: 1},
		{Key: "soon", Title: "Run a training", DueDays: 8},
		{Key: "far", Title: "Review the plan", DueDays: 30},
		{Key: "ticked", Title: "Tell the AE", DueDays: 2},
	}}}
	started := (today - 5).Time().Add(10 * time.Hour)
	b.PlayRuns = []model.PlayRun{
		{ID: "run1", AccountID: a2.ID, PlaybookKey: "pb", StartedAt: started,
			Steps: map[string]*time.Time{"late": nil, "soon": nil, "far": nil, "ticked": &done}},
		{ID: "closed", AccountID: a1.ID, PlaybookKey: "pb", StartedAt: started, ClosedAt: &done,
			Steps: map[string]*time.Time{"late": nil}},
	}
	if err := s.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	return s, b, today
}

func TestOpenTasksListPlayStepsDue(t *testing.T) {
	s, b, today := dueBook(t)
	rows, err := s.OpenTasks(context.Background(), today)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		id := r.Task.ID
		if r.Step != nil {
			id = "step:" + r.Step.StepKey
			if r.Step.RunID != "run1" || r.Step.PlaybookName != "Recover usage" || r.Task.ID != PlayStepID("run1", r.Step.StepKey) {
				t.Errorf("step row %+v", r)
			}
			if r.AccountName != b.Accounts[1].Name {
				t.Errorf("step %s: account %q", id, r.AccountName)
			}
		}
		got = append(got, id)
	}
	// Open by due day: the step due 4 days ago, the task in 2 days, the
	// step in 3 days; undated last; then done ones. The step due in 25 days
	// and the closed play's step are not listed.
	want := "step:late open step:soon undated done step:ticked"
	if strings.Join(got, " ") != want && strings.Join(got, " ") != "step:late open step:soon undated step:ticked done" {
		t.Fatalf("OpenTasks = %v, want %s", got, want)
	}
}

func TestSetTaskDue(t *testing.T) {
	ctx := context.Background()
	today := model.LocalDay(time.Now())
	fri := today + 4
	cases := []struct {
		name    string
		id      string
		due     *model.Date
		wantErr error
		says    string
	}{
		{"re-date", "open", &fri, nil, ""},
		{"clear the date", "open", nil, nil, ""},
		{"date an undated one", "undated", &fri, nil, ""},
		{"unknown id", "nope", &fri, ErrNotFound, "not found"},
		{"done task", "done", &fri, ErrInvalid, "reopen it"},
		{"play step", PlayStepID("run1", "late"), &fri, ErrInvalid, "step of the play Recover usage"},
		{"unknown step", PlayStepID("run1", "zzz"), &fri, ErrInvalid, "no step"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _, _ := dueBook(t)
			before, _ := s.FollowUp(ctx, c.id)
			got, err := s.SetTaskDue(ctx, c.id, c.due)
			pending, perr := s.Pending(ctx, 100)
			if perr != nil {
				t.Fatal(perr)
			}
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) || !strings.Contains(err.Error(), c.says) {
					t.Fatalf("err = %v, want %v saying %q", err, c.wantErr, c.says)
				}
				if len(pending) != 0 {
					t.Fatalf("a refused change queued %d mutations", len(pending))
				}
				if after, _ := s.FollowUp(ctx, c.id); !sameDue(after.Task.DueOn, before.Task.DueOn) {
					t.Fatal("a refused change moved the due day")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !sameDue(got.DueOn, c.due) {
				t.Fatalf("returned due %v, want %v", got.DueOn, c.due)
			}
			row, err := s.FollowUp(ctx, c.id)
			if err != nil || !sameDue(row.Task.DueOn, c.due) || row.Task.Title != before.Task.Title {
				t.Fatalf("stored %+v (%v), want due %v", row.Task, err, c.due)
			}
			if len(pending) != 1 || pending[0].Type != model.MutTaskSetDue || pending[0].EntityID != c.id {
				t.Fatalf("outbox %+v, want one task.set_due", pending)
			}
			var d model.TaskSetDue
			if err := json.Unmarshal(pending[0].Data, &d); err != nil || d.ID != c.id || !sameDue(d.DueOn, c.due) {
				t.Fatalf("queued %s (%v)", pending[0].Data, err)
			}
			// due_on is always on the wire, as null to clear it.
			if !strings.Contains(string(pending[0].Data), `"due_on":`) {
				t.Fatalf("queued %s without due_on", pending[0].Data)
			}
		})
	}
}

func sameDue(x, y *model.Date) bool {
	return x == nil && y == nil || x != nil && y != nil && *x == *y
}

func TestSetFollowUpDoneTicksTasksAndPlaySteps(t *testing.T) {
	ctx := context.Background()
	s, _, today := dueBook(t)
	cases := []struct {
		id      string
		done    bool
		mutType string
	}{
		{"open", true, model.MutTaskSetDone},
		{"open", false, model.MutTaskSetDone},
		{PlayStepID("run1", "late"), true, model.MutPlaySetStep},
		{PlayStepID("run1", "ticked"), false, model.MutPlaySetStep},
	}
	for i, c := range cases {
		r, err := s.SetFollowUpDone(ctx, c.id, c.done)
		if err != nil {
			t.Fatalf("%s: %v", c.id, err)
		}
		if r.Task.Title == "" || r.AccountName == "" {
			t.Fatalf("%s: the follow-up is not named: %+v", c.id, r)
		}
		pending, _ := s.Pending(ctx, 100)
		if len(pending) != i+1 || pending[i].Type != c.mutType {
			t.Fatalf("%s: outbox %+v, want %s last", c.id, pending, c.mutType)
		}
		after, err := s.FollowUp(ctx, c.id)
		if err != nil || (after.Task.DoneAt != nil) != c.done {
			t.Fatalf("%s: done %v (%v), want %v", c.id, after.Task.DoneAt, err, c.done)
		}
	}
	// The ticked step shows among the follow-ups as done.
	rows, _ := s.OpenTasks(ctx, today)
	for _, r := range rows {
		if r.Task.ID == PlayStepID("run1", "late") && r.Task.DoneAt == nil {
			t.Fatal("ticked step listed as open")
		}
	}
	for _, bad := range []string{"nope", "run1/zzz", "nowhere/late"} {
		if _, err := s.SetFollowUpDone(ctx, bad, true); err == nil {
			t.Errorf("%s: ticked", bad)
		}
	}
	if pending, _ := s.Pending(ctx, 100); len(pending) != len(cases) {
		t.Fatalf("refused ticks queued: %d mutations", len(pending))
	}
}
