package model

import (
	"fmt"
	"slices"
	"time"
)

// Mutation types of docs/API.md: the changes a CSM makes, pushed to the server.
const (
	MutNoteCreate    = "note.create"
	MutNoteRevise    = "note.revise"
	MutTaskCreate    = "task.create"
	MutTaskSetDone   = "task.set_done"
	MutChecklistSet  = "checklist.set"
	MutPlayStart     = "play.start"
	MutPlaySetStep   = "play.set_step"
	MutPlayClose     = "play.close"
	MutContactCreate = "contact.create"
	MutContactUpdate = "contact.update"
	MutTaskSetDue    = "task.set_due"
)

// The data of each mutation type; note.create, task.create and
// contact.create carry a full Note, Task and Contact. The client writes them, the server reads them.

// NoteRevise is the data of note.revise: a new revision, with its own id,
// of the note named by Supersedes.
type NoteRevise struct {
	ID         string    `json:"id"`
	Supersedes string    `json:"supersedes"`
	Body       string    `json:"body"`
	NextSteps  []string  `json:"next_steps"`
	Kind       string    `json:"kind"`
	HappenedAt time.Time `json:"happened_at"`
}

// TaskSetDone is the data of task.set_done; a nil DoneAt reopens the task.
type TaskSetDone struct {
	ID     string     `json:"id"`
	DoneAt *time.Time `json:"done_at"`
}

// TaskSetDue is the data of task.set_due; a nil DueOn clears the due date.
type TaskSetDue struct {
	ID    string `json:"id"`
	DueOn *Date  `json:"due_on"`
}

// ContactUpdate is the data of contact.update: the fields a CSM edits. The
// account and the last activity are not among them; the server keeps them.
type ContactUpdate struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Email         string `json:"email"`
	Title         string `json:"title"`
	Role          string `json:"role"`
	IsChampion    bool   `json:"is_champion"`
	LeftCompanyOn *Date  `json:"left_company_on"`
}

// ChecklistSet is the data of checklist.set.
type ChecklistSet struct {
	AccountID    string `json:"account_id"`
	ChecklistKey string `json:"checklist_key"`
	ItemKey      string `json:"item_key"`
	Done         bool   `json:"done"`
}

// PlayStart is the data of play.start; ID is the new play run's id.
type PlayStart struct {
	ID          string `json:"id"`
	AccountID   string `json:"account_id"`
	PlaybookKey string `json:"playbook_key"`
}

// PlaySetStep is the data of play.set_step.
type PlaySetStep struct {
	ID      string `json:"id"`
	StepKey string `json:"step_key"`
	Done    bool   `json:"done"`
}

// PlayClose is the data of play.close.
type PlayClose struct {
	ID      string `json:"id"`
	Outcome string `json:"outcome"`
}

// StartPlayRun returns a new run of a playbook with every step open.
func StartPlayRun(id, accountID string, pb Playbook, at time.Time) PlayRun {
	run := PlayRun{ID: id, AccountID: accountID, PlaybookKey: pb.Key, StartedAt: at, Steps: make(map[string]*time.Time, len(pb.Steps))}
	for _, st := range pb.Steps {
		run.Steps[st.Key] = nil
	}
	return run
}

// Validate checks the ids and the kind of a note revision.
func (d NoteRevise) Validate() error {
	if err := CheckID("id", d.ID); err != nil {
		return err
	}
	if err := CheckID("supersedes", d.Supersedes); err != nil {
		return err
	}
	if d.ID == d.Supersedes {
		return &FieldError{Field: "supersedes", Problem: "names the new revision itself"}
	}
	return checkNoteKind(d.Kind)
}

func checkNoteKind(kind string) error {
	if slices.Contains(NoteKinds, kind) {
		return nil
	}
	return &FieldError{Field: "kind", Problem: fmt.Sprintf("%q is not a note kind", kind)}
}

// CutLongText cuts the revision's over-long text as a note's is cut.
func (d *NoteRevise) CutLongText() {
	n := Note{Body: d.Body, NextSteps: d.NextSteps}
	n.CutLongText()
	d.Body, d.NextSteps = n.Body, n.NextSteps
}

// Validate checks the task id.
func (d TaskSetDone) Validate() error { return CheckID("id", d.ID) }

// CutLongText does nothing: there is no text.
func (d *TaskSetDone) CutLongText() {}

// Validate checks the task id.
func (d TaskSetDue) Validate() error { return CheckID("id", d.ID) }

// CutLongText does nothing: there is no text.
func (d *TaskSetDue) CutLongText() {}

// Validate checks the contact id and the role, as a contact's are checked.
func (d ContactUpdate) Validate() error {
	return firstInvalid(CheckID("id", d.ID), checkOneOf("role", d.Role, ContactRoles))
}

// CutLongText cuts the update's over-long text as a contact's is cut.
func (d *ContactUpdate) CutLongText() {
	c := Contact{Name: d.Name, Email: d.Email, Title: d.Title}
	c.CutLongText()
	d.Name, d.Email, d.Title = c.Name, c.Email, c.Title
}

// Apply returns c with the edited fields of the update; the id, the
// account and the last activity stay c's own.
func (d ContactUpdate) Apply(c Contact) Contact {
	c.Name, c.Email, c.Title, c.Role = d.Name, d.Email, d.Title, d.Role
	c.IsChampion, c.LeftCompanyOn = d.IsChampion, d.LeftCompanyOn
	return c
}

// Validate checks the ids of the item.
func (d ChecklistSet) Validate() error {
	for _, f := range []struct{ name, v string }{
		{"account_id", d.AccountID}, {"checklist_key", d.ChecklistKey}, {"item_key", d.ItemKey},
	} {
		if err := CheckID(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// CutLongText does nothing: there is no text.
func (d *ChecklistSet) CutLongText() {}

// Validate checks the ids of the new play run.
func (d PlayStart) Validate() error {
	for _, f := range []struct{ name, v string }{
		{"id", d.ID}, {"account_id", d.AccountID}, {"playbook_key", d.PlaybookKey},
	} {
		if err := CheckID(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// CutLongText does nothing: there is no text.
func (d *PlayStart) CutLongText() {}

// Validate checks the ids of the step.
func (d PlaySetStep) Validate() error {
	if err := CheckID("id", d.ID); err != nil {
		return err
	}
	return CheckID("step_key", d.StepKey)
}

// CutLongText does nothing: there is no text.
func (d *PlaySetStep) CutLongText() {}

// Validate checks the play run id.
func (d PlayClose) Validate() error { return CheckID("id", d.ID) }

// CutLongText cuts an over-long outcome as a play run's is cut.
func (d *PlayClose) CutLongText() { d.Outcome = CutChars(d.Outcome, MaxNameChars) }
