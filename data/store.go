// Package data is the local SQLite store: schema and migrations, the server
// data the feed fills, the CSM's offline changes and their outbox, and the
// precomputed metrics the screens read.
package data

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"csm/model"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// DBFile is the name of the database file inside the data directory.
const DBFile = "csm.db"

// Store is an open local database.
type Store struct {
	db   *sql.DB
	path string
	who  string // this process, as other csm processes name it

	// locks is nil only for a reader of a database whose directory
	// cannot be written, where no lock file could be made.
	locks *dbLocks
	// readOnly: opened by a command that only reads; every write fails.
	readOnly bool
	// watch is DataVersion's connection (see watch.go).
	watch watcher
	// recovered: this open found that a csm had died with the database
	// open, checked every page, and found them sound.
	recovered bool

	mu sync.Mutex
	th *model.Thresholds
}

// Options tune Open; the zero value is what csm uses.
type Options struct {
	// BusyTimeout is how long a write waits for another csm's write to
	// finish before failing with ErrLocked; 0 means 10 s.
	BusyTimeout time.Duration

	// OpenTimeout is how long an open waits for another csm to finish
	// opening (a check after a crash, an upgrade, a repair); 0 means 60 s.
	OpenTimeout time.Duration

	// Who names this process to other csm processes ("csm sync"), in
	// messages such as "quit the other csm (pid 4242, csm) first"; ""
	// means the command line's first word.
	Who string

	// maxPageCount caps the file's size in pages, so tests can provoke a
	// full disk; 0 means no cap.
	maxPageCount int
}

func (o *Options) fill() {
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 10 * time.Second
	}
	if o.OpenTimeout <= 0 {
		o.OpenTimeout = 60 * time.Second
	}
	if o.Who == "" {
		o.Who = commandLine()
	}
}

// commandLine is "csm" and the subcommand this process runs.
func commandLine() string {
	who := filepath.Base(os.Args[0])
	for _, a := range os.Args[1:] {
		if !strings.HasPrefix(a, "-") {
			return who + " " + a
		}
	}
	return who
}

// Open opens (creating if needed) the database at path for reading and
// writing, and brings its schema up to date. The errors it returns for a
// damaged, locked, unwritable or full file are *DBError, one of ErrCorrupt,
// ErrLocked, ErrReadOnly, ErrDiskFull, ErrIO, ErrNewerSchema, ErrInUse; in
// each case the file was not changed.
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with options.
//
// WAL (set once, the file keeps it) lets the TUI read while a sync writes;
// busy_timeout makes a second csm process wait for the write lock instead
// of failing; _txlock=immediate takes the write lock at BEGIN, so two
// writers never deadlock upgrading a read lock; synchronous=FULL makes
// every commit durable before it returns, which is what "saved at once"
// promises for a tick or a note.
func OpenWith(ctx context.Context, path string, o Options) (*Store, error) {
	o.fill()
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, classify(path, err)
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, &DBError{Kind: ErrReadOnly, Path: path, Detail: "it is a directory"}
	}
	// SQLite would open a file it cannot write read-only, without a word,
	// and fail at the first change: say it now, before the CSM types a
	// note into an editor.
	if cause := readOnlyCause(path); cause != "" {
		return nil, &DBError{Kind: ErrReadOnly, Path: path, Detail: cause}
	}
	locks, err := openLocks(path)
	if errors.Is(err, errNoLockFile) {
		return nil, readOnlyError(path, filepath.Dir(path))
	}
	if err != nil {
		return nil, classify(path, fmt.Errorf("open the lock files: %w", err))
	}
	s := &Store{path: path, who: o.Who, locks: locks}
	if err := s.openLocked(ctx, o, true); err != nil {
		locks.close()
		return nil, err
	}
	return s, nil
}

// OpenReader opens the database at path for a command that only reads
// (status, accounts, brief, search): it never writes to the file, so it
// works on a read-only file or file system and never waits for another
// csm's write. A database that does not exist yet, or needs an upgrade,
// is first made or upgraded by a writing open, when the file can be
// written.
func OpenReader(ctx context.Context, path string) (*Store, error) {
	return OpenReaderWith(ctx, path, Options{})
}

