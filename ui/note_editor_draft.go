package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
	"csm/safe"
)

// The note editor's draft: a new note is kept on disk as it is typed and
// reopened when the editor opens again on the same account.

// Init looks for a note the CSM was writing on this account when the TUI
// last stopped, to reopen it; a draft with no words is not one.
func (e *noteEditor) Init() tea.Cmd {
	if e.drafts == nil {
		return nil
	}
	drafts, accountID := e.drafts, e.accountID
	return func() tea.Msg {
		found, err := drafts.ForAccount(accountID)
		if err != nil {
			return draftFoundMsg{err: err}
		}
		for _, d := range found {
			if !d.Empty() {
				return draftFoundMsg{draft: d}
			}
		}
		return nil
	}
}

// restore fills the form from the draft found as the editor opened, unless
// the CSM has started a new note already: then the draft waits for the
// next time. The form counts as typed, so esc asks before discarding it.
func (e *noteEditor) restore(msg draftFoundMsg) tea.Cmd {
	if msg.err != nil {
		e.draftErr = "drafts not read: " + errText(msg.err)
		return nil
	}
	if e.dirty() || e.draftSeq > 0 {
		return nil
	}
	d := msg.draft
	e.draftID, e.draftSeq, e.restoredAt = d.ID, d.Seq, d.UpdatedAt
	if i := slices.Index(model.NoteKinds, d.Kind); i >= 0 {
		e.kind = i
	}
	if !d.HappenedAt.IsZero() {
		e.setOpened(d.HappenedAt.In(e.now().Location()))
	}
	// A draft file is data from disk: shown, and so typed on, cleaned.
	e.body.SetValue(safe.Text(d.Body))
	e.steps = nil
	for _, s := range d.NextSteps {
		e.steps = append(e.steps, e.newStep(safe.Line(s.Title), safe.Line(s.Due)))
	}
	e.layout()
	e.draftSent = e.snapshot()
	return e.setFocus(stopBody)
}

// keepDraft writes the form to the draft when it changed since the last
// write, in a command given a copy. One write at a time: what changes
// while one is in flight is written when it ends, so a kill loses at most
// the keys typed during one small write.
func (e *noteEditor) keepDraft() tea.Cmd {
	if e.drafts == nil || e.draftWriting {
		return nil
	}
	snap := e.snapshot()
	if snap == e.draftSent {
		return nil
	}
	e.draftSeq++
	e.draftSent, e.draftWriting = snap, true
	d, drafts := e.draft(), e.drafts
	return func() tea.Msg { return draftKeptMsg{id: d.ID, err: drafts.Save(d)} }
}

// draftKept ends a write and starts the next if the form changed meanwhile.
// A failed write is retried at the next change, not in a loop.
func (e *noteEditor) draftKept(msg draftKeptMsg) tea.Cmd {
	if msg.id != e.draftID {
		return nil
	}
	e.draftWriting, e.draftErr = false, ""
	if msg.err != nil {
		e.draftErr = "not kept as a draft: " + errText(msg.err)
	}
	return e.keepDraft()
}

// draft is the form as a draft. Fields that do not read yet are kept as
// typed: a date still being typed leaves the note's time as it was, and a
// due day that does not read stays as text.
func (e *noteEditor) draft() data.Draft {
	at, err := e.parseWhen()
	if err != nil {
		at = e.opened
	}
	d := data.Draft{ID: e.draftID, AccountID: e.accountID, Kind: model.NoteKinds[e.kind], HappenedAt: at,
		Body: e.body.Value(), UpdatedAt: e.now(), Source: data.DraftFromTUI, Seq: e.draftSeq}
	today := e.today()
	for _, s := range e.steps {
		due := strings.TrimSpace(s.due.Value())
		if day, err := parseDue(due, today); err == nil && day != nil {
			due = day.String()
		}
		d.NextSteps = append(d.NextSteps, data.DraftStep{Title: s.title.Value(), Due: due})
	}
	return d
}

// dropDraft removes the draft of a note the CSM discarded.
func (e *noteEditor) dropDraft() tea.Cmd {
	if e.drafts == nil || e.draftSeq == 0 {
		return nil
	}
	drafts, id := e.drafts, e.draftID
	return func() tea.Msg {
		if err := drafts.Remove(id); err != nil {
			return statusMsg{text: "note discarded, but its draft stayed: " + errText(err), bad: true}
		}
		return nil
	}
}
