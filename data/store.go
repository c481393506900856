// Package data is the local SQLite store: schema and migrations, the server
// data the feed fills, the CSM's offline changes and their outbox, and the
// precomputed metrics the screens read.
package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"csm/model"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// DBFile is the name of the database file inside the data directory.
const DBFile = "csm.db"

// metaCleanShutdown is "1" once the last csm to use the file closed it, "0"
// while one has it open. Found "0" at open, the previous run crashed or was
// killed, and the whole file is checked.
const metaCleanShutdown = "clean_shutdown"

// Store is an open local database.
type Store struct {
	db   *sql.DB
	path string

	mu sync.Mutex
	th *model.Thresholds
}

// Options tune Open; the zero value is what csm uses.
type Options struct {
	// BusyTimeout is how long a write waits for another csm's write to
	// finish before failing with ErrLocked; 0 means 10 s.
	BusyTimeout time.Duration

	// maxPageCount caps the file's size in pages, so tests can provoke a
	// full disk; 0 means no cap.
	maxPageCount int
}

// Open opens (creating if needed) the database at path and brings its schema
// up to date. The errors it returns for a damaged, locked, unwritable or
// full file are *DBError, one of ErrCorrupt, ErrLocked, ErrReadOnly,
// ErrDiskFull, ErrIO; in each case the file was not changed.
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with options.
//
// WAL (set once by start, the file keeps it) lets the TUI read while a sync
// writes; busy_timeout makes a second csm
// process wait for the write lock instead of failing; _txlock=immediate takes
// the write lock at BEGIN, so two writers never deadlock upgrading a read
// lock; synchronous=FULL makes every commit durable before it returns, which
// is what "saved at once" promises for a tick or a note.
func OpenWith(ctx context.Context, path string, o Options) (*Store, error) {
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 10 * time.Second
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, classify(path, err)
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, &DBError{Kind: ErrReadOnly, Path: path, Detail: "it is a directory"}
	}
	// Before anything can write to the file, check it on a read-only
	// connection: that one never checkpoints a WAL into a damaged file.
	if err := checkFile(ctx, path, o.BusyTimeout); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", o.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	if o.maxPageCount > 0 {
		q.Add("_pragma", fmt.Sprintf("max_page_count(%d)", o.maxPageCount))
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	s := &Store{db: db, path: path}
	if err := s.start(ctx); err != nil {
		db.Close()
		return nil, classify(path, fmt.Errorf("open database %s: %w", path, err))
	}
	return s, nil
}

// start readies a checked file: WAL mode (kept in the file, so once is
// enough), a backup before an upgrade, the migrations, and the mark that a
// csm has the file open.
func (s *Store) start(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
		return err
	}
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	// A fresh file has nothing to lose; a newer one is refused by migrate.
	if v > 0 && v < SchemaVersion {
		if err := s.backup(ctx, v); err != nil {
			return err
		}
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	// Another csm in the middle of a long write should not stop this one
	// from opening to read: without the mark, a crash of this run only
	// goes unchecked if the other run closes cleanly after it.
	err := s.inTx(ctx, func(tx *sql.Tx) error { return setMeta(ctx, tx, metaCleanShutdown, "0") })
	if errors.Is(err, ErrLocked) {
		return nil
	}
	return err
}

// backup copies the database, as it is at schema version v, to
// <path>.bak-v<v> before it is upgraded. The copy is written aside and
// renamed, so the previous backup of that version is replaced only by a
// complete one.
func (s *Store) backup(ctx context.Context, v int) error {
	dst := s.path + ".bak-v" + strconv.Itoa(v)
	tmp := dst + ".tmp"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("back up before upgrading: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("back up before upgrading: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("back up before upgrading: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("back up before upgrading: %w", err)
	}
	return nil
}

// syncFile makes a file's content durable (VACUUM INTO does not sync).
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// checkFile checks an existing file before it is opened for writing: that it
// is a database, that it is as long as its header says, and that the outbox
// (the only copy of unsent work) reads back. After a run that did not close
// cleanly it checks every page (PRAGMA quick_check): that takes about half a
// second on a 150 MB book, too slow for every start (see
// BenchmarkQuickCheck).
func checkFile(ctx context.Context, path string, busy time.Duration) error {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && fi.Size() == 0) {
		return nil // a new database
	}
	if err != nil {
		return classify(path, err)
	}
	db, err := openReadOnly(path, busy)
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	defer db.Close()
	err = classify(path, checkDB(ctx, db, path, fi.Size(), false))
	if errors.Is(err, ErrReadOnly) {
		// The check could not read the file read-only (a rollback
		// journal to replay, say): the read-write open that follows
		// says what is wrong, if anything is.
		return nil
	}
	return err
}

