package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"csm/model"
)

// The CSM's own changes. Each function here is one transaction that writes
// the local row and its outbox entry together, so a change is either saved
// and queued, or not there at all: a crash at any instant loses nothing that
// was acknowledged and leaves nothing half-done.

// NextStep is a next step of a note, which becomes a follow-up task.
type NextStep struct {
	Title string
	DueOn *model.Date
}

// NewNote is what the CSM writes after a call.
type NewNote struct {
	// ID is the note's id when the caller made it beforehand, as a draft
	// does; empty makes one. CreateNote saves a given id once.
	ID         string
	AccountID  string
	Kind       string
	HappenedAt time.Time
	Body       string
	NextSteps  []NextStep
	Author     string
}

// Validate checks a note before it is saved.
func (n NewNote) Validate() error {
	switch {
	case n.ID != "" && !isCanonicalUUID(n.ID):
		return fmt.Errorf("%w: %q is not a note id (a UUID)", ErrInvalid, n.ID)
	case n.AccountID == "":
		return fmt.Errorf("%w: the note names no account", ErrInvalid)
	case !slices.Contains(model.NoteKinds, n.Kind):
		return fmt.Errorf("%w: %q is not a note kind (one of %s)", ErrInvalid, n.Kind, strings.Join(model.NoteKinds, ", "))
	case strings.TrimSpace(n.Body) == "" && len(n.NextSteps) == 0:
		return fmt.Errorf("%w: the note is empty", ErrInvalid)
	case n.HappenedAt.IsZero():
		return fmt.Errorf("%w: the note has no date", ErrInvalid)
	}
	for i, s := range n.NextSteps {
		if strings.TrimSpace(s.Title) == "" {
			return fmt.Errorf("%w: next step %d is empty", ErrInvalid, i+1)
		}
	}
	return nil
}

// now is the clock of local changes; instants are kept in UTC to the
// microsecond, the precision that survives a JSON round trip unchanged.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// CreateNote saves a note and a follow-up task for each next step, and
// queues note.create and task.create for each, in one transaction.
//
// A note whose id is already saved is returned as it is and nothing is
// written: saving a draft again after a crash between saving its note and
// removing the draft must not queue a second note or a second set of tasks.
func (s *Store) CreateNote(ctx context.Context, in NewNote) (model.Note, error) {
	if err := in.Validate(); err != nil {
		return model.Note{}, err
	}
	if in.ID == "" {
		in.ID = uuid.NewString()
	}
	at := now()
	n := model.Note{
		ID: in.ID, AccountID: in.AccountID, Kind: in.Kind, HappenedAt: in.HappenedAt.UTC().Truncate(time.Microsecond),
		Body: in.Body, NextSteps: []string{}, Author: in.Author, CreatedAt: at, Revision: 1,
	}
	for _, st := range in.NextSteps {
		n.NextSteps = append(n.NextSteps, strings.TrimSpace(st.Title))
	}
	n.CutLongText()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := needAccount(ctx, tx, in.AccountID); err != nil {
			return err
		}
		if saved, ok, err := savedNote(ctx, tx, n); ok || err != nil {
			n = saved
			return err
		}
		if n.Author == "" {
			name, err := noteAuthor(ctx, tx)
			if err != nil {
				return err
			}
			n.Author = name
		}
		if err := putRow(ctx, tx, "notes", n.ID, n.AccountID, n); err != nil {
			return err
		}
		if err := queue(ctx, tx, model.MutNoteCreate, model.EntityNote, n.ID, n.AccountID, at, n); err != nil {
			return err
		}
		for i, st := range in.NextSteps {
			noteID := n.ID
			t := model.Task{ID: uuid.NewString(), AccountID: n.AccountID, NoteID: &noteID, Title: n.NextSteps[i], DueOn: st.DueOn, CreatedAt: at}
			if err := putRow(ctx, tx, "tasks", t.ID, t.AccountID, t); err != nil {
				return err
			}
			if err := queue(ctx, tx, model.MutTaskCreate, model.EntityTask, t.ID, t.AccountID, at, t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return model.Note{}, fmt.Errorf("save note: %w", err)
	}
	return n, nil
}

// noteAuthor is the author of a note written on this device: the CSM's
// name as /me gave it at the last sync (what SetCSMName kept), or "" before the
// first sync; the server then fills it from the token.
func noteAuthor(ctx context.Context, tx *sql.Tx) (string, error) {
	return getMeta(ctx, tx, metaCSMName)
}

// savedNote finds a note already saved under n's id. One of another
// account is an error: the same id cannot be two notes.
func savedNote(ctx context.Context, tx *sql.Tx, n model.Note) (model.Note, bool, error) {
	old, err := getRow[model.Note](ctx, tx, "notes", n.ID)
	switch {
	case errors.Is(err, ErrNotFound):
		return model.Note{}, false, nil
	case err != nil:
		return model.Note{}, false, err
	case old.AccountID != n.AccountID:
		return model.Note{}, true, fmt.Errorf("%w: note %s is already saved on another account", ErrInvalid, n.ID)
	}
	return old, true, nil
}

// ReviseNote saves a correction of a note as a new revision; the old one
// stays in history.
func (s *Store) ReviseNote(ctx context.Context, oldID, kind, body string, happenedAt time.Time, nextSteps []string) (model.Note, error) {
	if !slices.Contains(model.NoteKinds, kind) {
		return model.Note{}, fmt.Errorf("%w: %q is not a note kind", ErrInvalid, kind)
	}
	if strings.TrimSpace(body) == "" {
		return model.Note{}, fmt.Errorf("%w: the revised note is empty", ErrInvalid)
	}
	at := now()
	var n model.Note
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := getRow[model.Note](ctx, tx, "notes", oldID)
		if err != nil {
			return err
		}
		prev := old.ID
		author, err := noteAuthor(ctx, tx)
		if err != nil {
			return err
		}
		// The server makes the reviser the author; so does this device
		// when it knows the CSM's name.
		author = cmp.Or(author, old.Author)
		if nextSteps == nil {
			nextSteps = []string{}
		}
		n = model.Note{
			ID: uuid.NewString(), AccountID: old.AccountID, Kind: kind, HappenedAt: happenedAt.UTC().Truncate(time.Microsecond),
			Body: body, NextSteps: nextSteps, Author: author, CreatedAt: at, Revision: old.Revision + 1, Supersedes: &prev,
		}
		n.CutLongText()
		if err := putRow(ctx, tx, "notes", n.ID, n.AccountID, n); err != nil {
			return err
		}
		return queue(ctx, tx, model.MutNoteRevise, model.EntityNote, n.ID, n.AccountID, at, model.NoteRevise{
			ID: n.ID, Supersedes: prev, Body: n.Body, NextSteps: n.NextSteps, Kind: n.Kind, HappenedAt: n.HappenedAt,
		})
	})
	if err != nil {
		return model.Note{}, fmt.Errorf("revise note %s: %w", oldID, err)
	}
	return n, nil
}

