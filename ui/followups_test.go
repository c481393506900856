package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"csm/data"
	"csm/model"
)

func openFollowUps(t *testing.T, w, h int) (*App, *data.Store, *followUps) {
	t.Helper()
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, w, h)
	f := newFollowUps(&a.env)
	sendNow(t, a, pushScreenMsg{s: f})
	if !f.loaded || len(f.lines) == 0 {
		t.Fatalf("follow-ups not loaded: %q", ansi.Strip(viewOf(a)))
	}
	return a, st, f
}

func taskByID(t *testing.T, st *data.Store, accountID, id string) model.Task {
	t.Helper()
	for _, tk := range detailOf(t, st, accountID).Tasks {
		if tk.ID == id {
			return tk
		}
	}
	t.Fatalf("task %s not found", id)
	return model.Task{}
}

func TestFollowUpsGroupsAndTicks(t *testing.T) {
	a, st, f := openFollowUps(t, 100, 30)
	view := ansi.Strip(viewOf(a))
	if !strings.Contains(view, "Follow-ups") || !strings.Contains(view, "Overdue") {
		t.Fatalf("view: %s", view)
	}
	// Groups come in order, and each follow-up sits in the right one.
	today := model.LocalDay(fixedNow)
	last := -1
	for _, l := range f.lines {
		if l.row < 0 {
			if l.group <= last {
				t.Fatalf("group %s out of order", groupNames[l.group])
			}
			last = l.group
			continue
		}
		if g := groupOf(f.rows[l.row].Task, today); g != l.group {
			t.Fatalf("%q in %s, want %s", f.rows[l.row].Task.Title, groupNames[l.group], groupNames[g])
		}
	}

	press(t, a, "j")
	r, ok := f.selected()
	if !ok || r.Task.DoneAt != nil {
		t.Fatal("no open follow-up under the cursor")
	}
	id, acct := r.Task.ID, r.Task.AccountID
	sendNow(t, a, keyMsg("x"))
	if tk := taskByID(t, st, acct, id); tk.DoneAt == nil {
		t.Fatal("tick not saved")
	}
	if g := groupOfID(f, id); g != groupDone {
		t.Fatalf("ticked follow-up in %s, want Done recently", groupNames[g])
	}
	press(t, a, "G")
	if !strings.Contains(ansi.Strip(viewOf(a)), "Done recently") {
		t.Fatal("no Done recently group")
	}

	// Ticking it again under Done recently reopens it.
	for i, l := range f.lines {
		if l.row >= 0 && f.rows[l.row].Task.ID == id {
			f.list.Select(i)
		}
	}
	sendNow(t, a, keyMsg("space"))
	if tk := taskByID(t, st, acct, id); tk.DoneAt != nil {
		t.Fatal("reopen not saved")
	}
	if g := groupOfID(f, id); g == groupDone {
		t.Fatal("reopened follow-up still under Done recently")
	}
}

func groupOfID(f *followUps, id string) int {
	for _, l := range f.lines {
		if l.row >= 0 && f.rows[l.row].Task.ID == id {
			return l.group
		}
	}
	return -1
}

func TestFollowUpsTickRevertsWhenSaveFails(t *testing.T) {
	a, _, f := openFollowUps(t, 100, 30)
	// A follow-up the store does not have: its save fails.
	f.setRows(append(f.rows, data.TaskRow{Task: model.Task{ID: "ghost", AccountID: "nowhere", Title: "Ghost"}, AccountName: "Nobody"}))
	for i, l := range f.lines {
		if l.row >= 0 && f.rows[l.row].Task.ID == "ghost" {
			f.list.Select(i)
		}
	}
	sendNow(t, a, keyMsg("x"))
	if g := groupOfID(f, "ghost"); g != groupNoDate {
		t.Fatalf("failed tick left the line in %s", groupNames[g])
	}
	if !strings.Contains(f.msg, "not saved") || !strings.Contains(a.status, "not saved") {
		t.Fatalf("no error shown: %q / %q", f.msg, a.status)
	}
}

func TestFollowUpsEnterOpensAccountEscGoesBack(t *testing.T) {
	a, _, f := openFollowUps(t, 100, 30)
	r, _ := f.selected()
	cmd := f.Update(keyMsg("enter"))
	if cmd == nil {
		t.Fatal("enter did nothing")
	}
	if m, ok := cmd().(openAccountMsg); !ok || m.id != r.Task.AccountID {
		t.Fatalf("enter gave %#v, want openAccountMsg{%s}", m, r.Task.AccountID)
	}
	press(t, a, "esc")
	if len(a.stack) != 0 {
		t.Fatal("esc did not go back")
	}
}

func TestFollowUpsFit(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		a, st, f := openFollowUps(t, size[0], size[1])
		// A hostile title is drawn clean.
		acct := f.rows[0].Task.AccountID
		if _, err := st.CreateTask(context.Background(), acct, "evil \x1b]52;c;aGk=\x07title\x1b[2J that is very long indeed, far longer than any column", nil); err != nil {
			t.Fatal(err)
		}
		sendNow(t, a, changed()) // its first command is a batch: the reads, at once
		send(a, f.load()())
		press(t, a, "G")
		v := viewOf(a)
		checkFits(t, a, size[0], size[1])
		if strings.Contains(v, "\x1b]52") || strings.Contains(v, "\x1b[2J") {
			t.Fatal("escape sequence from data reached the view")
		}
		if !strings.Contains(ansi.Strip(v), "evil title") {
			t.Fatalf("%dx%d: hostile title not shown clean: %s", size[0], size[1], ansi.Strip(v))
		}
	}
}
