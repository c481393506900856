package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"               // registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"

	"csm/model"
)

// SQLStore is the team server's store on a real database: SQLite for one
// machine, PostgreSQL for a team. One code path serves both through
// database/sql; what differs is in dialect.
//
// Nothing lives only in the process: the epoch, the seq counters, the
// answers to mutations are all in the database, so several processes on
// one database are interchangeable and a restart (or kill -9) loses
// nothing that was acknowledged.
type SQLStore struct {
	db    *sql.DB
	d     dialect
	epoch string // read once at open: it never changes (see Migrate)

	// writeSem serialises this process's writers on SQLite. SQLite lets
	// one writer at a time into a file anyway; waiting here, on a channel
	// that honours the context, is cheaper than every connection polling
	// the file lock under busy_timeout. Other processes on the same file
	// still wait on the file lock. Unused on PostgreSQL, whose writers wait
	// on the row lock of the CSM they write to.
	writeSem chan struct{}
}

var _ TeamStore = (*SQLStore)(nil)

// dialect is what differs between SQLite and PostgreSQL. Every query is
// written once, with $1-style parameters, which both drivers bind.
type dialect struct {
	name   string // "sqlite" or "postgres", for messages
	driver string // database/sql driver name
	// forUpdate ends the SELECT that takes a CSM's row in a write. SQLite
	// needs none: BEGIN IMMEDIATE already holds the database's one write
	// lock.
	forUpdate string
	// blobType is the column type of untrusted bytes: entity and mutation
	// ids and entity data. docs/API.md lets an id be any JSON string, NUL
	// included, which PostgreSQL's TEXT refuses; BYTEA keeps every byte.
	// SQLite's TEXT keeps any byte already.
	blobType string
	// readTx is the transaction of a read that must be one snapshot.
	readTx sql.TxOptions
	// advisoryLocks: PostgreSQL's pg_advisory_xact_lock is there.
	advisoryLocks bool
}

var (
	sqliteDialect = dialect{
		name: "sqlite", driver: "sqlite", blobType: "TEXT",
		// A read-only transaction is a plain (deferred) BEGIN even with
		// _txlock=immediate: in WAL mode it reads one snapshot from its
		// first SELECT on, without blocking or waiting for the writer.
		readTx: sql.TxOptions{ReadOnly: true},
	}
	postgresDialect = dialect{
		name: "postgres", driver: "pgx", forUpdate: " FOR UPDATE", blobType: "BYTEA",
		readTx:        sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
		advisoryLocks: true,
	}
)

// blob is an untrusted string as the dialect binds it to a blobType column.
func (d dialect) blob(s string) any {
	if d.blobType == "BYTEA" {
		return []byte(s)
	}
	return s
}

// OpenSQLStore opens the store at dbURL and brings its schema up to date
// (see Migrate). dbURL is a file path or sqlite:PATH for SQLite, or a
// postgres:// or postgresql:// URL for PostgreSQL.
func OpenSQLStore(ctx context.Context, dbURL string) (*SQLStore, error) {
	d, dsn, path, err := parseDBURL(dbURL)
	if err != nil {
		return nil, err
	}
	if path != "" {
		// SQLite makes the file, not its directory.
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("database file %s: %w", path, err)
		}
	}
	db, err := sql.Open(d.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redactURL(dbURL), err)
	}
	if d.name == postgresDialect.name {
		// Enough for a server's concurrent requests; PostgreSQL's default
		// of 100 connections is then shared by several servers.
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(4)
	} else {
		db.SetMaxOpenConns(8)
	}
	s := &SQLStore{db: db, d: d, writeSem: make(chan struct{}, 1)}
	if err := s.start(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", redactURL(dbURL), err)
	}
	return s, nil
}

// start migrates and reads the epoch.
func (s *SQLStore) start(ctx context.Context) error {
	if err := s.migrateAtStart(ctx); err != nil {
		return err
	}
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, metaEpoch).Scan(&s.epoch)
	if err != nil {
		return fmt.Errorf("read the epoch: %w", err)
	}
	return nil
}

