package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"csm/model"
)

// TaskRow is a follow-up with the name of its account, as the follow-ups
// screen and csm followups list it: a task, or a step of a running play
// that falls due (Step set; Task then carries the step's id, title, due
// day and done time, and no note).
type TaskRow struct {
	Task        model.Task
	AccountName string
	Step        *PlayStepRef
}

// PlayStepRef names the play step a TaskRow stands for.
type PlayStepRef struct {
	RunID, StepKey, PlaybookName string
}

// RecentlyDone is how long a ticked follow-up stays on the follow-ups list,
// so a tick made by mistake can still be seen and undone.
const RecentlyDone = 7 * 24 * time.Hour

// OpenTasks returns every follow-up of the book that is not done, and those
// done within RecentlyDone, each with its account's name; with them the
// steps of running plays that fall due within a week of today (the CSM's
// day) or were ticked within RecentlyDone (model.PlayStepsDue). Open ones
// come first by due day (undated last), then the done ones, latest first.
//
// "Recently" is measured on the clock that stamps done_at (this package's
// now), so a tick made a minute ago is always listed.
func (s *Store) OpenTasks(ctx context.Context, today model.Date) ([]TaskRow, error) {
	cutoff := now().Add(-RecentlyDone)
	// done_at is an RFC 3339 string whose offset and precision vary with who
	// wrote it, so strings do not compare as instants. The query keeps every
	// row whose day is not more than a day before the cutoff (a coarse,
	// offset-proof filter) and the exact test is done on the decoded time.
	dayBefore := cutoff.Add(-24 * time.Hour).Format(time.DateOnly)
	var out []TaskRow
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT t.data, a.name FROM tasks t JOIN accounts a ON a.id = t.account_id
		WHERE json_extract(t.data, '$.done_at') IS NULL OR json_extract(t.data, '$.done_at') >= ?`, dayBefore)
		if err != nil {
			return err
		}
		defer rows.Close()
		var raw []byte
		for rows.Next() {
			var r TaskRow
			if err := rows.Scan(&raw, &r.AccountName); err != nil {
				return err
			}
			if err := json.Unmarshal(raw, &r.Task); err != nil {
				return fmt.Errorf("decode stored row: %w", err)
			}
			if r.Task.DoneAt != nil && r.Task.DoneAt.Before(cutoff) {
				continue
			}
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		steps, err := playStepsDue(ctx, tx, today, cutoff)
		out = append(out, steps...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read follow-ups: %w", err)
	}
	slices.SortFunc(out, compareTaskRows)
	return out, nil
}

// compareTaskRows orders open follow-ups before done ones; open ones by due
// day with undated ones last, done ones latest first; then by account and
// title so the order is stable from one read to the next.
func compareTaskRows(x, y TaskRow) int {
	xd, yd := x.Task.DoneAt != nil, y.Task.DoneAt != nil
	if xd != yd {
		if xd {
			return 1
		}
		return -1
	}
	if xd {
		if c := y.Task.DoneAt.Compare(*x.Task.DoneAt); c != 0 {
			return c
		}
	} else if c := model.CompareDefined(x.Task.DueOn, y.Task.DueOn); c != 0 {
		return c
	}
	return cmp.Or(
		strings.Compare(strings.ToLower(x.AccountName), strings.ToLower(y.AccountName)),
		strings.Compare(x.Task.Title, y.Task.Title),
		strings.Compare(x.Task.ID, y.Task.ID),
	)
}
