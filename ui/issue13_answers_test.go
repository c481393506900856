package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"csm/data"
	"csm/model"
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

// Issue 13, defect 9: on the account page z, Z, f, /, ctrl+f, R, o and
// enter did nothing and said nothing. Each works there as in the book or
// answers in the footer why not.
func TestAccountKeysAnswer(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 100, 30)
	acc := openFirstAccount(t, a)
	id := acc.id
	footer := func() string {
		lines := strings.Split(ansi.Strip(viewOf(a)), "\n")
		return strings.Join(lines[len(lines)-3:], "\n")
	}
	back := func(key string) {
		t.Helper()
		press(t, a, "esc")
		if a.active() != screen(acc) {
			t.Fatalf("%s: esc did not come back to the account (%T)", key, a.active())
		}
	}

	// z snoozes this account (the picker's first length), z again wakes it.
	press(t, a, "z", "enter")
	if f := footer(); !strings.Contains(f, "snoozed "+acc.detail.Account.Name) {
		t.Fatalf("z: no answer:\n%s", f)
	}
	snoozes, err := st.Snoozes(context.Background(), model.DateOf(fixedNow))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := snoozes[id][data.SnoozeAll]; !ok {
		t.Fatal("z did not snooze the account")
	}
	press(t, a, "z")
	if f := footer(); !strings.Contains(f, "woke "+acc.detail.Account.Name) {
		t.Fatalf("z again: no answer:\n%s", f)
	}
	press(t, a, "Z")
	if f := footer(); !strings.Contains(f, "alerts of") && !strings.Contains(f, "no alert to snooze") {
		t.Fatalf("Z: no answer:\n%s", f)
	}

	// f, ctrl+f and R open their screens, as in the book.
	press(t, a, "f")
	if _, ok := a.active().(*followUps); !ok {
		t.Fatalf("f opened %T, want the follow-ups", a.active())
	}
	back("f")
	send(a, tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl})
	if _, ok := a.active().(*searchScreen); !ok {
		t.Fatalf("ctrl+f opened %T, want the search", a.active())
	}
	back("ctrl+f")
	press(t, a, "R")
	if _, ok := a.active().(*rejectedScreen); !ok {
		t.Fatalf("R opened %T, want the rejected changes", a.active())
	}
	back("R")

	// The book's own keys say why they do nothing here.
	for k, want := range map[string]string{
		"/":     "filters the book",
		"o":     "sorts the book",
		"enter": "nothing to open here",
	} {
		press(t, a, k)
		if f := footer(); !strings.Contains(f, want) {
			t.Fatalf("%s: footer does not say %q:\n%s", k, want, f)
		}
		if a.active() != screen(acc) {
			t.Fatalf("%s left the account page", k)
		}
	}
}

// Issue 13: lists keep the CSM's place after a snooze. z on the third row
// of the book sinks that account to the end; the cursor stays on the
// third row (its neighbour comes under it), and the footer says so.
func TestBookSnoozeKeepsThePlace(t *testing.T) {
	st := fixtureStore(t, 40)
	a := newTestApp(t, st, 120, 30)
	b := a.book
	press(t, a, "j", "j")
	id := b.selectedID()
	next := b.book.Rows[b.visible[3]].Account.ID
	press(t, a, "z", "enter") // the snooze picker: 1 day
	if _, ok := b.snoozes[id]; !ok {
		t.Fatalf("z did not snooze %s", id)
	}
	if !strings.Contains(ansi.Strip(viewOf(a)), "snoozed") {
		t.Fatal("no answer in the footer")
	}
	if b.list.Cursor() != 2 || b.selectedID() != next {
		t.Fatalf("after z the cursor is on row %d (%s), want row 2 (%s)", b.list.Cursor(), b.selectedID(), next)
	}
	// A later read keeps the selection by account again.
	send(a, a.loadBook()())
	if b.selectedID() != next {
		t.Fatalf("a re-read moved the selection to %s", b.selectedID())
	}
}

// Issue 13, defect 9's class: on the follow-ups screen the other screens'
// keys work (n a note on the selected one's account, ctrl+f, R) or say
// why they do nothing (Z, o, f). z and / are the screen's own since issue
// 14 (snooze the follow-up, filter by account): followups_test.go.
func TestFollowUpsKeysAnswer(t *testing.T) {
	a, _, f := openFollowUps(t, 100, 30)
	footer := func() string {
		lines := strings.Split(ansi.Strip(viewOf(a)), "\n")
		return strings.Join(lines[len(lines)-3:], "\n")
	}
	for k, want := range map[string]string{
		"Z": "snoozes an account",
		"o": "orders the book",
		"f": "these are the follow-ups",
	} {
		press(t, a, k)
		if got := footer(); !strings.Contains(got, want) {
			t.Fatalf("%s: footer does not say %q:\n%s", k, want, got)
		}
		if a.active() != screen(f) {
			t.Fatalf("%s left the follow-ups", k)
		}
	}
	press(t, a, "R")
	if _, ok := a.active().(*rejectedScreen); !ok {
		t.Fatalf("R opened %T, want the rejected changes", a.active())
	}
	press(t, a, "esc")
	send(a, tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl})
	if _, ok := a.active().(*searchScreen); !ok {
		t.Fatalf("ctrl+f opened %T, want the search", a.active())
	}
	press(t, a, "esc")
	if a.active() != screen(f) {
		t.Fatalf("esc did not come back to the follow-ups (%T)", a.active())
	}
	press(t, a, "n")
	if _, ok := a.active().(*noteEditor); !ok {
		t.Fatalf("n opened %T, want the note editor", a.active())
	}
}
