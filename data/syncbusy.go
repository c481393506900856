package data

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrSyncBusy: another csm is syncing this database. A second sync at the
// same time would only fetch the same pages again, so it does not start.
var ErrSyncBusy = errors.New("another csm is syncing this database")

// SyncBusyError says which process holds the sync.
type SyncBusyError struct {
	PID     int    // 0 when unknown
	Command string // "csm sync", "csm (TUI)"…; "" when unknown
}

func (e *SyncBusyError) Error() string {
	if e.PID == 0 {
		return ErrSyncBusy.Error()
	}
	return fmt.Sprintf("another csm (pid %d, %s) is syncing this database", e.PID, e.Command)
}

// Is lets errors.Is(err, ErrSyncBusy) match.
func (e *SyncBusyError) Is(target error) bool { return target == ErrSyncBusy }

// LockSync makes this process the one that syncs the database, until
// release is called or the process ends. Another csm already syncing gives
// a *SyncBusyError, at once: a second sync would only fetch the same pages.
func (s *Store) LockSync() (release func(), err error) {
	if s.locks == nil {
		return func() {}, nil // a database nobody can write: nothing to guard
	}
	lf, err := openLockFile(filepath.Join(s.locks.dir, "sync"))
	if err != nil {
		return nil, classify(s.path, fmt.Errorf("open the sync lock: %w", err))
	}
	ok, err := lf.tryLock(true)
	if err != nil {
		lf.close()
		return nil, classify(s.path, fmt.Errorf("take the sync lock: %w", err))
	}
	if !ok {
		h := readHolder(lf.f)
		lf.close()
		return nil, &SyncBusyError{PID: h.PID, Command: h.Command}
	}
	// Who syncs is written for the message a second sync shows; a failure
	// to write it only makes that message vaguer.
	if err := lf.f.Truncate(0); err == nil {
		fmt.Fprintf(lf.f, "%d\n%s\nwrites\n", os.Getpid(), s.who)
	}
	return lf.close, nil
}
