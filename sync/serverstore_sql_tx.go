package sync

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"csm/model"
)

// Why the feed is gap-free under concurrent writers.
//
// A reader pages the feed by seq: it asks for changes after N and moves
// its cursor to the last seq it got. That skips nothing only if no
// transaction can commit a change with a seq at or below N after the
// reader has seen N. With a database sequence or MAX(seq)+1 that happens:
// transaction A takes seq 7, B takes 8 and commits first, a reader sees 8
// and moves past it, then A commits 7 behind the reader's back.
//
// So a write takes its seqs from csms.seq under a lock on the CSM's row,
// held to commit: SELECT ... FOR UPDATE on PostgreSQL; on SQLite, the one
// write lock of the database, which BEGIN IMMEDIATE takes before the
// first read. Writers of one book therefore run one after the other, each
// starting from the seq the previous one committed, and commit in the
// order of their seqs. PostgreSQL makes a commit visible before it
// releases the transaction's locks, so the next writer cannot commit
// before the previous one is visible either. A reader's snapshot (one
// REPEATABLE READ transaction; on SQLite one read transaction) holds the
// feed state and the page together: it sees every commit up to its head
// and none after, and every later commit has a seq above that head.
//
// Writers of different books take different rows and run side by side.

// writeTx runs fn in one write transaction, committed when fn returns nil.
func (s *SQLStore) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.d.name == sqliteDialect.name {
		select {
		case s.writeSem <- struct{}{}:
			defer func() { <-s.writeSem }()
		case <-ctx.Done():
			return fmt.Errorf("wait to write: %w", ctx.Err())
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin a write: %w", err)
	}
	defer tx.Rollback() // after Commit, a no-op
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Write runs fn on the CSM's book, locked (see above). fn's own error is
// returned as it is, so a caller can tell it from a failure of the store.
func (s *SQLStore) Write(ctx context.Context, csmID string, fn func(BookTx) error) error {
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		b, err := s.lockBook(ctx, tx, csmID)
		if err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
		return b.saveSeq()
	})
}

// WriteBooks runs fn on several books in one transaction. Their rows are
// locked in id order, so two such transactions, or one and a Write, never
// wait for each other in a circle.
func (s *SQLStore) WriteBooks(ctx context.Context, csmIDs []string, fn func(map[string]BookTx) error) error {
	ids := slices.Compact(slices.Sorted(slices.Values(csmIDs)))
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		books := make(map[string]*sqlBookTx, len(ids))
		view := make(map[string]BookTx, len(ids))
		for _, id := range ids {
			b, err := s.lockBook(ctx, tx, id)
			if err != nil {
				return err
			}
			books[id], view[id] = b, b
		}
		if err := fn(view); err != nil {
			return err
		}
		for _, id := range ids {
			if err := books[id].saveSeq(); err != nil {
				return err
			}
		}
		return nil
	})
}

// Compact forgets the book's deletes; every cursor below the head expires.
// Superseded changes are gone already: a row holds only the latest.
func (s *SQLStore) Compact(ctx context.Context, csmID string) error {
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.lockBook(ctx, tx, csmID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM entities WHERE csm_id = $1 AND deleted`, csmID); err != nil {
			return fmt.Errorf("compact the book of CSM %q: %w", csmID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE csms SET floor = seq WHERE id = $1`, csmID); err != nil {
			return fmt.Errorf("compact the book of CSM %q: %w", csmID, err)
		}
		return nil
	})
}

// lockBook takes the CSM's row for the rest of the transaction and reads
// the seq its changes go on from.
func (s *SQLStore) lockBook(ctx context.Context, tx *sql.Tx, csmID string) (*sqlBookTx, error) {
	b := &sqlBookTx{d: s.d, tx: tx, ctx: ctx}
	err := tx.QueryRowContext(ctx, `SELECT id, name, email, seq FROM csms WHERE id = $1`+s.d.forUpdate, csmID).
		Scan(&b.csm.ID, &b.csm.Name, &b.csm.Email, &b.seq)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("CSM %q: %w", csmID, ErrNoCSM)
	}
	if err != nil {
		return nil, fmt.Errorf("lock the book of CSM %q: %w", csmID, err)
	}
	b.first = b.seq
	return b, nil
}

// sqlBookTx is a BookTx in a database transaction. It keeps the
// transaction's context, since BookTx's methods take none: it lives no
// longer than the Write that made it.
type sqlBookTx struct {
	d   dialect
	tx  *sql.Tx
	ctx context.Context
	csm model.CSM
	// seq is the book's latest seq as this transaction has it; first is
	// what it was at the lock. saveSeq writes it back.
	seq, first int64
}

// saveSeq records the seqs the transaction used.
func (b *sqlBookTx) saveSeq() error {
	if b.seq == b.first {
		return nil
	}
	if _, err := b.tx.ExecContext(b.ctx, `UPDATE csms SET seq = $1 WHERE id = $2`, b.seq, b.csm.ID); err != nil {
		return fmt.Errorf("advance the feed of CSM %q: %w", b.csm.ID, err)
	}
	return nil
}

func (b *sqlBookTx) CSM() model.CSM { return b.csm }

func (b *sqlBookTx) Get(entity, id string) (StoredEntity, bool, error) {
	e := StoredEntity{Entity: entity, ID: id}
	var data []byte
	err := b.tx.QueryRowContext(b.ctx, `SELECT seq, deleted, data FROM entities
		WHERE csm_id = $1 AND entity = $2 AND id = $3`, b.csm.ID, entity, b.d.blob(id)).Scan(&e.Seq, &e.Deleted, &data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return StoredEntity{}, false, nil
	case err != nil:
		return StoredEntity{}, false, fmt.Errorf("get %s %q: %w", entity, id, err)
	}
	if !e.Deleted {
		e.Data = data
	}
	return e, true, nil
}

