package sync

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"csm/model"
)

// The data of each mutation type of API.md. note.create and task.create
// carry a full model.Note and model.Task.

// NoteReviseData is the data of note.revise: a new revision, with its own
// id, of the note named by Supersedes.
type NoteReviseData struct {
	ID         string    `json:"id"`
	Supersedes string    `json:"supersedes"`
	Body       string    `json:"body"`
	NextSteps  []string  `json:"next_steps"`
	Kind       string    `json:"kind"`
	HappenedAt time.Time `json:"happened_at"`
}

// TaskSetDoneData is the data of task.set_done; a nil DoneAt reopens the task.
type TaskSetDoneData struct {
	ID     string     `json:"id"`
	DoneAt *time.Time `json:"done_at"`
}

// ChecklistSetData is the data of checklist.set.
type ChecklistSetData struct {
	AccountID    string `json:"account_id"`
	ChecklistKey string `json:"checklist_key"`
	ItemKey      string `json:"item_key"`
	Done         bool   `json:"done"`
}

// PlayStartData is the data of play.start; ID is the new play run's id.
type PlayStartData struct {
	ID          string `json:"id"`
	AccountID   string `json:"account_id"`
	PlaybookKey string `json:"playbook_key"`
}

// PlaySetStepData is the data of play.set_step.
type PlaySetStepData struct {
	ID      string `json:"id"`
	StepKey string `json:"step_key"`
	Done    bool   `json:"done"`
}

// PlayCloseData is the data of play.close.
type PlayCloseData struct {
	ID      string `json:"id"`
	Outcome string `json:"outcome"`
}

// mutationFields lists the required fields of each mutation's data, in the
// notation of requiredFields. task.set_done must say done_at, even as null:
// an absent done_at would otherwise reopen a task by accident.
var mutationFields = map[string][]string{
	MutNoteRevise:   {"id", "supersedes", "body", "next_steps|null", "kind", "happened_at"},
	MutTaskSetDone:  {"id", "done_at|null"},
	MutChecklistSet: {"account_id", "checklist_key", "item_key", "done"},
	MutPlayStart:    {"id", "account_id", "playbook_key"},
	MutPlaySetStep:  {"id", "step_key", "done"},
	MutPlayClose:    {"id", "outcome"},
}

// DecodeMutationData reads the data of a mutation of type typ into its
// value (model.Note, NoteReviseData, model.Task, TaskSetDoneData, and so on;
// never a pointer), with the checks of DecodeEntity. The server uses it to
// reject bad data; a client may use it to check a change before queueing it.
func DecodeMutationData(typ string, data json.RawMessage) (any, error) {
	var (
		v   any
		err error
	)
	switch typ {
	case MutNoteCreate:
		v, err = DecodeEntity(EntityNote, data)
		if err == nil && v.(model.Note).Revision != 1 {
			err = &model.FieldError{Field: "revision", Problem: "a new note has revision 1"}
		}
	case MutTaskCreate:
		v, err = DecodeEntity(EntityTask, data)
	case MutNoteRevise:
		v, err = decodeChecked[NoteReviseData](data, mutationFields[typ])
	case MutTaskSetDone:
		v, err = decodeChecked[TaskSetDoneData](data, mutationFields[typ])
	case MutChecklistSet:
		v, err = decodeChecked[ChecklistSetData](data, mutationFields[typ])
	case MutPlayStart:
		v, err = decodeChecked[PlayStartData](data, mutationFields[typ])
	case MutPlaySetStep:
		v, err = decodeChecked[PlaySetStepData](data, mutationFields[typ])
	case MutPlayClose:
		v, err = decodeChecked[PlayCloseData](data, mutationFields[typ])
	default:
		return nil, fmt.Errorf("unknown mutation type %q", typ)
	}
	if err != nil {
		return nil, fmt.Errorf("%s data: %w", typ, err)
	}
	return v, nil
}

// Validate checks the ids and the kind of a note revision.
func (d NoteReviseData) Validate() error {
	if err := model.CheckID("id", d.ID); err != nil {
		return err
	}
	if err := model.CheckID("supersedes", d.Supersedes); err != nil {
		return err
	}
	if d.ID == d.Supersedes {
		return &model.FieldError{Field: "supersedes", Problem: "names the new revision itself"}
	}
	return checkNoteKind(d.Kind)
}

func checkNoteKind(kind string) error {
	if slices.Contains(model.NoteKinds, kind) {
		return nil
	}
	return &model.FieldError{Field: "kind", Problem: fmt.Sprintf("%q is not a note kind", kind)}
}

// CutLongText cuts the revision's over-long text as a note's is cut.
func (d *NoteReviseData) CutLongText() {
	n := model.Note{Body: d.Body, NextSteps: d.NextSteps}
	n.CutLongText()
	d.Body, d.NextSteps = n.Body, n.NextSteps
}

// Validate checks the task id.
func (d TaskSetDoneData) Validate() error { return model.CheckID("id", d.ID) }

// CutLongText does nothing: there is no text.
func (d *TaskSetDoneData) CutLongText() {}

// Validate checks the ids of the item.
func (d ChecklistSetData) Validate() error {
	for _, f := range []struct{ name, v string }{
		{"account_id", d.AccountID}, {"checklist_key", d.ChecklistKey}, {"item_key", d.ItemKey},
	} {
		if err := model.CheckID(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// CutLongText does nothing: there is no text.
func (d *ChecklistSetData) CutLongText() {}

// Validate checks the ids of the new play run.
func (d PlayStartData) Validate() error {
	for _, f := range []struct{ name, v string }{
		{"id", d.ID}, {"account_id", d.AccountID}, {"playbook_key", d.PlaybookKey},
	} {
		if err := model.CheckID(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// CutLongText does nothing: there is no text.
func (d *PlayStartData) CutLongText() {}

// Validate checks the ids of the step.
func (d PlaySetStepData) Validate() error {
	if err := model.CheckID("id", d.ID); err != nil {
		return err
	}
	return model.CheckID("step_key", d.StepKey)
}

// CutLongText does nothing: there is no text.
func (d *PlaySetStepData) CutLongText() {}

// Validate checks the play run id.
func (d PlayCloseData) Validate() error { return model.CheckID("id", d.ID) }

// CutLongText cuts an over-long outcome as a play run's is cut.
func (d *PlayCloseData) CutLongText() { d.Outcome = model.CutChars(d.Outcome, model.MaxNameChars) }
