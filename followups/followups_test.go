package followups

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

func testStore(t *testing.T) (*data.Store, model.Book, time.Time) {
	t.Helper()
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.Local)
	today := model.LocalDay(now)
	b := model.Generate(model.GenOptions{Seed: 3, Accounts: 2, Days: 30, CSMs: 1})[0]
	due := func(d model.Date) *model.Date { return &d }
	b.Tasks = []model.Task{
		{ID: "late", AccountID: b.Accounts[0].ID, Title: "=HYPERLINK(\"x\")", DueOn: due(today - 2), CreatedAt: now.UTC()},
		{ID: "today", AccountID: b.Accounts[1].ID, Title: "Call", DueOn: due(today), CreatedAt: now.UTC()},
		{ID: "undated", AccountID: b.Accounts[1].ID, Title: "Ask", CreatedAt: now.UTC()},
	}
	b.PlayRuns = nil
	if err := st.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	return st, b, now
}

// The JSON field names are an interface: scripts read them. They are the
// API's task fields plus the computed ones, snake_case, every one present
// (null when it has no value).
func TestJSONFieldsAreTheInterface(t *testing.T) {
	st, _, now := testStore(t)
	var out bytes.Buffer
	if err := List(context.Background(), st, &out, Options{JSON: true}, now); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	want := []string{"account_id", "account_name", "created_at", "done_at", "due_in_days", "due_on", "id", "kind",
		"note_id", "overdue", "play_run_id", "playbook", "step_key", "title"}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	for _, r := range rows {
		var keys []string
		for k := range r {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, want) {
			t.Fatalf("fields %v, want %v", keys, want)
		}
	}
	if rows[0]["id"] != "late" || rows[0]["overdue"] != true || rows[0]["due_in_days"] != float64(-2) || rows[0]["kind"] != "task" {
		t.Fatalf("first row %v", rows[0])
	}
	if rows[2]["due_on"] != nil || rows[2]["due_in_days"] != nil {
		t.Fatalf("undated row %v", rows[2])
	}
}

func TestFiltersAndCSV(t *testing.T) {
	st, b, now := testStore(t)
	ctx := context.Background()
	today := model.LocalDay(now)
	cases := []struct {
		o    Options
		want string
	}{
		{Options{}, "late today undated"},
		{Options{Filter: model.FilterOverdue}, "late"},
		{Options{Filter: model.FilterToday}, "today"},
		{Options{Filter: model.FilterWeek}, "late today"},
		{Options{Filter: model.FilterPlaySteps}, ""},
		{Options{Account: b.Accounts[1].Name}, "today undated"},
	}
	for _, c := range cases {
		rows, err := Select(ctx, st, c.o, today)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
		if got := strings.Join(ids, " "); got != c.want {
			t.Errorf("%+v: %q, want %q", c.o, got, c.want)
		}
	}
	var out bytes.Buffer
	if err := List(ctx, st, &out, Options{CSV: true}, now); err != nil {
		t.Fatal(err)
	}
	// A title a spreadsheet would run as a formula is written as text.
	if !strings.Contains(out.String(), `"'=HYPERLINK(""x"")"`) {
		t.Fatalf("csv:\n%s", out.String())
	}
}