func (b *sqlBookTx) Put(entity, id string, data json.RawMessage) (int64, error) {
	seq, err := b.write(entity, id, false, b.d.blob(string(data)))
	if err != nil {
		return 0, fmt.Errorf("put %s %q: %w", entity, id, err)
	}
	return seq, nil
}

func (b *sqlBookTx) Delete(entity, id string) (int64, error) {
	seq, err := b.write(entity, id, true, nil)
	if err != nil {
		return 0, fmt.Errorf("delete %s %q: %w", entity, id, err)
	}
	return seq, nil
}

// write makes the entity's row the next change of the feed.
func (b *sqlBookTx) write(entity, id string, deleted bool, data any) (int64, error) {
	seq := b.seq + 1
	_, err := b.tx.ExecContext(b.ctx, `INSERT INTO entities (csm_id, entity, id, seq, deleted, data)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (csm_id, entity, id) DO UPDATE SET seq = excluded.seq, deleted = excluded.deleted, data = excluded.data`,
		b.csm.ID, entity, b.d.blob(id), seq, deleted, data)
	if err != nil {
		return 0, err
	}
	b.seq = seq
	return seq, nil
}

func (b *sqlBookTx) Result(mutationID string) (MutationResult, bool, error) {
	var raw string
	err := b.tx.QueryRowContext(b.ctx, `SELECT result FROM mutations WHERE csm_id = $1 AND id = $2`,
		b.csm.ID, b.d.blob(mutationID)).Scan(&raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return MutationResult{}, false, nil
	case err != nil:
		return MutationResult{}, false, fmt.Errorf("read the answer to mutation %q: %w", mutationID, err)
	}
	var r MutationResult
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return MutationResult{}, false, fmt.Errorf("read the answer to mutation %q: %w", mutationID, err)
	}
	return r, true, nil
}

func (b *sqlBookTx) SaveResult(mutationID string, r MutationResult) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("save the answer to mutation %q: %w", mutationID, err)
	}
	_, err = b.tx.ExecContext(b.ctx, `INSERT INTO mutations (csm_id, id, result, applied) VALUES ($1, $2, $3, $4)
		ON CONFLICT (csm_id, id) DO UPDATE SET result = excluded.result, applied = excluded.applied`,
		b.csm.ID, b.d.blob(mutationID), string(raw), r.Status == StatusApplied)
	if err != nil {
		return fmt.Errorf("save the answer to mutation %q: %w", mutationID, err)
	}
	return nil
}

// lwwTimeLayout keeps a last write's instant to the nanosecond, as the
// memory store keeps a time.Time.
const lwwTimeLayout = time.RFC3339Nano

func (b *sqlBookTx) LastWrite(target string) (time.Time, bool, error) {
	var raw string
	err := b.tx.QueryRowContext(b.ctx, `SELECT written_at FROM lww WHERE csm_id = $1 AND target = $2`,
		b.csm.ID, b.d.blob(target)).Scan(&raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return time.Time{}, false, nil
	case err != nil:
		return time.Time{}, false, fmt.Errorf("read the last write to %q: %w", target, err)
	}
	at, err := time.Parse(lwwTimeLayout, raw)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read the last write to %q: %w", target, err)
	}
	return at, true, nil
}

func (b *sqlBookTx) SetLastWrite(target string, at time.Time) error {
	_, err := b.tx.ExecContext(b.ctx, `INSERT INTO lww (csm_id, target, written_at) VALUES ($1, $2, $3)
		ON CONFLICT (csm_id, target) DO UPDATE SET written_at = excluded.written_at`,
		b.csm.ID, b.d.blob(target), at.UTC().Format(lwwTimeLayout))
	if err != nil {
		return fmt.Errorf("record the last write to %q: %w", target, err)
	}
	return nil
}

// IDTaken looks the id up in every book. Two books creating one id at
// once must not both find it free: the memory store checks and writes
// under one mutex, SQLite under its one write lock. On PostgreSQL, writers
// of two books run side by side, so the check takes an advisory lock on
// the id first, held to commit: the second checker waits until the first
// has committed (its row is then visible to the check) or rolled back.
// A hash collision of two ids only makes them wait for each other; two
// batches taking two ids' locks in opposite orders deadlock, which
// PostgreSQL detects and ends by failing one, which its client retries.
func (b *sqlBookTx) IDTaken(entity, id string) (bool, error) {
	if b.d.advisoryLocks {
		if _, err := b.tx.ExecContext(b.ctx, `SELECT pg_advisory_xact_lock($1)`, idLockKey(entity, id)); err != nil {
			return false, fmt.Errorf("lock %s id %q: %w", entity, id, err)
		}
	}
	var taken bool
	err := b.tx.QueryRowContext(b.ctx, `SELECT EXISTS (SELECT 1 FROM entities WHERE entity = $1 AND id = $2)`,
		entity, b.d.blob(id)).Scan(&taken)
	if err != nil {
		return false, fmt.Errorf("look up %s id %q: %w", entity, id, err)
	}
	return taken, nil
}

// idLockKey is the advisory lock of one client-made id.
func idLockKey(entity, id string) int64 {
	h := fnv.New64a()
	h.Write([]byte(entity))
	h.Write([]byte{0})
	h.Write([]byte(id))
	return int64(h.Sum64())
}
