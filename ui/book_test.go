package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"csm/model"
)

func TestBookNavigationAndFilter(t *testing.T) {
	st := fixtureStore(t, 60)
	a := newTestApp(t, st, 100, 30)
	first := a.book.selectedID()
	if first == "" {
		t.Fatal("no account selected after load")
	}
	press(t, a, "j", "j")
	if a.book.list.Cursor() != 2 {
		t.Fatalf("cursor after j j = %d, want 2", a.book.list.Cursor())
	}
	press(t, a, "k")
	if a.book.list.Cursor() != 1 {
		t.Fatalf("cursor after k = %d, want 1", a.book.list.Cursor())
	}
	press(t, a, "G")
	if a.book.list.Cursor() != len(a.book.visible)-1 {
		t.Fatalf("G: cursor %d, want last %d", a.book.list.Cursor(), len(a.book.visible)-1)
	}
	press(t, a, "g")
	if a.book.selectedID() != first {
		t.Fatalf("g did not go back to the first row")
	}

	// Filter as you type: the visible rows all contain the text.
	name := a.book.book.Rows[a.book.visible[3]].Account.Name
	word := strings.ToLower(strings.Fields(name)[0])
	press(t, a, "/")
	for _, r := range word {
		press(t, a, string(r))
	}
	if len(a.book.visible) == 0 || len(a.book.visible) == len(a.book.book.Rows) {
		t.Fatalf("filter %q kept %d of %d rows", word, len(a.book.visible), len(a.book.book.Rows))
	}
	for _, i := range a.book.visible {
		if !strings.Contains(strings.ToLower(a.book.book.Rows[i].Account.Name), word) {
			t.Fatalf("row %q does not match filter %q", a.book.book.Rows[i].Account.Name, word)
		}
	}
	// While filtering, q is text, not quit.
	press(t, a, "q")
	if !strings.Contains(a.book.filter.Value(), "q") {
		t.Fatalf("q while filtering did not reach the filter: %q", a.book.filter.Value())
	}
	press(t, a, "esc")
	if len(a.book.visible) != len(a.book.book.Rows) {
		t.Fatalf("esc kept a filter: %d of %d rows", len(a.book.visible), len(a.book.book.Rows))
	}
}

func TestBookViewFitsEverySize(t *testing.T) {
	st := fixtureStore(t, 60)
	for _, size := range [][2]int{{80, 24}, {100, 30}, {160, 48}, {200, 50}, {40, 10}} {
		a := newTestApp(t, st, size[0], size[1])
		lines := strings.Split(viewOf(a), "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: view has %d lines", size[0], size[1], len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > size[0] {
				t.Errorf("%dx%d: line %d is %d cells wide: %q", size[0], size[1], i, w, ansi.Strip(l))
			}
		}
	}
}

func TestBookTabsNarrowToSegment(t *testing.T) {
	st := fixtureStore(t, 60)
	a := newTestApp(t, st, 120, 30)
	press(t, a, "tab")
	if a.book.tabs[a.book.tab].key != model.NeedsMe {
		t.Fatalf("first tab after All is %q", a.book.tabs[a.book.tab].key)
	}
	if got, want := len(a.book.visible), a.book.tabs[a.book.tab].count; got != want {
		t.Fatalf("Needs me shows %d rows, its count says %d", got, want)
	}
	for _, i := range a.book.visible {
		if !model.InNeedsMe(&a.book.book.Rows[i].Metrics) {
			t.Fatalf("row %s in Needs me has no alert nor danger", a.book.book.Rows[i].Account.ID)
		}
	}
}

func TestSnoozeSinksAccountAndWakesIt(t *testing.T) {
	st := fixtureStore(t, 40)
	a := newTestApp(t, st, 120, 30)
	first := a.book.selectedID()
	press(t, a, "z", "enter") // the snooze picker: 1 day
	if _, ok := a.book.snoozes[first]; !ok {
		t.Fatalf("z did not snooze %s", first)
	}
	if a.book.book.Rows[a.book.visible[len(a.book.visible)-1]].Account.ID != first {
		t.Fatal("the snoozed account did not sink to the end of the book")
	}
	if !strings.Contains(ansi.Strip(viewOf(a)), "snoozed") {
		t.Fatal("no status says the account was snoozed")
	}
	press(t, a, "G", "z")
	if len(a.book.snoozes) != 0 {
		t.Fatalf("z on a snoozed account did not wake it: %v", a.book.snoozes)
	}
}

func TestChangesScreenAfterConfigChange(t *testing.T) {
	st := fixtureStore(t, 40)
	th := st.Thresholds()
	th.LowUtilization = 0.05
	st.SetThresholds(th)
	if err := st.Recompute(context.Background()); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, st, 120, 30)
	press(t, a, "c")
	v := ansi.Strip(viewOf(a))
	if !strings.Contains(v, "What changed") || !strings.Contains(v, "left Low utilization") {
		t.Fatalf("changes screen does not show accounts leaving low utilization:\n%s", v)
	}
	press(t, a, "enter")
	if _, ok := a.active().(*accountScreen); !ok {
		t.Fatalf("enter on a change did not open the account (active %T)", a.active())
	}
}

// The tab row is drawn once and kept; it must still follow the counts, the
// tab in view and the width.
func TestBookTabRowFollowsCountsTabAndWidth(t *testing.T) {
	st := fixtureStore(t, 60)
	a := newTestApp(t, st, 160, 30)
	tabs := func() string { return ansi.Strip(strings.Split(viewOf(a), "\n")[2]) }
	if !strings.Contains(tabs(), "All 60") {
		t.Fatalf("tab row: %q", tabs())
	}
	bk := a.book.book
	bk.Rows = bk.Rows[:25]
	a.book.SetBook(bk, nil)
	if got := tabs(); !strings.Contains(got, "All 25") {
		t.Fatalf("after a book of 25, the tab row is %q", got)
	}
	before := viewOf(a)
	press(t, a, "tab")
	if viewOf(a) == before || a.book.tab != 1 {
		t.Fatalf("tab did not move the highlighted tab (tab %d)", a.book.tab)
	}
	send(a, tea.WindowSizeMsg{Width: 40, Height: 30})
	if got := tabs(); ansi.StringWidth(got) > 40 || !strings.HasSuffix(got, "…") {
		t.Fatalf("at 40 columns the tab row is %q (%d cells)", got, ansi.StringWidth(got))
	}
}
