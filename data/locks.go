package data

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Several csm processes share one database: the TUI, `csm sync` from cron,
// `csm note` from a shell. SQLite keeps their transactions apart; these
// locks keep apart what SQLite does not cover. They live in <db>.locks/:
//
//	open      exclusive while one csm opens the database, so checks,
//	          migrations and crash recovery run one process at a time
//	database  shared by every csm that has the database open; exclusive
//	          for a migration or a repair, which must be alone
//	sync      exclusive while one csm syncs (see LockSync)
//	procs/    one marker per csm with the database open, locked by its
//	          process: a marker that nobody holds was left by a crash
//
// All are kernel locks (flock), dropped when their process dies, so a
// killed csm never leaves a lock behind, only a marker nobody holds.
type dbLocks struct {
	dir        string
	open, db   *lockFile
	marker     *lockFile // nil when the marker could not be written
	markerPath string
}

// Holder is another csm that has the database open.
type Holder struct {
	PID     int
	Command string // "csm sync", "csm note"…
	Writes  bool   // false for a reading command
}

func (h Holder) String() string {
	if h.Command == "" {
		return fmt.Sprintf("pid %d", h.PID)
	}
	return fmt.Sprintf("pid %d, %s", h.PID, h.Command)
}

// locksDir is where the locks of the database at path live.
func locksDir(path string) string { return path + ".locks" }

// openLocks opens the lock files of the database at path, making them when
// it can. It returns errNoLockFile when they cannot be made (a read-only
// directory): a reader goes on without them, a writer cannot.
func openLocks(path string) (*dbLocks, error) {
	l := &dbLocks{dir: locksDir(path)}
	if err := os.MkdirAll(filepath.Join(l.dir, "procs"), 0o700); err != nil && !readOnlyFault(err) {
		return nil, err
	}
	var err error
	if l.open, err = openLockFile(filepath.Join(l.dir, "open")); err != nil {
		return nil, err
	}
	if l.db, err = openLockFile(filepath.Join(l.dir, "database")); err != nil {
		l.open.close()
		return nil, err
	}
	return l, nil
}

// enter takes the open lock, waiting at most d for another csm to finish
// opening.
func (l *dbLocks) enter(d time.Duration) error {
	ok, err := l.open.lockWithin(true, d)
	if err != nil {
		return err
	}
	if !ok {
		return errOpenBusy
	}
	return nil
}

var errOpenBusy = errors.New("another csm has been opening this database for too long (a check, an upgrade or a repair)")

// leave lets the next csm open the database.
func (l *dbLocks) leave() { l.open.unlock() }

// share takes the database lock shared, for as long as the database is
// open. Under the open lock only a repair can hold it exclusively, and a
// repair holds the open lock too, so this does not wait.
func (l *dbLocks) share() error {
	ok, err := l.db.lockWithin(false, time.Second)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("the database is held by a repair or an upgrade")
	}
	return nil
}

// alone tries to hold the database lock exclusively, for a migration or a
// repair; false when another csm has the database open. Either way the
// caller still holds the lock shared afterwards, or exclusively.
func (l *dbLocks) alone() (bool, error) {
	ok, err := l.db.tryLock(true)
	if err != nil || ok {
		return ok, err
	}
	// The failed try dropped the shared lock: take it back.
	return false, l.share()
}

// notAlone goes back from exclusive to shared.
func (l *dbLocks) notAlone() error { return l.share() }

// register writes this process's marker. It is made under a hidden name,
// locked, then renamed into place, so no other csm can ever see it
// unlocked and take it for a crash. Unique names keep a reused pid from
// replacing a dead process's marker.
func (l *dbLocks) register(who string, writes bool) error {
	var b [6]byte
	rand.Read(b[:])
	name := strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b[:])
	tmp := filepath.Join(l.dir, "procs", "."+name)
	lf, err := openLockFile(tmp)
	if err != nil {
		return err
	}
	if ok, err := lf.tryLock(true); err != nil || !ok {
		lf.close()
		os.Remove(tmp)
		return fmt.Errorf("lock the process marker: %v", err)
	}
	mode := "reads"
	if writes {
		mode = "writes"
	}
	_, err = fmt.Fprintf(lf.f, "%d\n%s\n%s\n", os.Getpid(), who, mode)
	if err == nil {
		err = os.Rename(tmp, filepath.Join(l.dir, "procs", name))
	}
	if err != nil {
		lf.close()
		os.Remove(tmp)
		return err
	}
	l.marker, l.markerPath = lf, filepath.Join(l.dir, "procs", name)
	return nil
}

// crashMarker is the marker of a csm that died with the database open,
// locked by this process until the database has been checked.
type crashMarker struct {
	path   string
	lf     *lockFile
	writes bool
}

// survey lists the other csm processes that have the database open, and
// the markers left by those that died. The crash markers come back
// locked, so that two opens never both clear one.
func (l *dbLocks) survey() (alive []Holder, crashed []crashMarker, err error) {
	procs := filepath.Join(l.dir, "procs")
	entries, err := os.ReadDir(procs)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		path := filepath.Join(procs, e.Name())
		if path == l.markerPath || e.IsDir() {
			continue
		}
		lf, err := openLockFile(path)
		if errors.Is(err, errNoLockFile) || errors.Is(err, fs.ErrNotExist) {
			continue // removed meanwhile: its csm closed
		}
		if err != nil {
			return nil, nil, err
		}
		ok, err := lf.tryLock(true)
		if err != nil {
			lf.close()
			return nil, nil, err
		}
		h := readHolder(lf.f)
		if !ok {
			lf.close()
			if !strings.HasPrefix(e.Name(), ".") {
				alive = append(alive, h)
			}
			continue
		}
		crashed = append(crashed, crashMarker{path: path, lf: lf, writes: h.Writes || strings.HasPrefix(e.Name(), ".")})
	}
	return alive, crashed, nil
}

// readHolder reads a marker: pid, command and mode, a line each.
func readHolder(f *os.File) Holder {
	b := make([]byte, 512)
	n, _ := f.ReadAt(b, 0)
	lines := strings.Split(string(b[:n]), "\n")
	var h Holder
	if len(lines) >= 3 {
		h.PID, _ = strconv.Atoi(lines[0])
		h.Command = lines[1]
		h.Writes = lines[2] == "writes"
	}
	return h
}

// clear removes the markers of dead processes once the database they left
// has been found sound.
func clearCrashMarkers(ms []crashMarker) {
	for _, m := range ms {
		os.Remove(m.path)
		m.lf.close()
	}
}

// releaseCrashMarkers lets go of crash markers without clearing them, so
// the next open checks again.
func releaseCrashMarkers(ms []crashMarker) {
	for _, m := range ms {
		m.lf.close()
	}
}

// holders lists the other csm processes that have the database open.
func (l *dbLocks) holders() []Holder {
	alive, crashed, err := l.survey()
	releaseCrashMarkers(crashed)
	if err != nil {
		return nil
	}
	return alive
}

// close removes this process's marker and lets go of every lock: a csm
// that closes this way did not crash.
func (l *dbLocks) close() {
	if l == nil {
		return
	}
	if l.marker != nil {
		os.Remove(l.markerPath)
		l.marker.close()
	}
	l.db.close()
	l.open.close()
}

// describeHolders names other processes for a message: "pid 4242, csm".
func describeHolders(hs []Holder) string {
	var parts []string
	for _, h := range hs {
		parts = append(parts, h.String())
	}
	return strings.Join(parts, "; ")
}
