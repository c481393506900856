package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
	"csm/safe"
)

// The note editor: what the CSM types right after a call. Every key is
// text while it is open, so its own keys (KeyMap's SaveNote, AddStep,
// DelStep, KindPrev and KindNext) are control chords no sentence needs.

// whenLayout is how the date and time of a note are typed, in local time.
const whenLayout = "2006-01-02 15:04"

// noteSavedMsg reports the end of a save; draftErr is a draft that could
// not be removed after its note was saved.
type noteSavedMsg struct{ err, draftErr error }

// draftFoundMsg carries the newest draft of the account, found as the
// editor opened.
type draftFoundMsg struct {
	draft data.Draft
	err   error
}

// draftKeptMsg reports the end of a write of the draft.
type draftKeptMsg struct {
	id  string
	err error
}

// noteStep is one next step: a title and, for a new note, a due day.
type noteStep struct {
	title, due textinput.Model
}

// noteEditor writes a new note, or a revision of one.
type noteEditor struct {
	*env

	accountID, accountName string
	// revising is the note being corrected; nil for a new note. A
	// revision's next steps are text only: ReviseNote creates no
	// follow-ups, so the due fields are not offered.
	revising *model.Note

	kind int // index into model.NoteKinds
	when textinput.Model
	// opened is the note's time as the editor opened; while the when
	// field still shows it, the note keeps it to the second rather than
	// to the minute the field shows.
	opened     time.Time
	openedWhen string
	body       textBox
	steps      []noteStep
	focus      int // a focus stop, see stops

	initial    string // the form as opened, to tell whether anything was typed
	confirming bool   // asking "discard this note? y/n"
	saving     bool   // a save is running: a second ctrl+s must not save twice
	msg        string // the last error, shown above the keys
	// formErr says msg is the form's own fault (a bad date, nothing to
	// save): it is worked out again from the form after every change, so
	// it goes when its cause goes (a step removed, a date fixed) and
	// never speaks of a field no longer there.
	formErr bool

	// A new note is kept in a draft on disk as it is typed, so a killed
	// TUI or a closed terminal loses nothing; a revision has no draft
	// (drafts is nil).
	drafts       *data.Drafts
	draftID      string    // the id the note is saved under, made as the editor opens
	draftSeq     int64     // of the last snapshot sent to be written
	draftSent    string    // that snapshot, to write only what changed
	draftWriting bool      // a write is in flight: changes wait for its end
	draftErr     string    // why the last write failed
	restoredAt   time.Time // when the draft reopened here was last written

	width, height int
}

// Focus stops, in tab order: kind, when, body, then each step's title (and
// due day for a new note).
const (
	stopKind = iota
	stopWhen
	stopBody
	stopSteps
)

// newNoteEditor opens an empty note for an account, dated now.
func newNoteEditor(shared *env, accountID, accountName string) *noteEditor {
	e := &noteEditor{env: shared, accountID: accountID, accountName: accountName}
	now, st := e.now, e.store
	e.when = newLineInput("YYYY-MM-DD HH:MM", len(whenLayout))
	e.setOpened(now())
	e.body = newTextBox(e.styles.TextArea, model.MaxBodyBytes, "What happened? What did they say?")
	e.applyStyles()
	e.initial = e.snapshot()
	e.SetSize(80, 20)
	e.setFocus(stopBody)
	if st != nil {
		e.drafts, e.draftID, e.draftSent = st.Drafts(), data.NewDraftID(), e.initial
	}
	return e
}

// newNoteReviser opens an existing note pre-filled; saving writes a new
// revision that supersedes it (the old text stays in history).
func newNoteReviser(shared *env, note model.Note, accountName string) *noteEditor {
	e := newNoteEditor(shared, note.AccountID, accountName)
	e.revising = &note
	// ReviseNote makes a new id at each save: a draft could not promise
	// to save once.
	e.drafts, e.draftID = nil, ""
	if i := slices.Index(model.NoteKinds, note.Kind); i >= 0 {
		e.kind = i
	}
	e.setOpened(note.HappenedAt.In(e.now().Location()))
	// The note came from the server: what the CSM edits, and saves as the
	// new revision, is the text as the screen shows it.
	e.body.SetValue(safe.Text(note.Body))
	for _, s := range note.NextSteps {
		e.steps = append(e.steps, e.newStep(safe.Line(s), ""))
	}
	e.initial = e.snapshot()
	e.layout()
	e.setFocus(stopBody)
	return e
}