// openReadOnly opens a database file so that nothing can write to it.
func openReadOnly(path string, busy time.Duration) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// checkDB runs the checks of checkFile on an open connection; full forces
// the check of every page.
func checkDB(ctx context.Context, db *sql.DB, path string, size int64, full bool) error {
	var pages, pageSize int64
	if err := db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return err
	}
	if err := db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
		return err
	}
	// A file shorter than its pages was cut (a bad copy, a full disk). A
	// WAL may legitimately hold pages past the end of the file, so the
	// sizes are compared only when there is none.
	if wal, err := os.Stat(path + "-wal"); (err != nil || wal.Size() == 0) && pages*pageSize > size {
		return corrupt(path, fmt.Sprintf("the file holds %d of its %d pages", size/pageSize, pages))
	}
	tables := map[string]bool{}
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table'")
	if err != nil {
		return err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		tables[n] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if !full && tables["meta"] {
		clean, err := getMeta(ctx, db, metaCleanShutdown)
		if err != nil {
			return err
		}
		full = clean != "1"
	}
	check := "PRAGMA quick_check"
	if !full {
		if !tables["outbox"] {
			return nil
		}
		check = "PRAGMA quick_check(outbox)"
	}
	var res string
	if err := db.QueryRowContext(ctx, check).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return corrupt(path, checkReport(res))
	}
	return nil
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Close marks the file as cleanly closed and closes the database. The mark is
// best effort: without it the next open checks the whole file, nothing
// worse.
func (s *Store) Close() error {
	_ = s.inTx(context.Background(), func(tx *sql.Tx) error { return setMeta(context.Background(), tx, metaCleanShutdown, "1") })
	return s.db.Close()
}

// DB exposes the handle to tests of this module's other packages.
func (s *Store) DB() *sql.DB { return s.db }

// inTx runs fn in one write transaction, committed only if fn succeeds. A
// fault of the file (locked, damaged, read-only, full) comes back as a
// *DBError that errors.Is matches against ErrLocked and the others.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return classify(s.path, fmt.Errorf("begin: %w", err))
	}
	return s.finish(tx, fn(tx))
}

func (s *Store) finish(tx *sql.Tx, err error) error {
	if err != nil {
		return classify(s.path, errors.Join(err, rollback(tx)))
	}
	if err := tx.Commit(); err != nil {
		return classify(s.path, fmt.Errorf("commit: %w", err))
	}
	return nil
}

// inTxRefetchable is inTx for what the server can send again: pages of the
// feed with their cursor, and the metrics computed from them. It commits
// with synchronous=NORMAL, which in WAL mode is atomic and consistent but
// may lose the last commits on a power cut: the cursor is in the same
// transaction as the data, so both roll back together and the pages are
// fetched again. It saves an fsync per page; the CSM's own changes (inTx)
// keep synchronous=FULL.
func (s *Store) inTxRefetchable(ctx context.Context, fn func(tx *sql.Tx) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return classify(s.path, fmt.Errorf("begin: %w", err))
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
		return classify(s.path, fmt.Errorf("begin: %w", err))
	}
	// The connection goes back to the pool: it must be FULL again for the
	// next local change that gets it.
	defer conn.ExecContext(context.Background(), "PRAGMA synchronous = FULL")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return classify(s.path, fmt.Errorf("begin: %w", err))
	}
	return s.finish(tx, fn(tx))
}

func rollback(tx *sql.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}
