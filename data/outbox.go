package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Mutation is one queued local change, as the outbox holds it.
type Mutation struct {
	Seq       int64
	ID        string // client-made UUID, the idempotency key
	Type      string
	At        time.Time
	Entity    string
	EntityID  string
	AccountID string
	Data      json.RawMessage
	State     string // "pending" or "rejected"
	ErrorCode string
	ErrorMsg  string
	Attempts  int
	CreatedAt time.Time
}

// Outbox states.
const (
	StatePending  = "pending"
	StateRejected = "rejected"
)

// ErrInvalid marks a local change refused before it was saved.
var ErrInvalid = errors.New("invalid change")

// queue writes an outbox row inside the caller's transaction: the row and
// the local change it describes commit or vanish together.
func queue(ctx context.Context, tx *sql.Tx, typ, entity, entityID, accountID string, at time.Time, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("encode %s: %w", typ, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox (id, type, at, entity, entity_id, account_id, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		uuid.NewString(), typ, at.UTC().Format(time.RFC3339Nano), entity, entityID, accountID, string(raw),
		time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("queue %s: %w", typ, err)
	}
	if createdHere[typ] {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO created_here (entity, entity_id) VALUES (?, ?)", entity, entityID); err != nil {
			return fmt.Errorf("queue %s: remember it was made here: %w", typ, err)
		}
	}
	return nil
}

const outboxCols = "seq, id, type, at, entity, entity_id, account_id, data, state, error_code, error_message, attempts, created_at"

func scanMutations(rows *sql.Rows) ([]Mutation, error) {
	defer rows.Close()
	var out []Mutation
	for rows.Next() {
		var m Mutation
		var at, created, raw string
		if err := rows.Scan(&m.Seq, &m.ID, &m.Type, &at, &m.Entity, &m.EntityID, &m.AccountID, &raw,
			&m.State, &m.ErrorCode, &m.ErrorMsg, &m.Attempts, &created); err != nil {
			return nil, err
		}
		m.Data = json.RawMessage(raw)
		m.At, _ = time.Parse(time.RFC3339Nano, at)
		m.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Pending returns up to limit changes waiting to be pushed, oldest first.
func (s *Store) Pending(ctx context.Context, limit int) ([]Mutation, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+outboxCols+" FROM outbox WHERE "+sendable+" ORDER BY seq LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	m, err := scanMutations(rows)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return m, nil
}

// Rejected returns the changes the server refused, newest first.
func (s *Store) Rejected(ctx context.Context) ([]Mutation, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+outboxCols+" FROM outbox WHERE state = 'rejected' ORDER BY seq DESC")
	if err != nil {
		return nil, fmt.Errorf("read rejected changes: %w", err)
	}
	m, err := scanMutations(rows)
	if err != nil {
		return nil, fmt.Errorf("read rejected changes: %w", err)
	}
	return m, nil
}

// OutboxCounts says how many changes wait and how many were rejected.
func (s *Store) OutboxCounts(ctx context.Context) (pending, rejected int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT
		coalesce(sum(`+sendable+`), 0), coalesce(sum(state = 'rejected'), 0) FROM outbox`).Scan(&pending, &rejected)
	if err != nil {
		err = fmt.Errorf("count outbox: %w", err)
	}
	return pending, rejected, err
}

// Result is the server's answer to one pushed change.
type Result struct {
	ID        string
	Done      bool // applied or duplicate: the server has it
	ErrorCode string
	ErrorMsg  string
}

// RecordResults settles pushed changes in one transaction: what the server
// has leaves the outbox; what it refused stays, marked with the reason, for
// the CSM to see. Nothing is dropped silently.
func (s *Store) RecordResults(ctx context.Context, results []Result) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, r := range results {
			var err error
			if r.Done {
				_, err = tx.ExecContext(ctx, "DELETE FROM outbox WHERE id = ? AND state = 'pending'", r.ID)
			} else {
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'rejected', error_code = ?, error_message = ?,
					attempts = attempts + 1 WHERE id = ?`, r.ErrorCode, r.ErrorMsg, r.ID)
			}
			if err != nil {
				return fmt.Errorf("record result of %s: %w", r.ID, err)
			}
		}
		return nil
	})
}

// NoteAttempt counts a send of changes whose answer never came, so a change
// that keeps failing can be told apart.
func (s *Store) NoteAttempt(ctx context.Context, ids []string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, "UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", id); err != nil {
				return fmt.Errorf("count attempt of %s: %w", id, err)
			}
		}
		return nil
	})
}

// Requeue puts a rejected change back in line, after the CSM has decided to
// try it again (for example once the server's problem is fixed).
func (s *Store) Requeue(ctx context.Context, id string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE outbox SET state = 'pending', error_code = '', error_message = '' WHERE id = ? AND state = 'rejected'", id)
		if err != nil {
			return fmt.Errorf("requeue %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("requeue %s: %w", id, ErrNotFound)
		}
		return nil
	})
}

// entityOf maps a table to the feed's entity name, for the sweep's guard.
var entityOfTable = func() map[string]string {
	m := map[string]string{}
	for e, t := range tables {
		m[t.name] = e
	}
	return m
}()
