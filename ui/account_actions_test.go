package ui

import (
	tea "charm.land/bubbletea/v2"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"csm/model"
)

func TestTickChecklistItemSavesAndQueues(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 100, 30)
	acc := openFirstAccount(t, a)
	focus(t, a, acc, secChecklist)
	list, item, ok := acc.selectedChecklistItem()
	if !ok {
		t.Fatal("no checklist item selected")
	}
	before := acc.checklistDone()[model.ChecklistItemID(acc.id, list, item)].Done
	press(t, a, "x")
	ctx := context.Background()
	d, err := st.AccountDetail(ctx, acc.id)
	if err != nil {
		t.Fatal(err)
	}
	var after bool
	for _, it := range d.ChecklistItems {
		if it.ChecklistKey == list && it.ItemKey == item {
			after = it.Done
		}
	}
	if after == before {
		t.Fatalf("x did not toggle %s/%s (still %v)", list, item, after)
	}
	p, _, _ := st.OutboxCounts(ctx)
	if p != 1 {
		t.Fatalf("outbox holds %d changes after one tick, want 1", p)
	}
	if !strings.Contains(ansi.Strip(viewOf(a)), "1 waiting") {
		t.Fatalf("footer does not say one change waits:\n%s", ansi.Strip(viewOf(a)))
	}
	// The screen shows the new state without leaving it.
	if got := acc.checklistDone()[model.ChecklistItemID(acc.id, list, item)].Done; got != after {
		t.Fatal("the account screen still shows the old state")
	}
}

func TestStartPlayFromPickerThenTickAndClose(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 100, 30)
	acc := openFirstAccount(t, a)
	focus(t, a, acc, secUsage)
	press(t, a, "p")
	if _, ok := a.active().(*pickerScreen); !ok {
		t.Fatalf("p away from a suggested play did not offer the playbooks (%T)", a.active())
	}
	press(t, a, "enter")
	ctx := context.Background()
	d, _ := st.AccountDetail(ctx, acc.id)
	var open []model.PlayRun
	for _, r := range d.PlayRuns {
		if r.ClosedAt == nil && r.StartedAt.After(fixedNow) {
			open = append(open, r)
		}
	}
	if len(open) != 1 {
		t.Fatalf("%d new play runs, want 1", len(open))
	}
	run := open[0]
	// Tick its first step: find it among the selectable rows of Plays.
	focus(t, a, acc, secPlays)
	for i := 0; i < 40; i++ {
		if id, _, ok := acc.selectedPlayStep(); ok && id == run.ID {
			break
		}
		press(t, a, "j")
	}
	id, step, ok := acc.selectedPlayStep()
	if !ok || id != run.ID {
		t.Fatal("could not select a step of the new play")
	}
	press(t, a, "space")
	press(t, a, "c")
	send(a, tea.PasteMsg{Content: "renewed early"})
	press(t, a, "enter")
	d, _ = st.AccountDetail(ctx, acc.id)
	for _, r := range d.PlayRuns {
		if r.ID != run.ID {
			continue
		}
		if r.Steps[step] == nil {
			t.Fatalf("step %s not ticked", step)
		}
		if r.ClosedAt == nil || r.Outcome == nil || *r.Outcome != "renewed early" {
			t.Fatalf("play not closed with its outcome: %+v", r)
		}
		return
	}
	t.Fatal("the play run is gone")
}

func TestSaveCampaignWritesAFile(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 100, 30)
	acc := openFirstAccount(t, a)
	focus(t, a, acc, secCampaigns)
	press(t, a, "w")
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(st.Path()), "campaigns", "*.txt"))
	if len(files) != 1 {
		t.Fatalf("saved %d files, want 1", len(files))
	}
	body, _ := os.ReadFile(files[0])
	if !strings.HasPrefix(string(body), "Subject: ") {
		t.Fatalf("saved file does not start with the subject: %q", body)
	}
}
