package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"csm/model"
)

// brief is the part of an account's metrics that changes are told from.
type brief struct {
	Segments []string     `json:"s"`
	Alerts   []string     `json:"a"`
	Health   model.Health `json:"h"`
}

func briefOf(m model.AccountMetrics) brief {
	return brief{Segments: m.Segments, Alerts: m.Alerts, Health: m.Health}
}

// loadBriefs reads the stored metrics' briefs as AccountMetrics holding only
// what DiffMetrics reads. Nil when nothing was computed yet.
func loadBriefs(ctx context.Context, tx *sql.Tx) ([]model.AccountMetrics, error) {
	rows, err := tx.QueryContext(ctx, "SELECT account_id, brief FROM metrics ORDER BY account_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.AccountMetrics
	var raw []byte
	for rows.Next() {
		var m model.AccountMetrics
		if err := rows.Scan(&m.AccountID, &raw); err != nil {
			return nil, err
		}
		var b brief
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, fmt.Errorf("decode brief of %s: %w", m.AccountID, err)
		}
		m.Segments, m.Alerts, m.Health = b.Segments, b.Alerts, b.Health
		out = append(out, m)
	}
	return out, rows.Err()
}

// saveChanges replaces the stored list of changes with those from before to
// after. The first computation of a book has nothing to compare with, and a
// recompute that changed nothing keeps the previous list, so "what changed"
// still shows the last real change after a no-op sync.
func saveChanges(ctx context.Context, tx *sql.Tx, before []model.AccountMetrics, after []model.AccountMetrics) error {
	if len(before) == 0 {
		return nil
	}
	changes := model.DiffMetrics(before, after)
	if len(changes) == 0 {
		return nil
	}
	// What the feed brought in this sync stays beside the figure moves.
	if err := startRound(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM metric_changes WHERE json_extract(data, '$.kind') <> ?", ChangeFeed); err != nil {
		return fmt.Errorf("clear changes: %w", err)
	}
	for _, c := range changes {
		raw, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO metric_changes (account_id, data) VALUES (?, ?)", c.AccountID, string(raw)); err != nil {
			return fmt.Errorf("store change: %w", err)
		}
	}
	return setMeta(ctx, tx, "changes_at", time.Now().UTC().Format(time.RFC3339))
}

// ChangeFeed is the kind of a change the feed brought from someone else: a
// new note, follow-up or contact, a checklist or play change. Key is the
// entity, Cause says what happened ("new note by Dana Lee: call").
const ChangeFeed = "feed"

// BeginChangesRound starts a sync's list of changes: the first change it
// records (from the feed or a figure move) replaces the previous list, and
// a sync that brings nothing keeps it.
func (s *Store) BeginChangesRound(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return setMeta(ctx, tx, "changes_fresh", "1") })
}

// startRound clears the previous sync's list at the first change of a new
// round.
func startRound(ctx context.Context, tx *sql.Tx) error {
	v, err := getMeta(ctx, tx, "changes_fresh")
	if err != nil || v != "1" {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM metric_changes"); err != nil {
		return fmt.Errorf("clear changes: %w", err)
	}
	return setMeta(ctx, tx, "changes_fresh", "0")
}

// recordFeed notes what a change from the feed brings to the CSM, before it
// is stored: a note, follow-up or contact new here (and not created on this
// device), a follow-up done, a contact gone, a checklist item ticked or
// unticked, a play started, advanced or closed. An echo of this device's own
// change finds the same value stored and records nothing; a full sync (the
// first, or a resync) records nothing either: all of it would be "new".
func (w *pageWriter) recordFeed(ctx context.Context, c Change, table string) error {
	if w.full || c.Op == "delete" {
		return nil
	}
	switch c.Entity {
	case model.EntityNote, model.EntityTask, model.EntityContact, model.EntityChecklistItem, model.EntityPlayRun:
	default:
		return nil
	}
	var mine int
	if err := w.tx.QueryRowContext(ctx, "SELECT count(*) FROM created_here WHERE entity = ? AND entity_id = ?", c.Entity, c.ID).Scan(&mine); err != nil || mine > 0 {
		return err
	}
	var old []byte
	err := w.tx.QueryRowContext(ctx, "SELECT data FROM "+table+" WHERE id = ?", c.ID).Scan(&old)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	text := feedText(c.Value, old)
	if text == "" {
		return nil
	}
	if err := startRound(ctx, w.tx); err != nil {
		return err
	}
	raw, err := json.Marshal(model.MetricChange{AccountID: accountOf(c.Value), Kind: ChangeFeed, Key: c.Entity, Cause: text})
	if err != nil {
		return err
	}
	if _, err := w.tx.ExecContext(ctx, "INSERT INTO metric_changes (account_id, data) VALUES (?, ?)", accountOf(c.Value), string(raw)); err != nil {
		return fmt.Errorf("store change: %w", err)
	}
	return setMeta(ctx, w.tx, "changes_at", time.Now().UTC().Format(time.RFC3339))
}