// OpenReaderWith is OpenReader with options.
func OpenReaderWith(ctx context.Context, path string, o Options) (*Store, error) {
	o.fill()
	if err := prepareForReading(ctx, path, o); err != nil {
		return nil, err
	}
	locks, err := openLocks(path)
	switch {
	case errors.Is(err, errNoLockFile):
		locks = nil // nobody can write here: there is nothing to guard
	case err != nil:
		return nil, classify(path, fmt.Errorf("open the lock files: %w", err))
	}
	s := &Store{path: path, who: o.Who, locks: locks, readOnly: true}
	if err := s.openLocked(ctx, o, false); err != nil {
		locks.close()
		return nil, err
	}
	return s, nil
}

// prepareForReading makes or upgrades the database with a writing open
// when a reader could not use it as it is.
func prepareForReading(ctx context.Context, path string, o Options) error {
	v, err := fileSchemaVersion(ctx, path)
	if err != nil {
		return err
	}
	if v >= SchemaVersion {
		return nil
	}
	w, err := OpenWith(ctx, path, o)
	if errors.Is(err, ErrReadOnly) && v > 0 {
		return &DBError{Kind: ErrReadOnly, Path: path, Err: err,
			Detail: fmt.Sprintf("it needs an upgrade from schema %d to %d, which needs to write", v, SchemaVersion)}
	}
	if err != nil {
		return err
	}
	return w.Close()
}

// fileSchemaVersion reads the schema version from the file's header (bytes
// 60-63), without opening it as a database: 0 for a missing or empty file.
// A header being written at this instant is harmless: the version is read
// again under the open lock.
func fileSchemaVersion(_ context.Context, path string) (int, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, classify(path, err)
	}
	defer f.Close()
	var h [100]byte
	n, err := f.ReadAt(h[:], 0)
	if n < len(h) {
		return 0, nil // empty or not a database: the open says which
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, classify(path, err)
	}
	return int(binary.BigEndian.Uint32(h[60:64])), nil
}

// openLocked is the part of an open done under the open lock, one csm at
// a time: note who has the database open, find markers left by a crash,
// check the file, open it, upgrade it.
func (s *Store) openLocked(ctx context.Context, o Options, write bool) error {
	l := s.locks
	if l != nil {
		if err := l.enter(o.OpenTimeout); err != nil {
			return s.openBusy(err)
		}
		defer l.leave()
		if err := l.share(); err != nil {
			return classify(s.path, err)
		}
		// A reader where nothing can be written goes unregistered: it
		// cannot damage anything, so its crash needs no check.
		if err := l.register(o.Who, write); err != nil && (write || !(readOnlyFault(err) || errors.Is(err, errNoLockFile))) {
			return classify(s.path, fmt.Errorf("mark the database open: %w", err))
		}
	}
	var crashed []crashMarker
	if l != nil {
		var err error
		if _, crashed, err = l.survey(); err != nil {
			return classify(s.path, fmt.Errorf("look for other csm processes: %w", err))
		}
	}
	// A csm that died while writing may have left the file damaged: then
	// every page is checked, before anything writes to it.
	full := slices.ContainsFunc(crashed, func(m crashMarker) bool { return m.writes })
	if err := checkFile(ctx, s.path, o.BusyTimeout, full, write); err != nil {
		releaseCrashMarkers(crashed)
		return s.withHolders(err)
	}
	db, err := openSQL(s.path, o, write)
	if err != nil {
		releaseCrashMarkers(crashed)
		return err
	}
	s.db = db
	if err := s.start(ctx, write); err != nil {
		releaseCrashMarkers(crashed)
		db.Close()
		return s.withHolders(classify(s.path, fmt.Errorf("open database %s: %w", s.path, err)))
	}
	clearCrashMarkers(crashed)
	s.recovered = full
	return nil
}

