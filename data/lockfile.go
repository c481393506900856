package data

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// lockFile is an advisory lock on a whole file, held until it is released
// or the process ends: the kernel drops it when a csm is killed, so a lock
// never outlives its holder and nothing has to be cleaned up after a crash.
type lockFile struct {
	f *os.File
}

// errNoLockFile: the lock file does not exist and cannot be made (a
// read-only directory). Only a csm that never writes can go on without it.
var errNoLockFile = errors.New("no lock file")

// openLockFile opens (creating when it can) the lock file at path. A
// lock file that exists but cannot be written is opened read-only: the
// kernel locks it all the same.
func openLockFile(path string) (*lockFile, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err == nil {
		return &lockFile{f: f}, nil
	}
	if !readOnlyFault(err) {
		return nil, err
	}
	f, rerr := os.Open(path)
	if rerr == nil {
		return &lockFile{f: f}, nil
	}
	if errors.Is(rerr, fs.ErrNotExist) {
		return nil, errNoLockFile
	}
	return nil, err
}

// readOnlyFault says whether err means "this cannot be written here".
func readOnlyFault(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

// tryLock takes the lock without waiting: false when another process
// holds it in a conflicting mode. A failed try holds nothing, even if this
// file held the lock in the other mode before (the kernel drops the old
// lock first).
func (l *lockFile) tryLock(exclusive bool) (bool, error) {
	return tryFlock(l.f, exclusive)
}

// lockWithin waits for the lock at most d, polling: a blocking lock call
// could not be given up on when the wait is too long.
func (l *lockFile) lockWithin(exclusive bool, d time.Duration) (bool, error) {
	deadline := time.Now().Add(d)
	wait := time.Millisecond
	for {
		ok, err := l.tryLock(exclusive)
		if ok || err != nil {
			return ok, err
		}
		if time.Now().After(deadline) {
			return false, nil
		}
		time.Sleep(wait)
		wait = min(2*wait, 20*time.Millisecond)
	}
}

func (l *lockFile) unlock() { unflock(l.f) }

// close releases the lock and the file.
func (l *lockFile) close() {
	if l != nil {
		l.f.Close()
	}
}
