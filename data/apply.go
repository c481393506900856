package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"csm/model"
)

// Change is one decoded, validated change of the feed, ready to store.
// Value is the entity's model value (model.Account, model.Note, …) for an
// upsert and nil for a delete.
type Change struct {
	Seq    int64
	Entity string
	Op     string // "upsert" or "delete"
	ID     string
	Value  any
}

// Page is one page of the feed to apply, with the cursor that follows it.
type Page struct {
	Changes    []Change
	NextCursor string
	// Last is true on the final page of a sync (the server said has_more
	// false). The last page of a full resync sweeps what the server no
	// longer has.
	Last bool
	// From is the position the page was fetched from. When set, the page
	// is applied only if the store is still there: two syncs of one
	// database (the TUI's timer and cron) may fetch the same position,
	// and the one that applies second must not write its cursor over the
	// other's. Nil applies unconditionally (an import, tests).
	From *Position
}

// Position is a place in the feed: the cursor and the full-sync generation
// it belongs to. The cursor alone is not enough: a full resync started by
// another sync starts again from the empty cursor in a new generation.
type Position struct {
	Cursor string
	Gen    int64
}

// ErrCursorMoved: the page was fetched from a position the store is no
// longer at, because another sync applied pages or started a full resync in
// the meantime. Nothing was applied; the other sync has the work in hand.
var ErrCursorMoved = errors.New("another sync moved the feed cursor")

// ApplyStats counts what one page did.
type ApplyStats struct {
	Upserted int
	Deleted  int
	// Orphans are changes that name an account the store does not have
	// (the account itself was invalid or deleted): skipped, like an
	// invalid entity.
	Orphans []string
	// KeptLocal counts changes left unapplied because a local change to
	// the same entity waits to be pushed.
	KeptLocal int
	// Requeued counts what this device had created and the server no
	// longer had at the end of a full resync: queued again to push.
	Requeued int
}

// SyncState is where the pull stands.
type SyncState struct {
	Cursor string
	// Gen is the current full-sync generation; rows older than it are
	// swept when a full resync finishes.
	Gen int64
	// FullInProgress is true between the start of a full resync and the
	// application of its last page, across restarts.
	FullInProgress bool
}

// Position is where the state says the next page is fetched from.
func (st SyncState) Position() Position { return Position{Cursor: st.Cursor, Gen: st.Gen} }

// checkFrom says whether a write planned at position from may go ahead on
// the stored state now.
func checkFrom(now SyncState, from *Position) error {
	if from == nil || now.Position() == *from {
		return nil
	}
	if now.Gen != from.Gen {
		return fmt.Errorf("%w: the store is on full-sync generation %d, not %d", ErrCursorMoved, now.Gen, from.Gen)
	}
	// Cursors are the server's opaque strings, possibly long: not shown.
	return fmt.Errorf("%w since the page was fetched", ErrCursorMoved)
}

// tables maps feed entity names to their table; accountScoped says whether
// the table has an account_id column.
var tables = map[string]struct {
	name          string
	accountScoped bool
}{
	model.EntityAccount:       {"accounts", false},
	model.EntityContact:       {"contacts", true},
	model.EntityFeature:       {"features", false},
	model.EntityUsageMonth:    {"usage_months", true},
	model.EntityNPS:           {"nps", true},
	model.EntityPlaybook:      {"playbooks", false},
	model.EntityChecklist:     {"checklists", false},
	model.EntityNote:          {"notes", true},
	model.EntityTask:          {"tasks", true},
	model.EntityChecklistItem: {"checklist_items", true},
	model.EntityPlayRun:       {"play_runs", true},
	model.EntitySnooze:        {"snooze_states", true},
}

// SyncState reads the pull's position.
func (s *Store) SyncState(ctx context.Context) (SyncState, error) {
	var st SyncState
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		st, err = readSyncState(ctx, tx)
		return err
	})
	return st, err
}

func readSyncState(ctx context.Context, q querier) (SyncState, error) {
	var st SyncState
	var gen, full string
	var err error
	if st.Cursor, err = getMeta(ctx, q, "cursor"); err != nil {
		return st, err
	}
	if gen, err = getMeta(ctx, q, "gen"); err != nil {
		return st, err
	}
	if full, err = getMeta(ctx, q, "full_in_progress"); err != nil {
		return st, err
	}
	if gen != "" {
		if st.Gen, err = strconv.ParseInt(gen, 10, 64); err != nil {
			return st, fmt.Errorf("read sync generation %q: %w", gen, err)
		}
	}
	st.FullInProgress = full == "1"
	return st, nil
}