// CreateTask saves a follow-up that no note gave rise to.
func (s *Store) CreateTask(ctx context.Context, accountID, title string, due *model.Date) (model.Task, error) {
	if strings.TrimSpace(title) == "" {
		return model.Task{}, fmt.Errorf("%w: the follow-up has no title", ErrInvalid)
	}
	at := now()
	t := model.Task{ID: uuid.NewString(), AccountID: accountID, Title: strings.TrimSpace(title), DueOn: due, CreatedAt: at}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := needAccount(ctx, tx, accountID); err != nil {
			return err
		}
		if err := putRow(ctx, tx, "tasks", t.ID, t.AccountID, t); err != nil {
			return err
		}
		return queue(ctx, tx, model.MutTaskCreate, model.EntityTask, t.ID, t.AccountID, at, t)
	})
	if err != nil {
		return model.Task{}, fmt.Errorf("save follow-up: %w", err)
	}
	return t, nil
}

// SetTaskDone ticks a follow-up done, or reopens it.
func (s *Store) SetTaskDone(ctx context.Context, id string, done bool) error {
	at := now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		t, err := getRow[model.Task](ctx, tx, "tasks", id)
		if err != nil {
			return err
		}
		t.DoneAt = nil
		if done {
			t.DoneAt = &at
		}
		if err := putRow(ctx, tx, "tasks", t.ID, t.AccountID, t); err != nil {
			return err
		}
		return queue(ctx, tx, model.MutTaskSetDone, model.EntityTask, t.ID, t.AccountID, at, model.TaskSetDone{ID: t.ID, DoneAt: t.DoneAt})
	})
	if err != nil {
		return fmt.Errorf("set follow-up %s: %w", id, err)
	}
	return nil
}