// migrateAtStart is Migrate, tried again for a while when SQLite answers
// busy at once. Servers started together on a new file each turn it to
// WAL on their first connection, and SQLite refuses that change without
// waiting (no busy timeout) while another connection holds the file; it
// lasts a moment.
func (s *SQLStore) migrateAtStart(ctx context.Context) error {
	deadline := time.Now().Add(10 * time.Second)
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		_, err := s.Migrate(ctx)
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return err
		}
	}
}

// parseDBURL tells the dialect of a database URL, the data source name
// its driver takes and, for SQLite, the file's path.
func parseDBURL(raw string) (d dialect, dsn, path string, err error) {
	lower := strings.ToLower(raw)
	switch {
	case raw == "":
		return dialect{}, "", "", errors.New("no database given")
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return postgresDialect, raw, "", nil
	case strings.HasPrefix(lower, "sqlite:"):
		path = raw[len("sqlite:"):]
		// sqlite:///abs/path and sqlite://rel are spelled like URLs.
		path = strings.TrimPrefix(path, "//")
	case strings.Contains(raw, "://"):
		scheme, _, _ := strings.Cut(raw, "://")
		return dialect{}, "", "", fmt.Errorf("database %q: unknown scheme %q (use a file path, sqlite:PATH or postgres://...)", redactURL(raw), scheme)
	default:
		path = raw
	}
	if path == "" {
		return dialect{}, "", "", fmt.Errorf("database %q names no file", raw)
	}
	// The driver reads parameters after a '?'; a path holding one would
	// lose its tail to them.
	if strings.ContainsAny(path, "?#") {
		return dialect{}, "", "", fmt.Errorf("database file %q: a path with ? or # is not supported", path)
	}
	// WAL: readers never wait for the writer. busy_timeout: a writer of
	// another process waits for the lock instead of failing.
	// synchronous=FULL: a commit is on disk before the answer `applied`
	// leaves, so kill -9 or a power cut cannot take it back.
	// _txlock=immediate: a write transaction takes the write lock at
	// BEGIN, before it reads the seq it will advance (see Write).
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	return sqliteDialect, path + "?" + q.Encode(), path, nil
}

// redactURL hides a password a database URL may hold, for messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

// Dialect is "sqlite" or "postgres".
func (s *SQLStore) Dialect() string { return s.d.name }

func (s *SQLStore) Epoch(context.Context) (string, error) { return s.epoch, nil }

// CSMByToken looks the token up by its hash. The lookup's timing can tell
// at most something about a hash, from which no token can be found.
func (s *SQLStore) CSMByToken(ctx context.Context, token string) (model.CSM, error) {
	if token == "" {
		return model.CSM{}, ErrUnknownToken
	}
	var c model.CSM
	err := s.db.QueryRowContext(ctx, `SELECT id, name, email FROM csms WHERE token_hash = $1`, HashToken(token)).
		Scan(&c.ID, &c.Name, &c.Email)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return model.CSM{}, ErrUnknownToken
	case err != nil:
		return model.CSM{}, fmt.Errorf("find the CSM of a token: %w", err)
	}
	return c, nil
}

// readSnapshot runs fn in one read-only snapshot of the database.
func (s *SQLStore) readSnapshot(ctx context.Context, fn func(*sql.Tx) error) error {
	opts := s.d.readTx
	tx, err := s.db.BeginTx(ctx, &opts)
	if err != nil {
		return fmt.Errorf("begin a read: %w", err)
	}
	defer tx.Rollback() // after Commit, a no-op
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// feedState reads a CSM's head and floor, or ErrNoCSM.
func feedState(ctx context.Context, tx *sql.Tx, csmID string) (head, floor int64, err error) {
	err = tx.QueryRowContext(ctx, `SELECT seq, floor FROM csms WHERE id = $1`, csmID).Scan(&head, &floor)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, fmt.Errorf("CSM %q: %w", csmID, ErrNoCSM)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read the feed state of CSM %q: %w", csmID, err)
	}
	return head, floor, nil
}

