package main

import (
	"testing"
	"time"

	"csm/model"
	"csm/model/modeltest"
)

// TestNoteDueDateWords runs the date words of SPEC §4 through csm note
// --due; ui's TestNoteEditorDateWords runs the same table through the
// note editor. Both count from the day on the clock.
func TestNoteDueDateWords(t *testing.T) {
	cliEnv(t)
	a := cliBook(t, nil)[0]
	for _, w := range modeltest.DateWords {
		t.Run(w.Word, func(t *testing.T) {
			before := model.LocalDay(time.Now())
			r := cliRun(t, "", "note", a.ID, "-m", "call about "+w.Word, "--next", "step "+w.Word, "--due", w.Word)
			after := model.LocalDay(time.Now()) // the day may turn meanwhile
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.output())
			}
			_, tasks := cliNotes(t, a.ID)
			var due *model.Date
			for _, tk := range tasks {
				if tk.Title == "step "+w.Word {
					due = tk.DueOn
				}
			}
			if due == nil || (*due != w.Want(before) && *due != w.Want(after)) {
				t.Errorf("--due %s = %v, want %s", w.Word, due, w.Want(before))
			}
		})
	}
}

// TestNoteAtBareDayIsNoon: a day alone in --at is noon of it, as in the
// editor (model.NoteTimeOfDay).
func TestNoteAtBareDayIsNoon(t *testing.T) {
	cliEnv(t)
	a := cliBook(t, nil)[0]
	for _, at := range []string{"2026-11-21", "today"} {
		r := cliRun(t, "", "note", a.ID, "-m", "on "+at, "--at", at)
		if r.code != 0 {
			t.Fatalf("--at %s: exit %d: %s", at, r.code, r.output())
		}
		notes, _ := cliNotes(t, a.ID)
		n := newestNote(notes)
		day, _ := model.ParseDateWord(at, model.LocalDay(time.Now()))
		if want := model.NoteTimeOfDay(day, time.Local); !n.HappenedAt.Equal(want) {
			t.Errorf("--at %s: happened at %v, want %v", at, n.HappenedAt, want)
		}
	}
}
