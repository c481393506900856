package data

import (
	"errors"
	"fmt"
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