// ReadFeed reads the head, the floor and one page of changes in one
// snapshot, so the page never holds a change above the head it reports
// and the cursor made from them skips nothing (see Write for why no
// commit can later appear below a seq a reader has passed).
func (s *SQLStore) ReadFeed(ctx context.Context, csmID string, after, fullAt int64, limit int) (FeedRead, error) {
	f := FeedRead{Changes: []Change{}}
	limit = min(max(limit, 0), math.MaxInt32) // limit+1 must not overflow
	err := s.readSnapshot(ctx, func(tx *sql.Tx) error {
		var err error
		if f.Head, f.Floor, err = feedState(ctx, tx, csmID); err != nil {
			return err
		}
		// One row more than asked tells whether more come after.
		rows, err := tx.QueryContext(ctx, `SELECT entity, id, seq, deleted, data FROM entities
			WHERE csm_id = $1 AND seq > $2 AND NOT (deleted AND seq <= $3)
			ORDER BY seq LIMIT $4`, csmID, after, fullAt, int64(limit)+1)
		if err != nil {
			return fmt.Errorf("read the feed of CSM %q: %w", csmID, err)
		}
		es, err := scanEntities(rows)
		if err != nil {
			return fmt.Errorf("read the feed of CSM %q: %w", csmID, err)
		}
		if len(es) > limit {
			es, f.HasMore = es[:limit], true
		}
		for _, e := range es {
			c := Change{Seq: e.Seq, Entity: e.Entity, Op: OpUpsert, ID: e.ID, Data: e.Data}
			if e.Deleted {
				c.Op, c.Data = OpDelete, nil
			}
			f.Changes = append(f.Changes, c)
		}
		return nil
	})
	if err != nil {
		return FeedRead{}, err
	}
	return f, nil
}

// scanEntities reads rows of (entity, id, seq, deleted, data) and closes
// them.
func scanEntities(rows *sql.Rows) ([]StoredEntity, error) {
	defer rows.Close()
	var out []StoredEntity
	for rows.Next() {
		var e StoredEntity
		var data []byte // NULL for a delete
		if err := rows.Scan(&e.Entity, &e.ID, &e.Seq, &e.Deleted, &data); err != nil {
			return nil, err
		}
		if !e.Deleted {
			e.Data = data
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s *SQLStore) ReadBook(ctx context.Context, csmID string) ([]StoredEntity, error) {
	var out []StoredEntity
	err := s.readSnapshot(ctx, func(tx *sql.Tx) error {
		if _, _, err := feedState(ctx, tx, csmID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT entity, id, seq, deleted, data FROM entities
			WHERE csm_id = $1 ORDER BY seq`, csmID)
		if err != nil {
			return fmt.Errorf("read the book of CSM %q: %w", csmID, err)
		}
		if out, err = scanEntities(rows); err != nil {
			return fmt.Errorf("read the book of CSM %q: %w", csmID, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []StoredEntity{}
	}
	return out, nil
}

func (s *SQLStore) AppliedCount(ctx context.Context, csmID string) (int, error) {
	var n int64
	err := s.readSnapshot(ctx, func(tx *sql.Tx) error {
		if _, _, err := feedState(ctx, tx, csmID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM mutations WHERE csm_id = $1 AND applied`, csmID).Scan(&n)
		if err != nil {
			return fmt.Errorf("count the mutations of CSM %q: %w", csmID, err)
		}
		return nil
	})
	return int(n), err
}

func (s *SQLStore) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping the %s database: %w", s.d.name, err)
	}
	return nil
}

func (s *SQLStore) Close() error { return s.db.Close() }