// openBusy explains a wait for the open lock that lasted too long.
func (s *Store) openBusy(err error) error {
	if !errors.Is(err, errOpenBusy) {
		return classify(s.path, err)
	}
	return &DBError{Kind: ErrLocked, Path: s.path, Detail: err.Error(), Others: s.locks.holders()}
}

// openSQL opens the database/sql handle: read-write, or read-only. A
// read-only open of a directory where SQLite cannot make its shared-memory
// file falls back to reading the file as immutable, which is safe exactly
// there: nobody can write to such a directory, so nobody changes the file.
func openSQL(path string, o Options, write bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", o.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	if write {
		q.Add("_pragma", "synchronous(FULL)")
		if o.maxPageCount > 0 {
			q.Add("_pragma", fmt.Sprintf("max_page_count(%d)", o.maxPageCount))
		}
		q.Set("_txlock", "immediate")
	} else {
		q.Set("mode", "ro")
		if dirUnwritable(filepath.Dir(path)) {
			if _, err := os.Stat(path + "-wal"); errors.Is(err, os.ErrNotExist) {
				q.Set("immutable", "1")
			}
		}
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	return db, nil
}

// start readies a checked file: WAL mode (kept in the file, so once is
// enough) and the schema, upgraded by a writer; a reader only checks that
// it can read it.
func (s *Store) start(ctx context.Context, write bool) error {
	if write {
		if _, err := s.db.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
			return err
		}
	}
	v, err := s.schemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case v > SchemaVersion:
		return newerSchema(s.path, v)
	case v == SchemaVersion:
		return nil
	case !write:
		return &DBError{Kind: ErrReadOnly, Path: s.path,
			Detail: fmt.Sprintf("it needs an upgrade from schema %d to %d, which needs to write", v, SchemaVersion)}
	}
	return s.upgrade(ctx, v)
}

func (s *Store) schemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// upgrade migrates the schema from version v. It must be alone: a csm
// that has the file open would meet tables it does not know. The version
// is read again once alone, since another csm may have upgraded meanwhile.
func (s *Store) upgrade(ctx context.Context, v int) error {
	ok, err := s.locks.alone()
	if err != nil {
		return err
	}
	if !ok {
		return &DBError{Kind: ErrInUse, Path: s.path, Others: s.locks.holders(),
			Detail: fmt.Sprintf("it needs an upgrade from schema %d to %d", v, SchemaVersion)}
	}
	defer s.locks.notAlone()
	if v, err = s.schemaVersion(ctx); err != nil {
		return err
	}
	// A fresh file has nothing to lose.
	if v > 0 && v < SchemaVersion {
		if err := s.backup(ctx, v); err != nil {
			return err
		}
	}
	return s.migrate(ctx)
}

