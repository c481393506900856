package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"csm/model"
	"csm/safe"
)

// Follow-ups as work: re-dating a task (task.set_due), and the steps of
// running plays listed among the follow-ups, ticked through the play.

// PlayStepID is the id a play step has among the follow-ups: its run and
// its step key, as "<run id>/<step key>".
func PlayStepID(runID, stepKey string) string { return runID + "/" + stepKey }

// playStepsDue reads the running plays and lists their steps that fall due
// within a week of today, or were ticked since doneSince, as follow-ups.
func playStepsDue(ctx context.Context, tx *sql.Tx, today model.Date, doneSince time.Time) ([]TaskRow, error) {
	runs, err := loadJSON[model.PlayRun](ctx, tx, "SELECT data FROM play_runs WHERE json_extract(data, '$.closed_at') IS NULL ORDER BY id")
	if err != nil {
		return nil, err
	}
	if len(runs) == 0 {
		return nil, nil
	}
	playbooks, err := loadJSON[model.Playbook](ctx, tx, "SELECT data FROM playbooks ORDER BY id")
	if err != nil {
		return nil, err
	}
	names, err := accountNamesTx(ctx, tx)
	if err != nil {
		return nil, err
	}
	var out []TaskRow
	for _, s := range model.PlayStepsDue(runs, playbooks, today+6, doneSince) {
		name, ok := names[s.AccountID]
		if !ok {
			continue // as a task of an unknown account, which the join leaves out
		}
		due := s.DueOn
		out = append(out, TaskRow{
			Task: model.Task{ID: PlayStepID(s.RunID, s.StepKey), AccountID: s.AccountID, Title: s.Title,
				DueOn: &due, DoneAt: s.DoneAt},
			AccountName: name,
			Step:        &PlayStepRef{RunID: s.RunID, StepKey: s.StepKey, PlaybookName: s.PlaybookName},
		})
	}
	return out, nil
}

func accountNamesTx(ctx context.Context, tx *sql.Tx) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, name FROM accounts")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// FollowUp finds one follow-up by id: a task, or a play step by its
// PlayStepID (done or not, whenever it is due), with its account's name.
func (s *Store) FollowUp(ctx context.Context, id string) (TaskRow, error) {
	var r TaskRow
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = followUp(ctx, tx, id)
		return err
	})
	return r, err
}

func followUp(ctx context.Context, tx *sql.Tx, id string) (TaskRow, error) {
	t, err := getRow[model.Task](ctx, tx, "tasks", id)
	if err == nil {
		r := TaskRow{Task: t}
		return r, accountName(ctx, tx, t.AccountID, &r.AccountName)
	}
	if !errors.Is(err, ErrNotFound) {
		return TaskRow{}, err
	}
	runID, stepKey, ok := strings.Cut(id, "/")
	if !ok {
		return TaskRow{}, fmt.Errorf("follow-up %q: %w", id, ErrNotFound)
	}
	run, err := getRow[model.PlayRun](ctx, tx, "play_runs", runID)
	if errors.Is(err, ErrNotFound) {
		return TaskRow{}, fmt.Errorf("follow-up %q: %w", id, ErrNotFound)
	} else if err != nil {
		return TaskRow{}, err
	}
	done, known := run.Steps[stepKey]
	pb, err := getRow[model.Playbook](ctx, tx, "playbooks", run.PlaybookKey)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return TaskRow{}, err
	}
	r := TaskRow{Step: &PlayStepRef{RunID: run.ID, StepKey: stepKey, PlaybookName: pb.Name}}
	r.Task = model.Task{ID: id, AccountID: run.AccountID, Title: stepKey, DoneAt: done}
	for _, st := range pb.Steps {
		if st.Key == stepKey {
			due := model.DateOf(run.StartedAt) + model.Date(st.DueDays)
			r.Task.Title, r.Task.DueOn = st.Title, &due
		}
	}
	if !known {
		return TaskRow{}, fmt.Errorf("%w: the play has no step %q", ErrInvalid, stepKey)
	}
	return r, accountName(ctx, tx, run.AccountID, &r.AccountName)
}

func accountName(ctx context.Context, tx *sql.Tx, id string, name *string) error {
	err := tx.QueryRowContext(ctx, "SELECT name FROM accounts WHERE id = ?", id).Scan(name)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("account %q: %w", id, ErrNotFound)
	}
	return err
}

// SetTaskDue changes when a follow-up is due (nil: no date), and queues
// task.set_due, in one transaction. An unknown follow-up, a play step
// (whose day is its play's) or a follow-up already done is refused with
// why, and nothing is written. Follow-ups weigh in no figure of the
// account, so nothing is recomputed.
func (s *Store) SetTaskDue(ctx context.Context, id string, due *model.Date) (model.Task, error) {
	at := now()
	var t model.Task
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r, err := followUp(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Step != nil {
			return fmt.Errorf("%w: “%s” is a step of the play %s, due a set number of days after the play started: it cannot be re-dated",
				ErrInvalid, safe.Line(r.Task.Title), safe.Line(r.Step.PlaybookName))
		}
		t = r.Task
		if t.DoneAt != nil {
			return fmt.Errorf("%w: “%s” is done: reopen it before changing its day", ErrInvalid, safe.Line(t.Title))
		}
		t.DueOn = due
		if err := putRow(ctx, tx, "tasks", t.ID, t.AccountID, t); err != nil {
			return err
		}
		return queue(ctx, tx, model.MutTaskSetDue, model.EntityTask, t.ID, t.AccountID, at, model.TaskSetDue{ID: t.ID, DueOn: due})
	})
	if err != nil {
		return model.Task{}, fmt.Errorf("re-date follow-up %s: %w", id, err)
	}
	return t, nil
}

// SetFollowUpDone ticks a follow-up done, or reopens it: a task through
// SetTaskDone, a play step (a PlayStepID) through SetPlayStep. It returns
// the follow-up as it was before the change, to name it.
func (s *Store) SetFollowUpDone(ctx context.Context, id string, done bool) (TaskRow, error) {
	r, err := s.FollowUp(ctx, id)
	if err != nil {
		return TaskRow{}, fmt.Errorf("tick follow-up %s: %w", id, err)
	}
	if r.Step != nil {
		return r, s.SetPlayStep(ctx, r.Step.RunID, r.Step.StepKey, done)
	}
	return r, s.SetTaskDone(ctx, id, done)
}
