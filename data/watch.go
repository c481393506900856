package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// errStoreClosed: the store was closed; it answers no more questions.
var errStoreClosed = errors.New("the database is closed")

// DataVersion is a number that changes when another connection to the
// database commits: another csm process (a `csm sync` from cron, a
// `csm note` from a shell), or this process's own other connections. An
// open screen asks it every second and re-reads what it shows when it
// moved. It costs a few microseconds: no table is read, and in WAL mode a
// writer does not hold it up.
//
// SQLite counts data_version per connection, so the store keeps one
// connection aside for it, taken from the pool at the first call. The
// values only compare with each other: if that connection is ever
// replaced (after an error), the next value is one more than the last,
// whether or not anything changed, so a change can cause a needless
// re-read but is never missed.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	w := s.watcher()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return 0, fmt.Errorf("data version: %w", errStoreClosed)
	}
	if w.conn == nil {
		c, err := s.db.Conn(ctx)
		if err != nil {
			return 0, classify(s.path, fmt.Errorf("data version: %w", err))
		}
		w.conn, w.fresh = c, true
	}
	var raw int64
	if err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&raw); err != nil {
		// The connection may be broken: give it back and take a
		// fresh one next time rather than fail every second.
		w.release()
		return 0, classify(s.path, fmt.Errorf("data version: %w", err))
	}
	if w.fresh {
		w.offset, w.fresh = w.last+1-raw, false
	}
	w.last = raw + w.offset
	return w.last, nil
}

// watcher is the state behind DataVersion: its connection, and the offset
// that keeps its values rising across a change of connection.
type watcher struct {
	mu     sync.Mutex
	conn   *sql.Conn
	fresh  bool  // conn was just taken: its first value sets offset
	offset int64 // added to the connection's data_version
	last   int64 // the last value returned
	closed bool  // the store is closing: take no connection again
}

// release gives the connection back to the pool. The caller holds w.mu.
func (w *watcher) release() {
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
}

// watcher is the store's own watcher.
func (s *Store) watcher() *watcher { return &s.watch }

// closeWatch gives DataVersion's connection back and makes later calls
// fail with errStoreClosed. Store.Close calls it before closing the pool:
// sql.DB.Close does not close a connection that is out of the pool, and
// the last connection to close is the one that checkpoints the WAL. A
// DataVersion running at that moment finishes first (it holds w.mu).
func (s *Store) closeWatch() {
	w := s.watcher()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	w.release()
}
