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
	if _, err := tx.ExecContext(ctx, "DELETE FROM metric_changes"); err != nil {
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

// SnoozeAll is the key of a snooze of a whole account.
const SnoozeAll = ""

// Snooze hides an account (key SnoozeAll) or one of its alerts from the top
// of the book until the day after until. It is a local setting and does not
// sync.
func (s *Store) Snooze(ctx context.Context, accountID, key string, until model.Date) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := needAccount(ctx, tx, accountID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO snoozes (account_id, key, until) VALUES (?, ?, ?)
			ON CONFLICT(account_id, key) DO UPDATE SET until = excluded.until`, accountID, key, until.String())
		return err
	})
	if err != nil {
		return fmt.Errorf("snooze %s: %w", accountID, err)
	}
	return nil
}

// Unsnooze removes a snooze.
func (s *Store) Unsnooze(ctx context.Context, accountID, key string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM snoozes WHERE account_id = ? AND key = ?", accountID, key); err != nil {
		return fmt.Errorf("unsnooze %s: %w", accountID, err)
	}
	return nil
}

// Snoozes returns the snoozes still in force on day today: account id →
// key → last snoozed day.
func (s *Store) Snoozes(ctx context.Context, today model.Date) (map[string]map[string]model.Date, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT account_id, key, until FROM snoozes WHERE until >= ?", today.String())
	if err != nil {
		return nil, fmt.Errorf("read snoozes: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]model.Date{}
	for rows.Next() {
		var id, key, until string
		if err := rows.Scan(&id, &key, &until); err != nil {
			return nil, err
		}
		d, err := model.ParseDate(until)
		if err != nil {
			continue
		}
		if out[id] == nil {
			out[id] = map[string]model.Date{}
		}
		out[id][key] = d
	}
	return out, rows.Err()
}