// BeginFullResync starts a full copy of the server's data: a new generation,
// no cursor. The old rows stay readable until the last page sweeps them. It
// starts one whatever the state, as an import wants; a sync, which decided
// to start one from a state it read earlier, uses BeginFullResyncFrom.
func (s *Store) BeginFullResync(ctx context.Context) error {
	_, err := s.beginFullResync(ctx, nil)
	return err
}

// BeginFullResyncFrom starts a full resync if the store is still at from,
// the position the caller read when it decided to start one, and returns
// the position the resync's first page is fetched from. If another sync
// moved the store meanwhile (applied a page, or started a full resync of
// its own, which a second start would throw away), it changes nothing and
// returns an error matching ErrCursorMoved.
func (s *Store) BeginFullResyncFrom(ctx context.Context, from Position) (Position, error) {
	return s.beginFullResync(ctx, &from)
}

func (s *Store) beginFullResync(ctx context.Context, from *Position) (Position, error) {
	var next Position
	err := s.inTxRefetchable(ctx, func(tx *sql.Tx) error {
		st, err := readSyncState(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkFrom(st, from); err != nil {
			return fmt.Errorf("begin full resync: %w", err)
		}
		next = Position{Cursor: "", Gen: st.Gen + 1}
		if err := setMeta(ctx, tx, "gen", strconv.FormatInt(next.Gen, 10)); err != nil {
			return err
		}
		if err := setMeta(ctx, tx, "cursor", ""); err != nil {
			return err
		}
		return setMeta(ctx, tx, "full_in_progress", "1")
	})
	return next, err
}

// ApplyPage stores one page and its cursor in one transaction, so a crash
// never leaves a half-applied page or a cursor ahead of the data. Applying
// the same page twice is harmless: upserts replace and deletes of missing
// rows do nothing. A page with From set is applied only if the store is
// still at that position, read inside the same transaction (the write lock
// is taken at BEGIN, so no other sync can move it in between); otherwise
// nothing is written and the error matches ErrCursorMoved.
func (s *Store) ApplyPage(ctx context.Context, p Page) (ApplyStats, error) {
	var stats ApplyStats
	err := s.inTxRefetchable(ctx, func(tx *sql.Tx) error {
		stats = ApplyStats{}
		st, err := readSyncState(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkFrom(st, p.From); err != nil {
			return err
		}
		w := &pageWriter{tx: tx, gen: st.Gen, full: st.FullInProgress, stmts: map[string]*sql.Stmt{}, stats: &stats}
		defer w.close()
		if err := w.load(ctx); err != nil {
			return err
		}
		for _, c := range p.Changes {
			if err := w.apply(ctx, c); err != nil {
				return fmt.Errorf("apply change %d (%s %s): %w", c.Seq, c.Entity, c.ID, err)
			}
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		if err := setMeta(ctx, tx, "cursor", p.NextCursor); err != nil {
			return err
		}
		if stats.Upserted+stats.Deleted > 0 {
			if err := markStale(ctx, tx); err != nil {
				return err
			}
		}
		if p.Last && st.FullInProgress {
			if stats.Requeued, err = requeueForgotten(ctx, tx, st.Gen); err != nil {
				return err
			}
			if err := sweep(ctx, tx, st.Gen); err != nil {
				return err
			}
			return setMeta(ctx, tx, "full_in_progress", "0")
		}
		return nil
	})
	return stats, err
}

// pageWriter applies the changes of one page inside its transaction. It
// prepares each statement once per page: the driver would otherwise parse
// the SQL again for every row, which costs more than writing the row.
type pageWriter struct {
	tx    *sql.Tx
	gen   int64
	full  bool // a full sync: recordFeed records nothing
	stmts map[string]*sql.Stmt
	stats *ApplyStats
	// accounts and pending are read once per page rather than asked of
	// SQLite for every change: the ids of the stored accounts, and the
	// entities with a local change waiting to be pushed.
	accounts map[string]bool
	pending  map[[2]string]bool
	// batches holds the upserts not yet written, per table (batch.go),
	// batchOrder the same in the order the tables first came.
	batches    map[string]*upsertBatch
	batchOrder []*upsertBatch
}

func (w *pageWriter) load(ctx context.Context) error {
	w.accounts = map[string]bool{}
	w.pending = map[[2]string]bool{}
	rows, err := w.tx.QueryContext(ctx, "SELECT id FROM accounts")
	if err != nil {
		return err
	}
	var id, entity string
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		w.accounts[id] = true
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	rows, err = w.tx.QueryContext(ctx, "SELECT entity, entity_id FROM outbox WHERE state = 'pending'")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(&entity, &id); err != nil {
			return err
		}
		w.pending[[2]string{entity, id}] = true
	}
	return rows.Err()
}

func (w *pageWriter) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return st, nil
	}
	st, err := w.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	w.stmts[query] = st
	return st, nil
}