func (e *noteEditor) setOpened(t time.Time) {
	e.opened, e.openedWhen = t, t.Format(whenLayout)
	e.when.SetValue(e.openedWhen)
}

func newLineInput(placeholder string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = limit
	return in
}

func (e *noteEditor) newStep(title, due string) noteStep {
	s := noteStep{title: newLineInput("what, who", model.MaxNameChars), due: newLineInput("+3d, fri…", 20)}
	s.title.SetValue(title)
	s.due.SetValue(due)
	s.title.SetStyles(e.styles.Input)
	s.due.SetStyles(e.styles.Input)
	return s
}

// applyStyles gives the text fields the UI's styles instead of the
// components' own, so they read on light and dark backgrounds alike.
func (e *noteEditor) applyStyles() {
	e.body.SetStyles(e.styles.TextArea)
	e.when.SetStyles(e.styles.Input)
	for i := range e.steps {
		e.steps[i].title.SetStyles(e.styles.Input)
		e.steps[i].due.SetStyles(e.styles.Input)
	}
}

// restyle gives the open form's fields the new styles.
func (e *noteEditor) restyle() { e.applyStyles() }

// snapshot is the whole form as one string, to compare with how it opened.
func (e *noteEditor) snapshot() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d\x00%s\x00%s", e.kind, e.when.Value(), e.body.Value())
	for _, s := range e.steps {
		fmt.Fprintf(&b, "\x00%s\x00%s", s.title.Value(), s.due.Value())
	}
	return b.String()
}

// dirty says whether anything was typed since the editor opened.
func (e *noteEditor) dirty() bool { return e.snapshot() != e.initial }

// Unsaved says whether quitting now would lose typing.
func (e *noteEditor) Unsaved() bool { return e.dirty() }

// Capturing is always true: every key is text while the editor is open.
func (e *noteEditor) Capturing() bool { return true }

// perStep is how many focus stops a next step has.
func (e *noteEditor) perStep() int {
	if e.revising != nil {
		return 1
	}
	return 2
}

func (e *noteEditor) stopCount() int { return stopSteps + len(e.steps)*e.perStep() }

// focusedStep says which step field has the focus, if any.
func (e *noteEditor) focusedStep() (i int, due, ok bool) {
	if e.focus < stopSteps {
		return 0, false, false
	}
	n := e.focus - stopSteps
	return n / e.perStep(), n%e.perStep() == 1, true
}

// setFocus moves the focus to a stop, blurring every other field.
func (e *noteEditor) setFocus(stop int) tea.Cmd {
	e.focus = min(max(stop, 0), e.stopCount()-1)
	e.when.Blur()
	e.body.Blur()
	for i := range e.steps {
		e.steps[i].title.Blur()
		e.steps[i].due.Blur()
	}
	switch e.focus {
	case stopKind:
		return nil
	case stopWhen:
		return e.when.Focus()
	case stopBody:
		return e.body.Focus()
	}
	i, due, _ := e.focusedStep()
	if due {
		return e.steps[i].due.Focus()
	}
	return e.steps[i].title.Focus()
}

// SetSize sets the room of the editor.
func (e *noteEditor) SetSize(w, h int) {
	e.width, e.height = w, h
	e.layout()
}

// Layout: title, blank, kind, when, the "Note" label, the body, the steps
// header, the steps, and the message line. The body takes what the steps
// leave, never less than five lines; past that the steps scroll.
const (
	editorFixedLines = 7
	editorMinBody    = 5
	editorLabelWidth = 7
	stepDueWidth     = 10
	stepDayWidth     = 14 // "→ Fri Nov 27" or a short error
)

func (e *noteEditor) stepRows() int {
	room := max(e.height-editorFixedLines-editorMinBody, 1)
	return min(max(len(e.steps), 1), room)
}

func (e *noteEditor) layout() {
	e.body.SetWidth(max(e.width, textBoxMinWidth))
	e.body.SetHeight(max(e.height-editorFixedLines-e.stepRows(), editorMinBody))
	e.when.SetWidth(len(whenLayout))
	tw := e.stepTitleWidth()
	for i := range e.steps {
		e.steps[i].title.SetWidth(tw)
		e.steps[i].due.SetWidth(stepDueWidth)
	}
}