// backup copies the database, as it is at schema version v, to
// <path>.bak-v<v> before it is upgraded. The copy is written aside under a
// name of its own and renamed, so the previous backup of that version is
// replaced only by a complete one.
func (s *Store) backup(ctx context.Context, v int) error {
	dst := s.path + ".bak-v" + strconv.Itoa(v)
	f, err := os.CreateTemp(filepath.Dir(s.path), filepath.Base(dst)+".*.tmp")
	if err != nil {
		return fmt.Errorf("back up before upgrading: %w", err)
	}
	tmp := f.Name()
	f.Close()
	os.Remove(tmp) // VACUUM INTO wants to make the file itself
	fail := func(err error) error {
		os.Remove(tmp)
		return fmt.Errorf("back up before upgrading: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return fail(err)
	}
	if err := syncFile(tmp); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fail(err)
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

// checkFile checks an existing file before it is used, on a read-only
// connection that never checkpoints a WAL into a damaged file: that it is
// a database and that the outbox (the only copy of unsent work) reads
// back, or, after a crash, every page (PRAGMA quick_check: about half a
// second on a 150 MB book, too slow for every start; see
// BenchmarkQuickCheck). A reader checks only after a crash: it cannot
// lose anything by reading.
func checkFile(ctx context.Context, path string, busy time.Duration, full, write bool) error {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && fi.Size() == 0) {
		return nil // a new database
	}
	if err != nil {
		return classify(path, err)
	}
	if !write && !full {
		return nil
	}
	db, err := openReadOnly(path, busy)
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	defer db.Close()
	err = classify(path, checkDB(ctx, db, full))
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

// checkDB checks the database on one snapshot, so that another csm writing
// meanwhile cannot make two readings disagree: damage is only ever what
// SQLite itself reports. full checks every page, else the outbox only.
func checkDB(ctx context.Context, db *sql.DB, full bool) error {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var outbox int
	// Reading the schema reads page 1: a file that is not a database, or
	// whose header promises more pages than it has, fails here.
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'outbox'").Scan(&outbox); err != nil {
		return err
	}
	check := "PRAGMA quick_check"
	if !full {
		if outbox == 0 {
			return nil
		}
		check = "PRAGMA quick_check(outbox)"
	}
	var res string
	if err := tx.QueryRowContext(ctx, check).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return corrupt("", checkReport(res))
	}
	return nil
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes the database, then lets go of its locks and its marker:
// in that order, so that the last csm to close has finished its own
// checkpoint before another may take the file alone.
func (s *Store) Close() error {
	s.closeWatch()
	s.awaitQueries(2 * time.Second)
	err := s.db.Close()
	s.locks.close()
	return err
}

// Recovered says whether this open found that another csm had died with
// the database open (killed, crashed, the machine lost power), and so
// checked every page before using the file, and found it sound.
func (s *Store) Recovered() bool { return s.recovered }

// awaitQueries waits, at most d, for the queries still running to give
// their connections back: sql.DB.Close does not wait for them, and the
// last connection to close is the one that folds the WAL into the file.
// A screen's command cancelled by a quit ends within milliseconds.
func (s *Store) awaitQueries(d time.Duration) {
	for deadline := time.Now().Add(d); s.db.Stats().InUse > 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
}

// ReadOnly says whether the store was opened by OpenReader.
func (s *Store) ReadOnly() bool { return s.readOnly }

// DB exposes the handle to tests of this module's other packages.
func (s *Store) DB() *sql.DB { return s.db }

// inTx runs fn in one write transaction, committed only if fn succeeds. A
// fault of the file (locked, damaged, read-only, full) comes back as a
// *DBError that errors.Is matches against ErrLocked and the others.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.readOnly {
		return s.openedForReading()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.fault(ctx, fmt.Errorf("begin: %w", err))
	}
	return s.finish(ctx, tx, fn(tx))
}

func (s *Store) finish(ctx context.Context, tx *sql.Tx, err error) error {
	if err != nil {
		return s.fault(ctx, errors.Join(err, rollback(tx)))
	}
	if err := tx.Commit(); err != nil {
		return s.fault(ctx, fmt.Errorf("commit: %w", err))
	}
	return nil
}

// openedForReading is the error of a write on a store opened to read: a
// mistake of the program, said plainly rather than as SQLite's words.
func (s *Store) openedForReading() error {
	return &DBError{Kind: ErrReadOnly, Path: s.path, Detail: "this command opened it for reading only"}
}

// inTxRefetchable is inTx for what the server can send again: pages of the
// feed with their cursor, and the metrics computed from them. It commits
// with synchronous=NORMAL, which in WAL mode is atomic and consistent but
// may lose the last commits on a power cut: the cursor is in the same
// transaction as the data, so both roll back together and the pages are
// fetched again. It saves an fsync per page; the CSM's own changes (inTx)
// keep synchronous=FULL.
func (s *Store) inTxRefetchable(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.readOnly {
		return s.openedForReading()
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.fault(ctx, fmt.Errorf("begin: %w", err))
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
		return s.fault(ctx, fmt.Errorf("begin: %w", err))
	}
	// The connection goes back to the pool: it must be FULL again for the
	// next local change that gets it.
	defer conn.ExecContext(context.Background(), "PRAGMA synchronous = FULL")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.fault(ctx, fmt.Errorf("begin: %w", err))
	}
	return s.finish(ctx, tx, fn(tx))
}

func rollback(tx *sql.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}
