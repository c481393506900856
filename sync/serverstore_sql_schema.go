package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// metaEpoch is the key of the epoch in the meta table.
const metaEpoch = "epoch"

// migrationLockKey is the PostgreSQL advisory lock two servers starting at
// once on one database take around their migrations, so one migrates and
// the other then finds the schema current. Any constant works, as long as
// nothing else on the database uses it: these are the bytes "csmschem".
const migrationLockKey int64 = 0x63736d7363686d65

// migrations are the schema's versions, in order: migrations[i] takes the
// schema from version i to i+1. A released migration never changes; a
// change of schema is a new one at the end. "{blob}" stands for the
// dialect's type of untrusted bytes (see dialect.blobType).
var migrations = [][]string{
	{
		// The epoch and any other store-wide value.
		`CREATE TABLE meta (
			key   TEXT PRIMARY KEY,
			value TEXT NOT NULL
		)`,
		// A CSM with the hash of their token (NULL: revoked), the latest
		// seq of their feed and its compaction point. created_at is
		// RFC 3339 text, the same in both dialects.
		`CREATE TABLE csms (
			id         TEXT PRIMARY KEY,
			email      TEXT NOT NULL UNIQUE,
			name       TEXT NOT NULL,
			token_hash TEXT UNIQUE,
			seq        BIGINT NOT NULL DEFAULT 0,
			floor      BIGINT NOT NULL DEFAULT 0,
			created_at TEXT NOT NULL
		)`,
		// The current state of every entity of every book, deleted ones
		// too until compaction; its seq is its place in the feed. Ids are
		// per book: the catalogues' keys repeat in every book.
		`CREATE TABLE entities (
			csm_id  TEXT NOT NULL REFERENCES csms (id),
			entity  TEXT NOT NULL,
			id      {blob} NOT NULL,
			seq     BIGINT NOT NULL,
			deleted BOOLEAN NOT NULL,
			data    {blob},
			PRIMARY KEY (csm_id, entity, id)
		)`,
		// The feed: one seq is one change of one book, never two.
		`CREATE UNIQUE INDEX entities_feed ON entities (csm_id, seq)`,
		// IDTaken looks an id up across books.
		`CREATE INDEX entities_by_id ON entities (entity, id)`,
		// The first answer to every mutation id of a book, as JSON.
		`CREATE TABLE mutations (
			csm_id  TEXT NOT NULL REFERENCES csms (id),
			id      {blob} NOT NULL,
			result  TEXT NOT NULL,
			applied BOOLEAN NOT NULL,
			PRIMARY KEY (csm_id, id)
		)`,
		// The time of the winning write to each last-writer-wins target,
		// RFC 3339 text with nanoseconds.
		`CREATE TABLE lww (
			csm_id     TEXT NOT NULL REFERENCES csms (id),
			target     {blob} NOT NULL,
			written_at TEXT NOT NULL,
			PRIMARY KEY (csm_id, target)
		)`,
	},
}

// Migrate creates or upgrades the schema and returns its version. It is
// idempotent and safe to run from several processes at once: it runs in
// one transaction, alone (PostgreSQL: under an advisory lock; SQLite:
// under the write lock BEGIN IMMEDIATE takes), and DDL is transactional in
// both, so a failed migration leaves the schema as it was. A database of a
// newer schema than this build knows is refused, unchanged.
//
// The first migration also makes the epoch, once: later runs keep it, so
// a restart expires no client's cursor.
func (s *SQLStore) Migrate(ctx context.Context) (int, error) {
	var version int
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		if s.d.advisoryLocks {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey); err != nil {
				return fmt.Errorf("wait for other migrations: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)`); err != nil {
			return fmt.Errorf("create schema_version: %w", err)
		}
		var v int64
		err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v = 0
		case err != nil:
			return fmt.Errorf("read the schema version: %w", err)
		}
		if v > int64(len(migrations)) {
			return fmt.Errorf("the database has schema version %d, newer than this csm knows (%d): upgrade csm", v, len(migrations))
		}
		for i := int(v); i < len(migrations); i++ {
			for _, stmt := range migrations[i] {
				if _, err := tx.ExecContext(ctx, strings.ReplaceAll(stmt, "{blob}", s.d.blobType)); err != nil {
					return fmt.Errorf("migrate to version %d: %w", i+1, err)
				}
			}
		}
		if v < int64(len(migrations)) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
				return fmt.Errorf("record the schema version: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, int64(len(migrations))); err != nil {
				return fmt.Errorf("record the schema version: %w", err)
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, metaEpoch, newEpoch())
		if err != nil {
			return fmt.Errorf("make the epoch: %w", err)
		}
		version = len(migrations)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("migrate the %s database: %w", s.d.name, err)
	}
	return version, nil
}
