package sync

import (
	"encoding/json"
	"fmt"

	"csm/model"
)

// The data of each mutation type of docs/API.md. note.create, task.create and
// contact.create carry a full model.Note, model.Task and model.Contact.

// The data shapes live in model, where the client's write path builds them.
type (
	NoteReviseData    = model.NoteRevise
	TaskSetDoneData   = model.TaskSetDone
	ChecklistSetData  = model.ChecklistSet
	PlayStartData     = model.PlayStart
	PlaySetStepData   = model.PlaySetStep
	PlayCloseData     = model.PlayClose
	ContactUpdateData = model.ContactUpdate
	TaskSetDueData    = model.TaskSetDue
	SnoozeSetData     = model.SnoozeSet
)

// mutationFields lists the required fields of each mutation's data, in the
// notation of requiredFields. task.set_done must say done_at, even as null:
// an absent done_at would otherwise reopen a task by accident. For the same
// reason task.set_due must say due_on and contact.update left_company_on:
// an update replaces them, and absent must not mean "clear it".
var mutationFields = map[string][]string{
	MutNoteRevise:    {"id", "supersedes", "body", "next_steps|null", "kind", "happened_at"},
	MutTaskSetDone:   {"id", "done_at|null"},
	MutChecklistSet:  {"account_id", "checklist_key", "item_key", "done"},
	MutPlayStart:     {"id", "account_id", "playbook_key"},
	MutPlaySetStep:   {"id", "step_key", "done"},
	MutPlayClose:     {"id", "outcome"},
	MutContactUpdate: {"id", "name", "email", "title", "role", "is_champion", "left_company_on|null"},
	MutTaskSetDue:    {"id", "due_on|null"},
	MutSnoozeSet:     {"account_id", "key", "until|null"},
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
	case MutContactCreate:
		v, err = DecodeEntity(EntityContact, data)
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
	case MutContactUpdate:
		v, err = decodeChecked[ContactUpdateData](data, mutationFields[typ])
	case MutTaskSetDue:
		v, err = decodeChecked[TaskSetDueData](data, mutationFields[typ])
	case MutSnoozeSet:
		v, err = decodeChecked[SnoozeSetData](data, mutationFields[typ])
	default:
		return nil, fmt.Errorf("unknown mutation type %q", typ)
	}
	if err != nil {
		return nil, fmt.Errorf("%s data: %w", typ, err)
	}
	return v, nil
}