// feedText says what v brings over old (nil: new here), "" for nothing
// the CSM would call a change.
func feedText(v any, old []byte) string {
	switch x := v.(type) {
	case model.Note:
		if old != nil {
			return ""
		}
		if x.Author != "" {
			return "new " + x.Kind + " note by " + x.Author
		}
		return "new " + x.Kind + " note"
	case model.Task:
		var was model.Task
		switch {
		case old == nil:
			return "new follow-up: " + x.Title
		case json.Unmarshal(old, &was) == nil && was.DoneAt == nil && x.DoneAt != nil:
			return "follow-up done: " + x.Title
		}
	case model.Contact:
		var was model.Contact
		switch {
		case old == nil:
			return "new contact: " + x.Name
		case json.Unmarshal(old, &was) != nil:
		case was.LeftCompanyOn == nil && x.LeftCompanyOn != nil:
			return x.Name + " left the company"
		case !was.IsChampion && x.IsChampion:
			return x.Name + " is now a champion"
		}
	case model.ChecklistItem:
		var was model.ChecklistItem
		if (old == nil && x.Done) || (old != nil && json.Unmarshal(old, &was) == nil && was.Done != x.Done) {
			if x.Done {
				return "checklist: " + x.ItemKey + " ticked"
			}
			return "checklist: " + x.ItemKey + " unticked"
		}
	case model.PlayRun:
		var was model.PlayRun
		switch {
		case old == nil:
			return "play started: " + x.PlaybookKey
		case json.Unmarshal(old, &was) != nil:
		case was.ClosedAt == nil && x.ClosedAt != nil:
			if x.Outcome != nil {
				return "play closed: " + x.PlaybookKey + " (" + *x.Outcome + ")"
			}
			return "play closed: " + x.PlaybookKey
		case doneSteps(x) > doneSteps(was):
			return fmt.Sprintf("play %s: step done (%d of %d)", x.PlaybookKey, doneSteps(x), len(x.Steps))
		}
	}
	return ""
}

func doneSteps(r model.PlayRun) int {
	n := 0
	for _, at := range r.Steps {
		if at != nil {
			n++
		}
	}
	return n
}

// ChangeRow is one change with its account's name.
type ChangeRow struct {
	model.MetricChange
	AccountName string
}

// Changes returns what changed at the last recompute that changed anything,
// and when that was.
func (s *Store) Changes(ctx context.Context) ([]ChangeRow, time.Time, error) {
	var out []ChangeRow
	var at time.Time
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		v, err := getMeta(ctx, tx, "changes_at")
		if err != nil {
			return err
		}
		at, _ = time.Parse(time.RFC3339, v)
		rows, err := tx.QueryContext(ctx, `SELECT c.data, a.name FROM metric_changes c JOIN accounts a ON a.id = c.account_id ORDER BY c.seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var raw []byte
		for rows.Next() {
			var r ChangeRow
			if err := rows.Scan(&raw, &r.AccountName); err != nil {
				return err
			}
			if err := json.Unmarshal(raw, &r.MetricChange); err != nil {
				return fmt.Errorf("decode change: %w", err)
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, at, fmt.Errorf("read changes: %w", err)
	}
	return out, at, nil
}

// SnoozeAll is the key of a snooze of a whole account (model's).
const SnoozeAll = model.SnoozeAll
