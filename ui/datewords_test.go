package ui

import (
	"testing"

	"csm/model"
	"csm/model/modeltest"
)

// TestNoteEditorDateWords types the date words of SPEC §4 into a next
// step's due field and saves: each follow-up falls due on the day csm note
// --due gives for the same word (the root's TestNoteDueDateWords runs the
// same table), counted from the editor's clock.
func TestNoteEditorDateWords(t *testing.T) {
	a, st, acct := openEditor(t, 120, 40)
	before := detailOf(t, st, acct.ID)
	typeText(a, "Call about dates")
	for i, w := range modeltest.DateWords {
		if i == 0 {
			send(a, ctrl('n'))
		} else {
			press(t, a, "enter") // past the last field: a new step
		}
		typeText(a, "step "+w.Word)
		press(t, a, "tab")
		typeText(a, w.Word)
	}
	send(a, ctrl('s'))
	notes := newNotesOf(t, st, before)
	if len(notes) != 1 {
		t.Fatalf("%d notes saved, want 1: %q", len(notes), viewOf(a))
	}
	due := map[string]*model.Date{}
	for _, tk := range detailOf(t, st, acct.ID).Tasks {
		if tk.NoteID != nil && *tk.NoteID == notes[0].ID {
			due[tk.Title] = tk.DueOn
		}
	}
	today := model.LocalDay(fixedNow)
	for _, w := range modeltest.DateWords {
		got, ok := due["step "+w.Word]
		if want := w.Want(today); !ok || got == nil || *got != want {
			t.Errorf("due %q = %v, want %s", w.Word, got, want)
		}
	}
}

// TestNoteEditorBareDayIsNoon: a day typed alone as the note's time is noon
// of it, as csm note --at takes it (model.NoteTimeOfDay).
func TestNoteEditorBareDayIsNoon(t *testing.T) {
	for _, typed := range []string{"2026-11-20", "today"} {
		a, st, acct := openEditor(t, 100, 30)
		before := detailOf(t, st, acct.ID)
		typeText(a, "A call on "+typed)
		press(t, a, "shift+tab") // body → when
		send(a, ctrl('u'))
		typeText(a, typed)
		send(a, ctrl('s'))
		notes := newNotesOf(t, st, before)
		if len(notes) != 1 {
			t.Fatalf("%s: %d notes saved, want 1: %q", typed, len(notes), viewOf(a))
		}
		day, _ := model.ParseDateWord(typed, model.LocalDay(fixedNow))
		if want := model.NoteTimeOfDay(day, fixedNow.Location()); !notes[0].HappenedAt.Equal(want) {
			t.Errorf("%s: happened at %v, want %v", typed, notes[0].HappenedAt, want)
		}
	}
}
