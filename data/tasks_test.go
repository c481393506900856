package data

import (
	"context"
	"testing"
	"time"

	"csm/model"
)

func TestOpenTasksListsOpenAndRecentlyDone(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	b := model.Generate(model.GenOptions{Seed: 5, Accounts: 3, Days: 30, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	a1, a2 := b.Accounts[0], b.Accounts[1]
	due := func(d model.Date) *model.Date { return &d }
	at := func(t time.Time) *time.Time { return &t }
	clock := time.Now().UTC()
	// A server may write done_at with an offset; the cutoff must still be
	// measured as an instant.
	plus2 := time.FixedZone("+02", 2*3600)
	b.Tasks = []model.Task{
		{ID: "late", AccountID: a2.ID, Title: "Send the deck", DueOn: due(model.MakeDate(2026, 11, 1))},
		{ID: "undated", AccountID: a1.ID, Title: "Ask about SSO"},
		{ID: "soon", AccountID: a1.ID, Title: "Book the QBR", DueOn: due(model.MakeDate(2026, 11, 25))},
		{ID: "done-now", AccountID: a1.ID, Title: "Call back", DoneAt: at(clock.Add(-time.Hour))},
		{ID: "done-6d", AccountID: a2.ID, Title: "Share notes", DoneAt: at(clock.Add(-6 * 24 * time.Hour).In(plus2))},
		{ID: "done-8d", AccountID: a2.ID, Title: "Old tick", DoneAt: at(clock.Add(-8 * 24 * time.Hour).In(plus2))},
		{ID: "done-1y", AccountID: a1.ID, Title: "Ancient", DoneAt: at(clock.AddDate(-1, 0, 0))},
	}
	b.PlayRuns = nil // play steps due are tested in tasks_due_test.go
	if err := s.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	rows, err := s.OpenTasks(ctx, model.LocalDay(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Task.ID)
		want := map[string]string{a1.ID: a1.Name, a2.ID: a2.Name}[r.Task.AccountID]
		if r.AccountName != want {
			t.Errorf("%s: account name %q, want %q", r.Task.ID, r.AccountName, want)
		}
	}
	// Open by due day, undated last; then done, latest first.
	want := []string{"late", "soon", "undated", "done-now", "done-6d"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}

	// A tick made now moves the follow-up among the done ones; reopening
	// brings it back.
	if err := s.SetTaskDone(ctx, "soon", true); err != nil {
		t.Fatal(err)
	}
	rows, err = s.OpenTasks(ctx, model.LocalDay(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[2].Task.ID != "soon" || rows[2].Task.DoneAt == nil {
		t.Fatalf("after tick: %v", taskIDs(rows))
	}
	if err := s.SetTaskDone(ctx, "done-8d", false); err != nil {
		t.Fatal(err)
	}
	rows, err = s.OpenTasks(ctx, model.LocalDay(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || rows[0].Task.ID != "late" || (rows[1].Task.ID != "done-8d" && rows[2].Task.ID != "done-8d") {
		t.Fatalf("after reopening: %v", taskIDs(rows))
	}
}

func TestOpenTasksEmptyBook(t *testing.T) {
	rows, err := openTemp(t).OpenTasks(context.Background(), model.LocalDay(time.Now()))
	if err != nil || len(rows) != 0 {
		t.Fatalf("got %v, %v; want nothing", rows, err)
	}
}

func taskIDs(rows []TaskRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Task.ID)
	}
	return out
}
