package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"csm/data"
	"csm/model"
)

// typeText types s one key at a time, as a person would.
func typeText(a *App, s string) {
	for _, r := range s {
		if r == ' ' {
			send(a, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
			continue
		}
		send(a, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// sendNow delivers msg and runs the command it returns at once, with no
// time limit (send gives up on a command after 200ms, which a store write
// can take on a loaded machine), then what follows as send does. The
// command must not be a timer.
func sendNow(t *testing.T, a *App, msg tea.Msg) {
	t.Helper()
	_, cmd := a.Update(msg)
	if cmd == nil {
		t.Fatalf("%v gave no command", msg)
	}
	next := cmd()
	if b, ok := next.(tea.BatchMsg); ok {
		for _, c := range b {
			runCmd(a, c, 1)
		}
		return
	}
	send(a, next)
}

// ctrl is the press of ctrl and a letter.
func ctrl(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl} }

// firstAccount returns an account of the fixture and its detail.
func firstAccount(t *testing.T, st *data.Store) data.AccountDetail {
	t.Helper()
	accts, err := st.Accounts(context.Background())
	if err != nil || len(accts) == 0 {
		t.Fatal("no accounts", err)
	}
	return detailOf(t, st, accts[0].ID)
}

func detailOf(t *testing.T, st *data.Store, id string) data.AccountDetail {
	t.Helper()
	d, err := st.AccountDetail(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func openEditor(t *testing.T, w, h int) (*App, *data.Store, model.Account) {
	t.Helper()
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, w, h)
	acct := firstAccount(t, st).Account
	send(a, pushScreenMsg{s: newNoteEditor(&a.env, acct.ID, acct.Name)})
	if _, ok := a.active().(*noteEditor); !ok {
		t.Fatal("editor not open")
	}
	return a, st, acct
}

func newNotesOf(t *testing.T, st *data.Store, before data.AccountDetail) []model.Note {
	t.Helper()
	old := map[string]bool{}
	for _, n := range before.Notes {
		old[n.ID] = true
	}
	var out []model.Note
	for _, n := range detailOf(t, st, before.Account.ID).Notes {
		if !old[n.ID] {
			out = append(out, n)
		}
	}
	return out
}

func TestNoteEditorSavesNoteAndNextSteps(t *testing.T) {
	a, st, acct := openEditor(t, 100, 30)
	before := detailOf(t, st, acct.ID)
	pendingBefore, _, _ := st.OutboxCounts(context.Background())

	// The editor opens on the body; q is text here, not quit.
	typeText(a, "Renewal call: quite happy")
	send(a, ctrl('n'))
	typeText(a, "Send pricing")
	press(t, a, "tab")
	typeText(a, "+3d")
	press(t, a, "enter") // past the last field: a new step
	typeText(a, "Book the QBR")
	press(t, a, "tab")
	typeText(a, "2026-12-01")
	// Pick the kind: back to it with shift+tab from the body, then a letter.
	for range 6 {
		press(t, a, "shift+tab")
	}
	typeText(a, "m")

	// A second ctrl+s before the first save answers must not save twice.
	_, first := a.Update(ctrl('s'))
	_, second := a.Update(ctrl('s'))
	if first == nil || second != nil {
		t.Fatalf("save commands: first %v, second %v; want one", first != nil, second != nil)
	}
	send(a, first())

	if len(a.stack) != 0 {
		t.Fatalf("editor still open after save: %q", viewOf(a))
	}
	if !strings.Contains(a.status, "note saved") {
		t.Errorf("status = %q, want note saved", a.status)
	}
	notes := newNotesOf(t, st, before)
	if len(notes) != 1 {
		t.Fatalf("%d new notes, want 1", len(notes))
	}
	n := notes[0]
	if n.Body != "Renewal call: quite happy" || n.Kind != model.NoteMeeting || !n.HappenedAt.Equal(fixedNow) {
		t.Errorf("note = %q %s %v", n.Body, n.Kind, n.HappenedAt)
	}
	due := map[string]string{}
	for _, tk := range detailOf(t, st, acct.ID).Tasks {
		if tk.NoteID != nil && *tk.NoteID == n.ID {
			due[tk.Title] = "none"
			if tk.DueOn != nil {
				due[tk.Title] = tk.DueOn.String()
			}
		}
	}
	if due["Send pricing"] != "2026-11-24" || due["Book the QBR"] != "2026-12-01" || len(due) != 2 {
		t.Errorf("follow-ups = %v", due)
	}
	pending, _, _ := st.OutboxCounts(context.Background())
	if pending-pendingBefore != 3 {
		t.Errorf("outbox grew by %d, want 3 (note and two follow-ups)", pending-pendingBefore)
	}
}

func TestNoteEditorEscAsksBeforeDiscarding(t *testing.T) {
	a, st, acct := openEditor(t, 80, 24)
	before := detailOf(t, st, acct.ID)
	typeText(a, "quick thought")
	press(t, a, "esc")
	if len(a.stack) != 1 || !strings.Contains(viewOf(a), "discard this note? y/n") {
		t.Fatalf("esc with typing should ask first: %q", viewOf(a))
	}
	typeText(a, "n")
	if len(a.stack) != 1 || !strings.Contains(viewOf(a), "quick thought") {
		t.Fatalf("n should keep the typing: %q", viewOf(a))
	}
	press(t, a, "esc")
	typeText(a, "y")
	if len(a.stack) != 0 {
		t.Fatal("y should close the editor")
	}
	if n := newNotesOf(t, st, before); len(n) != 0 {
		t.Fatalf("a discarded note was saved: %v", n)
	}

	// Nothing typed: esc just closes.
	send(a, pushScreenMsg{s: newNoteEditor(&a.env, acct.ID, acct.Name)})
	press(t, a, "esc")
	if len(a.stack) != 0 {
		t.Fatal("esc on an untouched editor should close it")
	}
}

func TestNoteEditorRefusesEmptyNoteAndBadDate(t *testing.T) {
	a, st, acct := openEditor(t, 80, 24)
	before := detailOf(t, st, acct.ID)
	send(a, ctrl('s'))
	if len(a.stack) != 1 || !strings.Contains(viewOf(a), "nothing to save") {
		t.Fatalf("empty note: %q", viewOf(a))
	}
	// An empty step row is not a next step either.
	send(a, ctrl('n'))
	send(a, ctrl('s'))
	if !strings.Contains(viewOf(a), "nothing to save") {
		t.Fatalf("empty step: %q", viewOf(a))
	}

	// A bad date shows inline and blocks the save.
	typeText(a, "Ship fix")
	for range 2 {
		press(t, a, "shift+tab") // step title → body → when
	}
	send(a, ctrl('u')) // clear the field
	typeText(a, "2026-13-01 10:00")
	if !strings.Contains(viewOf(a), "write the date as YYYY-MM-DD HH:MM") {
		t.Fatalf("no inline date error: %q", viewOf(a))
	}
	send(a, ctrl('s'))
	if len(a.stack) != 1 {
		t.Fatal("a note with a bad date was saved")
	}
	// A bad due day too.
	send(a, ctrl('u'))
	typeText(a, "2026-11-20 16:00")
	for range 3 {
		press(t, a, "tab") // when → body → step title → step due
	}
	typeText(a, "someday")
	send(a, ctrl('s'))
	if !strings.Contains(viewOf(a), "next step 1") {
		t.Fatalf("bad due day: %q", viewOf(a))
	}
	if n := newNotesOf(t, st, before); len(n) != 0 {
		t.Fatalf("refused notes were saved: %v", n)
	}
	// Fixed, it saves: a note of next steps only is a note.
	send(a, ctrl('u'))
	typeText(a, "fri")
	sendNow(t, a, ctrl('s'))
	notes := newNotesOf(t, st, before)
	if len(notes) != 1 || notes[0].Body != "" || len(notes[0].NextSteps) != 1 || !notes[0].HappenedAt.Equal(time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)) {
		t.Fatalf("saved %+v", notes)
	}
}

func TestNoteEditorPasteGoesToFocusedFieldCleaned(t *testing.T) {
	a, _, _ := openEditor(t, 80, 24)
	send(a, tea.PasteMsg{Content: "from mail \x1b]0;evil\x07ok \x1b[31mred\x1b[0m"})
	e := a.active().(*noteEditor)
	if got := e.body.Value(); got != "from mail ok red" {
		t.Fatalf("body = %q", got)
	}
	send(a, ctrl('n'))
	send(a, tea.PasteMsg{Content: "line one\nline two"})
	if got := e.steps[0].title.Value(); got != "line one line two" {
		t.Fatalf("step title = %q", got)
	}
}

func TestNoteReviserSavesRevision(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 100, 30)
	var old model.Note
	var d data.AccountDetail
	accts, _ := st.Accounts(context.Background())
	for _, ac := range accts {
		d = detailOf(t, st, ac.ID)
		if len(d.Notes) > 0 {
			old = d.Notes[0]
			break
		}
	}
	if old.ID == "" {
		t.Fatal("fixture has no notes")
	}
	send(a, pushScreenMsg{s: newNoteReviser(&a.env, old, d.Account.Name)})
	e := a.active().(*noteEditor)
	if e.body.Value() != old.Body || len(e.steps) != len(old.NextSteps) {
		t.Fatalf("not pre-filled: %q, %d steps", e.body.Value(), len(e.steps))
	}
	// Untouched, esc closes without asking.
	press(t, a, "esc")
	if len(a.stack) != 0 {
		t.Fatal("esc on an untouched revision should close")
	}
	send(a, pushScreenMsg{s: newNoteReviser(&a.env, old, d.Account.Name)})
	send(a, ctrl('e')) // end of line
	typeText(a, " Fixed.")
	sendNow(t, a, ctrl('s'))
	if len(a.stack) != 0 {
		t.Fatalf("reviser still open: %q", viewOf(a))
	}
	notes := newNotesOf(t, st, d)
	if len(notes) != 1 || notes[0].Supersedes == nil || *notes[0].Supersedes != old.ID || !strings.HasSuffix(notes[0].Body, " Fixed.") ||
		!notes[0].HappenedAt.Equal(old.HappenedAt) || notes[0].Kind != old.Kind {
		t.Fatalf("revision = %+v", notes)
	}
}

func TestParseDue(t *testing.T) {
	today := model.MakeDate(2026, 11, 21) // a Saturday
	cases := map[string]string{
		"":           "none",
		"today":      "2026-11-21",
		"Tomorrow":   "2026-11-22",
		"+3d":        "2026-11-24",
		"+3":         "2026-11-24",
		"+2w":        "2026-12-05",
		"mon":        "2026-11-23",
		"friday":     "2026-11-27",
		"sat":        "2026-11-28", // never today: the next one
		"2027-01-15": "2027-01-15",
		"someday":    "error",
		"+x":         "error",
		"s":          "error",
		"2026-02-30": "error",
	}
	for in, want := range cases {
		d, err := parseDue(in, today)
		got := "none"
		switch {
		case err != nil:
			got = "error"
		case d != nil:
			got = d.String()
		}
		if got != want {
			t.Errorf("parseDue(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestNoteEditorFits(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		a, _, _ := openEditor(t, size[0], size[1])
		typeText(a, "A body")
		for range 8 {
			send(a, ctrl('n'))
			typeText(a, "A rather long next step title that goes on and on and on")
			press(t, a, "tab")
			typeText(a, "tomorrow")
		}
		checkFits(t, a, size[0], size[1])
		e := a.active().(*noteEditor)
		if e.body.Height() < 5 {
			t.Errorf("%dx%d: body %d lines, want at least 5", size[0], size[1], e.body.Height())
		}
	}
}

// checkFits fails when the root's view is wider or taller than the window.
func checkFits(t *testing.T, a *App, w, h int) {
	t.Helper()
	lines := strings.Split(viewOf(a), "\n")
	if len(lines) > h {
		t.Errorf("%dx%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("%dx%d: line %d is %d wide: %q", w, h, i, ansi.StringWidth(l), l)
		}
	}
}

func TestCtrlCOverUnsavedNoteWarnsFirst(t *testing.T) {
	st := fixtureStore(t, 20)
	a := newTestApp(t, st, 100, 30)
	press(t, a, "n")
	if _, ok := a.active().(*noteEditor); !ok {
		t.Fatalf("n on the book did not open the note editor (%T)", a.active())
	}
	for _, r := range "budget cut" {
		press(t, a, string(r))
	}
	_, cmd := a.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	if isQuit(cmd) {
		t.Fatal("ctrl+c quit over an unsaved note")
	}
	_, cmd = a.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	if !isQuit(cmd) {
		t.Fatal("a second ctrl+c did not quit")
	}
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// accountDrafts returns the drafts of an account, as a restarted TUI would
// find them.
func accountDrafts(t *testing.T, st *data.Store, accountID string) []data.Draft {
	t.Helper()
	d, err := st.Drafts().ForAccount(accountID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestNoteEditorKeepsEachKeystrokeInADraft(t *testing.T) {
	a, st, acct := openEditor(t, 100, 30)
	e := a.active().(*noteEditor)
	typed := ""
	for _, r := range "Budget cut" {
		typeText(a, string(r))
		typed += string(r)
		got := accountDrafts(t, st, acct.ID)
		if len(got) != 1 || got[0].Body != typed {
			t.Fatalf("after %q the draft is %+v", typed, got)
		}
	}
	send(a, ctrl('n'))
	typeText(a, "Call the CFO")
	press(t, a, "tab")
	typeText(a, "fri")
	d := accountDrafts(t, st, acct.ID)[0]
	if d.ID != e.draftID || d.Source != data.DraftFromTUI || d.Kind != model.NoteCall || !d.HappenedAt.Equal(fixedNow) {
		t.Errorf("draft = %+v", d)
	}
	// The due day is kept as the day it means, not as "fri", which would
	// mean another day tomorrow.
	if len(d.NextSteps) != 1 || d.NextSteps[0] != (data.DraftStep{Title: "Call the CFO", Due: "2026-11-27"}) {
		t.Errorf("next steps = %+v", d.NextSteps)
	}
}

// While a write is in flight, changes wait for it and are written after
// it in one go; the file ends with all of them.
func TestNoteEditorCoalescesDraftWrites(t *testing.T) {
	a, st, acct := openEditor(t, 100, 30)
	e := a.active().(*noteEditor)
	first := e.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
	if first == nil || !e.draftWriting {
		t.Fatal("a change started no draft write")
	}
	for _, r := range "bc" {
		e.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	kept := draftKeptOf(t, first)
	next := e.Update(kept)
	if next == nil {
		t.Fatal("the changes made during the write were not written after it")
	}
	e.Update(draftKeptOf(t, next))
	if got := accountDrafts(t, st, acct.ID); len(got) != 1 || got[0].Body != "abc" {
		t.Fatalf("draft = %+v, want abc", got)
	}
	if e.draftWriting || e.Update(draftKeptMsg{id: e.draftID}) != nil {
		t.Error("a write was started with nothing new to write")
	}
}

// draftKeptOf runs a command (a batch too) and returns the end of its
// draft write.
func draftKeptOf(t *testing.T, cmd tea.Cmd) draftKeptMsg {
	t.Helper()
	switch m := cmd().(type) {
	case draftKeptMsg:
		return m
	case tea.BatchMsg:
		for _, c := range m {
			if c == nil {
				continue
			}
			done := make(chan tea.Msg, 1)
			go func() { done <- c() }()
			select {
			case msg := <-done:
				if k, ok := msg.(draftKeptMsg); ok {
					return k
				}
			case <-time.After(time.Second): // a timer, not the write
			}
		}
	}
	t.Fatal("the command wrote no draft")
	return draftKeptMsg{}
}

// The TUI is killed while a note is being written; the next one, on the
// same database, reopens it, and saving it saves it once.
func TestRestartedTUIRestoresTheDraftAndSavesItOnce(t *testing.T) {
	ctx := context.Background()
	st := fixtureStore(t, 20)
	a := newTestApp(t, st, 100, 30)
	press(t, a, "n")
	killed := a.active().(*noteEditor)
	before := detailOf(t, st, killed.accountID)
	pendingBefore, _, _ := st.OutboxCounts(ctx)
	typeText(a, "Budget cut, renewal at risk")
	send(a, ctrl('n'))
	typeText(a, "Escalate")
	// No save, no discard, no quit: the process is gone.

	b := newTestApp(t, st, 100, 30)
	press(t, b, "n")
	e, ok := b.active().(*noteEditor)
	if !ok || e.accountID != killed.accountID {
		t.Fatalf("n opened %T on another account", b.active())
	}
	v := viewOf(b)
	if !strings.Contains(v, "Budget cut, renewal at risk") || !strings.Contains(v, "Escalate") ||
		!strings.Contains(v, "restored unsaved note from 09:30") {
		t.Fatalf("the draft is not restored: %q", v)
	}
	if e.draftID != killed.draftID {
		t.Errorf("restored editor saves as %s, want the draft's id %s", e.draftID, killed.draftID)
	}
	sendNow(t, b, ctrl('s'))
	if len(b.stack) != 0 {
		t.Fatalf("editor still open: %q", viewOf(b))
	}
	notes := newNotesOf(t, st, before)
	if len(notes) != 1 || notes[0].ID != killed.draftID || notes[0].Body != "Budget cut, renewal at risk" ||
		len(notes[0].NextSteps) != 1 {
		t.Fatalf("new notes = %+v, want the draft saved once", notes)
	}
	if pending, _, _ := st.OutboxCounts(ctx); pending-pendingBefore != 2 {
		t.Errorf("outbox grew by %d, want 2 (the note and its follow-up)", pending-pendingBefore)
	}
	if got := accountDrafts(t, st, killed.accountID); len(got) != 0 {
		t.Errorf("drafts left after the save: %+v", got)
	}
	if files, _ := filepath.Glob(filepath.Join(st.Drafts().Dir(), "*")); len(files) != 0 {
		t.Errorf("files left in the drafts folder: %v", files)
	}

	// A third start finds nothing to restore.
	c := newTestApp(t, st, 100, 30)
	press(t, c, "n")
	if v := viewOf(c); strings.Contains(v, "restored") || strings.Contains(v, "Budget cut") {
		t.Errorf("a saved note was restored again: %q", v)
	}
}

func TestNoteEditorDiscardRemovesTheDraft(t *testing.T) {
	a, st, acct := openEditor(t, 100, 30)
	typeText(a, "never mind")
	if len(accountDrafts(t, st, acct.ID)) != 1 {
		t.Fatal("no draft while typing")
	}
	press(t, a, "esc")
	typeText(a, "y")
	if got := accountDrafts(t, st, acct.ID); len(got) != 0 || len(a.stack) != 0 {
		t.Fatalf("after discarding: drafts %+v, %d screens", got, len(a.stack))
	}

	// Typed and deleted again: esc closes without asking and keeps no
	// empty draft.
	send(a, pushScreenMsg{s: newNoteEditor(&a.env, acct.ID, acct.Name)})
	typeText(a, "x")
	press(t, a, "backspace", "esc")
	if got := accountDrafts(t, st, acct.ID); len(got) != 0 || len(a.stack) != 0 {
		t.Fatalf("after typing nothing: drafts %+v, %d screens", got, len(a.stack))
	}

	// A restored draft counts as typing: esc asks before it is thrown away.
	send(a, pushScreenMsg{s: newNoteEditor(&a.env, acct.ID, acct.Name)})
	typeText(a, "keep me")
	send(a, pushScreenMsg{s: newNoteEditor(&a.env, acct.ID, acct.Name)})
	press(t, a, "esc")
	if !strings.Contains(viewOf(a), "discard this note? y/n") {
		t.Fatalf("esc on a restored draft did not ask: %q", viewOf(a))
	}
	typeText(a, "n")
	if got := accountDrafts(t, st, acct.ID); len(got) != 1 {
		t.Fatalf("keeping on editing lost the draft: %+v", got)
	}
}

func TestNoteEditorRestoresADraftCleaned(t *testing.T) {
	st := fixtureStore(t, 20)
	a := newTestApp(t, st, 100, 30)
	acct := firstAccount(t, st).Account
	d := data.NewDraft(acct.ID, model.NoteQBR, data.DraftFromCLI, fixedNow.Add(-time.Hour))
	d.Body = "from disk \x1b]0;evil\x07ok"
	d.NextSteps = []data.DraftStep{{Title: "step\x1b[2J one", Due: "2026-12-01"}}
	d.UpdatedAt = fixedNow.Add(-48 * time.Hour)
	if err := st.Drafts().Save(d); err != nil {
		t.Fatal(err)
	}
	send(a, pushScreenMsg{s: newNoteEditor(&a.env, acct.ID, acct.Name)})
	e := a.active().(*noteEditor)
	if e.body.Value() != "from disk ok" || len(e.steps) != 1 || e.steps[0].title.Value() != "step one" ||
		e.steps[0].due.Value() != "2026-12-01" || model.NoteKinds[e.kind] != model.NoteQBR || !e.opened.Equal(d.HappenedAt) {
		t.Fatalf("restored form: %q %d steps, kind %s, at %v", e.body.Value(), len(e.steps), model.NoteKinds[e.kind], e.opened)
	}
	v := viewOf(a)
	if strings.ContainsAny(v, "\x07") || strings.Contains(v, "evil") || !strings.Contains(v, "restored unsaved note from Nov 19 09:30") {
		t.Errorf("view = %q", v)
	}
}

// A store that refuses the note: the text stays on screen and on disk.
func TestNoteEditorFailedSaveKeepsTheDraft(t *testing.T) {
	a, st, acct := openEditor(t, 100, 30)
	typeText(a, "words to keep")
	if _, err := st.DB().Exec(`CREATE TRIGGER test_block_notes BEFORE INSERT ON notes BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	sendNow(t, a, ctrl('s'))
	if v := viewOf(a); len(a.stack) != 1 || !strings.Contains(v, "not saved") || !strings.Contains(v, "kept as a draft") {
		t.Fatalf("failed save: %q", v)
	}
	if got := accountDrafts(t, st, acct.ID); len(got) != 1 || got[0].Body != "words to keep" {
		t.Fatalf("drafts = %+v", got)
	}
}
