package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"csm/model"
)

// What `csm status` shows: when the last sync ended, what waits in the
// outbox, what the server refused, and the database itself.

// Meta keys of the last successful sync. They are written after a sync, not
// as part of it: a crash between the two only makes status one sync behind.
const (
	metaLastSyncAt      = "last_sync_at"
	metaLastSyncSummary = "last_sync_summary"
)

// SetLastSync records the end of a successful sync and its one-line summary.
func (s *Store) SetLastSync(ctx context.Context, t time.Time, summary string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := setMeta(ctx, tx, metaLastSyncAt, t.UTC().Format(time.RFC3339Nano)); err != nil {
			return err
		}
		return setMeta(ctx, tx, metaLastSyncSummary, summary)
	})
	if err != nil {
		return fmt.Errorf("record last sync: %w", err)
	}
	return nil
}

// LastSync returns when the last successful sync ended and its summary; a
// zero time means the store was never synced.
func (s *Store) LastSync(ctx context.Context) (at time.Time, summary string, err error) {
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		at, summary, err = lastSyncIn(ctx, tx)
		return err
	})
	if err != nil {
		return time.Time{}, "", fmt.Errorf("read last sync: %w", err)
	}
	return at, summary, nil
}

// TypeCount is how many waiting changes have one mutation type.
type TypeCount struct {
	Type  string
	Count int
}

// RejectedChange is a change the server refused, for the CSM to see.
type RejectedChange struct {
	ID          string
	Type        string
	AccountID   string
	AccountName string // "" when the account is no longer stored
	At          time.Time
	ErrorCode   string
	ErrorMsg    string // the server's words: untrusted text
}

// Status is the state of the local store.
type Status struct {
	LastSyncAt      time.Time // zero: never synced
	LastSyncSummary string

	Pending       int
	PendingByType []TypeCount // most frequent first
	Rejected      []RejectedChange

	Path          string
	Size          int64 // bytes of the database file and its WAL
	SchemaVersion int

	// AsOf is the book's latest usage day; AsOfKnown is false until
	// metrics were computed on a book with usage.
	AsOf      model.Date
	AsOfKnown bool
}

// Status reads the state of the store in one snapshot.
func (s *Store) Status(ctx context.Context) (Status, error) {
	st := Status{Path: s.path}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if st.LastSyncAt, st.LastSyncSummary, err = lastSyncIn(ctx, tx); err != nil {
			return err
		}
		if st.PendingByType, err = pendingByType(ctx, tx); err != nil {
			return err
		}
		for _, c := range st.PendingByType {
			st.Pending += c.Count
		}
		if st.Rejected, err = rejectedChanges(ctx, tx); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&st.SchemaVersion); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		st.AsOf, st.AsOfKnown, err = bookAsOf(ctx, tx)
		return err
	})
	if err != nil {
		return st, fmt.Errorf("read status: %w", err)
	}
	st.Size = fileSize(s.path) + fileSize(s.path+"-wal")
	return st, nil
}

func lastSyncIn(ctx context.Context, tx *sql.Tx) (time.Time, string, error) {
	raw, err := getMeta(ctx, tx, metaLastSyncAt)
	if err != nil || raw == "" {
		return time.Time{}, "", err
	}
	at, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return time.Time{}, "", fmt.Errorf("decode %s %q: %w", metaLastSyncAt, raw, err)
	}
	summary, err := getMeta(ctx, tx, metaLastSyncSummary)
	return at, summary, err
}

func pendingByType(ctx context.Context, tx *sql.Tx) ([]TypeCount, error) {
	rows, err := tx.QueryContext(ctx, `SELECT type, count(*) FROM outbox WHERE `+sendable+`
		GROUP BY type ORDER BY count(*) DESC, type`)
	if err != nil {
		return nil, fmt.Errorf("count waiting changes: %w", err)
	}
	defer rows.Close()
	var out []TypeCount
	for rows.Next() {
		var c TypeCount
		if err := rows.Scan(&c.Type, &c.Count); err != nil {
			return nil, fmt.Errorf("count waiting changes: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// rejectedChanges lists refused changes, newest first, with the name of the
// account they were about when it is still stored.
func rejectedChanges(ctx context.Context, tx *sql.Tx) ([]RejectedChange, error) {
	rows, err := tx.QueryContext(ctx, `SELECT o.id, o.type, o.account_id, coalesce(a.name, ''), o.at, o.error_code, o.error_message
		FROM outbox o LEFT JOIN accounts a ON a.id = o.account_id
		WHERE o.state = 'rejected' ORDER BY o.seq DESC`)
	if err != nil {
		return nil, fmt.Errorf("read rejected changes: %w", err)
	}
	defer rows.Close()
	var out []RejectedChange
	for rows.Next() {
		var r RejectedChange
		var at string
		if err := rows.Scan(&r.ID, &r.Type, &r.AccountID, &r.AccountName, &at, &r.ErrorCode, &r.ErrorMsg); err != nil {
			return nil, fmt.Errorf("read rejected changes: %w", err)
		}
		r.At, _ = time.Parse(time.RFC3339Nano, at) // written by queue, always RFC 3339
		out = append(out, r)
	}
	return out, rows.Err()
}

// bookAsOf reads T from the stored book metrics without reading the
// accounts' rows.
func bookAsOf(ctx context.Context, tx *sql.Tx) (model.Date, bool, error) {
	var raw []byte
	err := tx.QueryRowContext(ctx, "SELECT data FROM book_metrics WHERE id = 1").Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read book metrics: %w", err)
	}
	var bm struct {
		AsOf       model.Date `json:"as_of"`
		UsageKnown bool       `json:"usage_known"`
	}
	if err := json.Unmarshal(raw, &bm); err != nil {
		return 0, false, fmt.Errorf("decode book metrics: %w", err)
	}
	return bm.AsOf, bm.UsageKnown, nil
}

// fileSize is 0 for a file that does not exist: no WAL is a valid state.
func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