// stepTitleWidth is what a step's title gets once its number, its due field
// and the resolved day have their room.
func (e *noteEditor) stepTitleWidth() int {
	used := 6 // "  12. "
	if e.revising == nil {
		used += len(" due ") + stepDueWidth + 2 + stepDayWidth
	}
	return max(e.width-used-1, 10)
}

// Update handles typing, moving between fields, saving and cancelling;
// every change to the form is then written to the draft.
func (e *noteEditor) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case draftFoundMsg:
		return e.restore(msg)
	case draftKeptMsg:
		return e.draftKept(msg)
	}
	cmd := e.update(msg)
	e.recheck()
	return tea.Batch(cmd, e.keepDraft())
}

// recheck works the form's error out again from the form as it is now.
func (e *noteEditor) recheck() {
	if !e.formErr || e.saving {
		return
	}
	if _, err := e.collect(); err != nil {
		e.msg = err.Error()
		return
	}
	e.msg, e.formErr = "", false
}

func (e *noteEditor) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case noteSavedMsg:
		e.saving = false
		if msg.err != nil {
			// The typing stays: the CSM can fix the cause and save again.
			e.msg = "not saved: " + errText(msg.err)
			if e.drafts != nil && e.draftErr == "" {
				e.msg += " · kept as a draft"
			}
			return nil
		}
		status := "note saved · will sync"
		if msg.draftErr != nil {
			status += " · its draft stayed: " + errText(msg.draftErr)
		}
		return tea.Batch(popScreen, changed, statusCmd(status, false))
	case tea.PasteMsg:
		// Paste lands in the focused field, cleaned of escape sequences
		// and control characters first.
		if e.saving || e.confirming {
			return nil
		}
		return e.updateFocused(e.cleanPaste(msg))
	case tea.KeyPressMsg:
		return e.updateKey(msg)
	}
	return e.updateFocused(msg)
}

func (e *noteEditor) cleanPaste(p tea.PasteMsg) tea.PasteMsg {
	if e.focus == stopBody {
		p.Content = safe.Text(p.Content)
	} else {
		p.Content = safe.Line(p.Content)
	}
	return p
}

func (e *noteEditor) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	if e.saving {
		return nil // a moment: the save's answer decides what happens next
	}
	if e.confirming {
		switch {
		case key.Matches(msg, e.keys.Yes):
			return tea.Batch(e.dropDraft(), popScreen)
		case key.Matches(msg, e.keys.No):
			e.confirming = false
		}
		return nil
	}
	switch {
	case key.Matches(msg, e.keys.SaveNote):
		return e.save()
	case key.Matches(msg, e.keys.Back):
		if e.dirty() {
			e.confirming = true
			return nil
		}
		// Typed and then deleted: the draft holds nothing worth keeping.
		return tea.Batch(e.dropDraft(), popScreen)
	case key.Matches(msg, e.keys.NextSection):
		return e.setFocus((e.focus + 1) % e.stopCount())
	case key.Matches(msg, e.keys.PrevSection):
		return e.setFocus((e.focus - 1 + e.stopCount()) % e.stopCount())
	case key.Matches(msg, e.keys.AddStep):
		return e.addStep()
	case key.Matches(msg, e.keys.DelStep):
		if i, _, ok := e.focusedStep(); ok {
			return e.removeStep(i)
		}
	}
	e.msg = ""
	switch e.focus {
	case stopKind:
		return e.updateKind(msg)
	case stopBody:
		return e.updateFocused(msg)
	}
	// One-line fields: enter goes on to the next field, and past the last
	// step's last field it starts a new step, so a list types in one go.
	if msg.String() == "enter" {
		if e.focus == e.stopCount()-1 {
			return e.addStep()
		}
		return e.setFocus(e.focus + 1)
	}
	return e.updateFocused(msg)
}

// updateKind picks the kind: ←/→ (or space) cycle through the seven, and
// a letter jumps to the next kind starting with it (c: call, check in).
func (e *noteEditor) updateKind(msg tea.KeyPressMsg) tea.Cmd {
	n := len(model.NoteKinds)
	switch {
	case key.Matches(msg, e.keys.KindPrev):
		e.kind = (e.kind - 1 + n) % n
	case key.Matches(msg, e.keys.KindNext):
		e.kind = (e.kind + 1) % n
	case key.Matches(msg, e.keys.Open):
		return e.setFocus(stopWhen)
	default:
		letter := strings.ToLower(msg.Text)
		for d := 1; letter != "" && d <= n; d++ {
			k := (e.kind + d) % n
			if strings.HasPrefix(model.NoteKinds[k], letter) {
				e.kind = k
				break
			}
		}
	}
	return nil
}