// SetChecklistItem ticks or unticks an item of an account's stage checklist.
func (s *Store) SetChecklistItem(ctx context.Context, accountID, checklistKey, itemKey string, done bool) error {
	at := now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := needAccount(ctx, tx, accountID); err != nil {
			return err
		}
		list, err := getRow[model.Checklist](ctx, tx, "checklists", checklistKey)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(list.Items, func(it model.ChecklistTemplateItem) bool { return it.Key == itemKey }) {
			return fmt.Errorf("%w: checklist %q has no item %q", ErrInvalid, checklistKey, itemKey)
		}
		id := model.ChecklistItemID(accountID, checklistKey, itemKey)
		item := model.ChecklistItem{ID: id, AccountID: accountID, ChecklistKey: checklistKey, ItemKey: itemKey, Done: done, ChangedAt: at}
		if err := putRow(ctx, tx, "checklist_items", id, accountID, item); err != nil {
			return err
		}
		return queue(ctx, tx, model.MutChecklistSet, model.EntityChecklistItem, id, accountID, at,
			model.ChecklistSet{AccountID: accountID, ChecklistKey: checklistKey, ItemKey: itemKey, Done: done})
	})
	if err != nil {
		return fmt.Errorf("tick %s/%s: %w", checklistKey, itemKey, err)
	}
	return nil
}

// StartPlay starts a playbook on an account.
func (s *Store) StartPlay(ctx context.Context, accountID, playbookKey string) (model.PlayRun, error) {
	at := now()
	var run model.PlayRun
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := needAccount(ctx, tx, accountID); err != nil {
			return err
		}
		pb, err := getRow[model.Playbook](ctx, tx, "playbooks", playbookKey)
		if err != nil {
			return err
		}
		run = model.StartPlayRun(uuid.NewString(), accountID, pb, at)
		if err := putRow(ctx, tx, "play_runs", run.ID, accountID, run); err != nil {
			return err
		}
		return queue(ctx, tx, model.MutPlayStart, model.EntityPlayRun, run.ID, accountID, at,
			model.PlayStart{ID: run.ID, AccountID: accountID, PlaybookKey: playbookKey})
	})
	if err != nil {
		return run, fmt.Errorf("start play %s: %w", playbookKey, err)
	}
	return run, nil
}

// SetPlayStep ticks or unticks a step of a running play.
func (s *Store) SetPlayStep(ctx context.Context, runID, stepKey string, done bool) error {
	at := now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		run, err := getRow[model.PlayRun](ctx, tx, "play_runs", runID)
		if err != nil {
			return err
		}
		if _, ok := run.Steps[stepKey]; !ok {
			return fmt.Errorf("%w: the play has no step %q", ErrInvalid, stepKey)
		}
		run.Steps[stepKey] = nil
		if done {
			run.Steps[stepKey] = &at
		}
		if err := putRow(ctx, tx, "play_runs", run.ID, run.AccountID, run); err != nil {
			return err
		}
		return queue(ctx, tx, model.MutPlaySetStep, model.EntityPlayRun, run.ID, run.AccountID, at,
			model.PlaySetStep{ID: run.ID, StepKey: stepKey, Done: done})
	})
	if err != nil {
		return fmt.Errorf("tick step %s: %w", stepKey, err)
	}
	return nil
}

// ClosePlay closes a play with its outcome.
func (s *Store) ClosePlay(ctx context.Context, runID, outcome string) error {
	outcome = strings.TrimSpace(outcome)
	if outcome == "" {
		return fmt.Errorf("%w: say how the play ended", ErrInvalid)
	}
	at := now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		run, err := getRow[model.PlayRun](ctx, tx, "play_runs", runID)
		if err != nil {
			return err
		}
		run.ClosedAt, run.Outcome = &at, &outcome
		if err := putRow(ctx, tx, "play_runs", run.ID, run.AccountID, run); err != nil {
			return err
		}
		return queue(ctx, tx, model.MutPlayClose, model.EntityPlayRun, run.ID, run.AccountID, at, model.PlayClose{ID: run.ID, Outcome: outcome})
	})
	if err != nil {
		return fmt.Errorf("close play: %w", err)
	}
	return nil
}

func needAccount(ctx context.Context, tx *sql.Tx, id string) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM accounts WHERE id = ?", id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("account %q: %w", id, ErrNotFound)
	}
	return nil
}

// putRow writes a local row. gen 0 is never swept by a resync by itself: the
// outbox guard keeps it until the server has it.
func putRow(ctx context.Context, tx *sql.Tx, table, id, accountID string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	st, err := readSyncState(ctx, tx)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO "+table+` (id, account_id, data, gen) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET data = excluded.data`, id, accountID, string(raw), st.Gen)
	if err != nil {
		return err
	}
	// A QBR note moves the next QBR: metrics follow at the next sync.
	return markStale(ctx, tx)
}

func getRow[T any](ctx context.Context, tx *sql.Tx, table, id string) (T, error) {
	var zero T
	rows, err := loadJSON[T](ctx, tx, "SELECT data FROM "+table+" WHERE id = ?", id)
	if err != nil {
		return zero, err
	}
	if len(rows) == 0 {
		return zero, fmt.Errorf("%s %q: %w", strings.TrimSuffix(table, "s"), id, ErrNotFound)
	}
	return rows[0], nil
}