func (w *pageWriter) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

func (w *pageWriter) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := w.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (w *pageWriter) apply(ctx context.Context, c Change) error {
	t, ok := tables[c.Entity]
	if !ok {
		return fmt.Errorf("unknown entity %q", c.Entity)
	}
	// A row with a local change still waiting to be pushed is left alone:
	// the server's echo of the change arrives after the push, and an older
	// server copy must not undo a tick the CSM just made.
	if w.pending[[2]string{c.Entity, c.ID}] {
		w.stats.KeptLocal++
		return nil
	}
	if c.Op == "delete" {
		// Upserts queued before it go first: the delete of an account
		// cascades to rows the page wrote before it.
		if err := w.flush(ctx); err != nil {
			return err
		}
		res, err := w.exec(ctx, "DELETE FROM "+t.name+" WHERE id = ?", c.ID)
		if err != nil {
			return err
		}
		if c.Entity == model.EntityAccount {
			delete(w.accounts, c.ID)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			w.stats.Deleted++
		}
		return nil
	}
	var body []byte
	var err error
	switch {
	case c.Entity == model.EntityUsageMonth:
		// Kept packed in the bin column (usagebin.go), not as JSON.
	default:
		if body, err = json.Marshal(c.Value); err != nil {
			return fmt.Errorf("encode: %w", err)
		}
	}
	switch {
	case c.Entity == model.EntityAccount:
		err = w.queue(ctx, t.name, accountCols, c.ID, string(body), w.gen, c.Value.(model.Account).Name)
	case t.accountScoped:
		acct := accountOf(c.Value)
		if !w.accounts[acct] {
			w.stats.Orphans = append(w.stats.Orphans, c.Entity+" "+c.ID)
			return nil
		}
		if !w.full {
			// What changed names the account: it is written first.
			if err := w.flushAccounts(ctx); err != nil {
				return err
			}
		}
		if err := w.recordFeed(ctx, c, t.name); err != nil {
			return err
		}
		if u, ok := c.Value.(model.UsageMonth); ok {
			err = w.queue(ctx, t.name, usageCols, c.ID, acct, string(body), w.gen, u.Month, packUsage(u))
		} else {
			err = w.queue(ctx, t.name, scopedCols, c.ID, acct, string(body), w.gen)
		}
	default:
		err = w.queue(ctx, t.name, plainCols, c.ID, string(body), w.gen)
	}
	if err != nil {
		return err
	}
	if c.Entity == model.EntityAccount {
		w.accounts[c.ID] = true
	}
	w.stats.Upserted++
	return nil
}

func accountOf(v any) string {
	switch x := v.(type) {
	case model.Contact:
		return x.AccountID
	case model.UsageMonth:
		return x.AccountID
	case model.NPSResponse:
		return x.AccountID
	case model.Note:
		return x.AccountID
	case model.Task:
		return x.AccountID
	case model.ChecklistItem:
		return x.AccountID
	case model.PlayRun:
		return x.AccountID
	case model.Snooze:
		return x.AccountID
	}
	return ""
}

// sweep deletes the rows an ended full resync did not bring back: the server
// no longer has them. Accounts go last so their cascades do not hide counts.
func sweep(ctx context.Context, tx *sql.Tx, gen int64) error {
	order := []string{"contacts", "usage_months", "nps", "notes", "tasks", "checklist_items", "play_runs", "features", "playbooks", "checklists", "accounts"}
	for _, t := range order {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE gen < ?"+keepLocal(t), gen); err != nil {
			return fmt.Errorf("sweep %s: %w", t, err)
		}
	}
	return nil
}

// keepLocal is the sweep's guard for rows that hold local changes not yet
// pushed (a note written offline is not on the server yet) or refused by
// it (kept for the CSM to see).
func keepLocal(table string) string {
	return " AND id NOT IN (SELECT entity_id FROM outbox WHERE entity = '" + entityOfTable[table] + "')"
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getMeta(ctx context.Context, q querier, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", key, err)
	}
	return v, nil
}

func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return fmt.Errorf("write %s: %w", key, err)
	}
	return nil
}

// readTx runs fn in a read transaction so that every query sees one snapshot.
// A damaged page met while reading is told as clearly as one met while
// writing.
func (s *Store) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return classify(s.path, fmt.Errorf("begin read: %w", err))
	}
	defer tx.Rollback()
	return classify(s.path, fn(tx))
}