// updateFocused hands a message to the focused text field.
func (e *noteEditor) updateFocused(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch e.focus {
	case stopKind:
	case stopWhen:
		e.when, cmd = e.when.Update(msg)
	case stopBody:
		cmd = e.body.Update(msg)
	default:
		i, due, _ := e.focusedStep()
		if due {
			e.steps[i].due, cmd = e.steps[i].due.Update(msg)
		} else {
			e.steps[i].title, cmd = e.steps[i].title.Update(msg)
		}
	}
	return cmd
}

func (e *noteEditor) addStep() tea.Cmd {
	e.steps = append(e.steps, e.newStep("", ""))
	e.layout()
	return e.setFocus(stopSteps + (len(e.steps)-1)*e.perStep())
}

func (e *noteEditor) removeStep(i int) tea.Cmd {
	e.steps = slices.Delete(e.steps, i, i+1)
	e.layout()
	if len(e.steps) == 0 {
		return e.setFocus(stopBody)
	}
	return e.setFocus(stopSteps + min(i, len(e.steps)-1)*e.perStep())
}

// today is the CSM's calendar day, in the clock's own time zone: the day
// date words count from.
func (e *noteEditor) today() model.Date { return model.LocalDay(e.now()) }

// parseWhen reads the note's date and time as csm note --at does
// (model.ParseNoteTime): typed in local time, a day alone meaning noon,
// the future refused. While the field still shows the time the editor
// opened with, the note keeps that time to the second.
func (e *noteEditor) parseWhen() (time.Time, error) {
	v := strings.TrimSpace(e.when.Value())
	if v == e.openedWhen {
		return e.opened, nil
	}
	return model.ParseNoteTime(v, e.now())
}

// parseDue reads a due day in any date word (model.ParseDateWord), as csm
// note --due does. Empty means no due day.
func parseDue(s string, today model.Date) (*model.Date, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	d, err := model.ParseDateWord(s, today)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// collect validates the form and builds what the store saves.
func (e *noteEditor) collect() (data.NewNote, error) {
	in := data.NewNote{AccountID: e.accountID, Kind: model.NoteKinds[e.kind], Body: strings.TrimSpace(e.body.Value())}
	at, err := e.parseWhen()
	if err != nil {
		return in, fmt.Errorf("date: %w", err)
	}
	in.HappenedAt = at
	today := e.today()
	for i, s := range e.steps {
		title := strings.TrimSpace(s.title.Value())
		due, err := parseDue(s.due.Value(), today)
		switch {
		case err != nil:
			return in, fmt.Errorf("next step %d: %w", i+1, err)
		case title == "" && due != nil:
			return in, fmt.Errorf("next step %d has a due day but no title", i+1)
		case title == "":
			continue // an empty row added and not used
		}
		in.NextSteps = append(in.NextSteps, data.NextStep{Title: title, DueOn: due})
	}
	if in.Body == "" && len(in.NextSteps) == 0 {
		return in, errors.New("nothing to save: write the note or add a next step (esc leaves)")
	}
	if e.revising != nil && in.Body == "" {
		return in, errors.New("a revised note needs its text")
	}
	return in, nil
}

// save validates in Update and writes in a command; the command gets a
// copy of the note, never the editor.
func (e *noteEditor) save() tea.Cmd {
	in, err := e.collect()
	if err != nil {
		e.msg, e.formErr = err.Error(), true
		return nil
	}
	e.saving, e.msg, e.formErr = true, "", false
	st := e.store
	if e.revising != nil {
		oldID := e.revising.ID
		steps := make([]string, len(in.NextSteps))
		for i, s := range in.NextSteps {
			steps[i] = s.Title
		}
		return e.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
			_, err := st.ReviseNote(ctx, oldID, in.Kind, in.Body, in.HappenedAt, steps)
			return noteSavedMsg{err: err}
		})
	}
	// The note takes the draft's id, so a draft that outlives this save
	// (a crash before its removal) saves as this same note again.
	in.ID = e.draftID
	drafts, id := e.drafts, e.draftID
	return e.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		if _, err := st.CreateNote(ctx, in); err != nil {
			return noteSavedMsg{err: err}
		}
		if drafts == nil {
			return noteSavedMsg{}
		}
		return noteSavedMsg{draftErr: drafts.Remove(id)}
	})
}
