//go:build windows

package data

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// Windows locks a byte range; locking the first byte of the lock file
// stands for the whole file, as flock does elsewhere.
func tryFlock(f *os.File, exclusive bool) (bool, error) {
	h := windows.Handle(f.Fd())
	// A conversion drops the old lock first, as flock does.
	unflock(f)
	flags := uint32(windows.LOCKFILE_FAIL_IMMEDIATELY)
	if exclusive {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	err := windows.LockFileEx(h, flags, 0, 1, 0, &windows.Overlapped{})
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION), errors.Is(err, windows.ERROR_IO_PENDING):
		return false, nil
	default:
		return false, &os.PathError{Op: "lock", Path: f.Name(), Err: err}
	}
}

func unflock(f *os.File) {
	windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &windows.Overlapped{})
}
