package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Issue 13, defect 9: a tick on the follow-ups screen answers in the
// footer, and the cursor keeps the CSM's place: it stays at the same
// position (the next follow-up comes under it), in view, rather than
// following the ticked one down to "Done recently".
func TestFollowUpsTickAnswersAndKeepsThePlace(t *testing.T) {
	a, _, f := openFollowUps(t, 100, 30)
	press(t, a, "j", "j")
	before := f.list.Cursor()
	r, ok := f.selected()
	if !ok || r.Task.DoneAt != nil {
		t.Fatal("no open follow-up under the cursor")
	}
	id := r.Task.ID
	press(t, a, "x")
	if v := ansi.Strip(viewOf(a)); !strings.Contains(v, "follow-up done · will sync") {
		t.Fatalf("x: no answer in the footer:\n%s", v)
	}
	if got := f.list.Cursor(); got != before {
		t.Fatalf("x: cursor went from row %d to row %d", before, got)
	}
	if r, ok := f.selected(); !ok || r.Task.ID == id {
		t.Fatalf("x: the cursor followed the ticked follow-up (ok=%v)", ok)
	}
	if c := f.list.Cursor(); c < f.list.Offset() || c >= f.list.End() {
		t.Fatalf("x: cursor %d off screen [%d, %d)", c, f.list.Offset(), f.list.End())
	}
	// A later read (a sync, another change) keeps the place too.
	next, _ := f.selected()
	nextID := next.Task.ID
	send(a, f.Refresh()())
	if r, ok := f.selected(); !ok || r.Task.ID != nextID || f.list.Cursor() != before {
		t.Fatalf("refresh after x: cursor moved to row %d", f.list.Cursor())
	}
	// Reopening under Done recently answers too, and the cursor stays.
	for i, l := range f.lines {
		if l.row >= 0 && f.rows[l.row].Task.ID == id {
			f.list.Select(i)
		}
	}
	before = f.list.Cursor()
	press(t, a, "x")
	if v := ansi.Strip(viewOf(a)); !strings.Contains(v, "reopened · will sync") {
		t.Fatalf("x under Done recently: no answer in the footer:\n%s", v)
	}
	if r, ok := f.selected(); ok && r.Task.ID == id && f.list.Cursor() != before {
		t.Fatalf("reopen: the cursor followed the follow-up from %d to %d", before, f.list.Cursor())
	}
	if c := f.list.Cursor(); c < f.list.Offset() || c >= f.list.End() {
		t.Fatalf("reopen: cursor %d off screen [%d, %d)", c, f.list.Offset(), f.list.End())
	}
}
