package ui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"csm/data"
)

// The open UI follows what other csm processes write to its database (a
// `csm sync` from cron, a `csm note` from a shell): once a second a command
// asks the store's data version, and when it moved, the book, the screen in
// view and the footer read the store again. Reading the version costs
// microseconds, so asking every second is nothing; reading the book is done
// only when something changed.

// defaultWatchEvery is how often the data version is asked.
const defaultWatchEvery = time.Second

// watchTickMsg is the watch's timer: time to ask the data version.
type watchTickMsg struct{}

// dataVersionMsg carries the store's data version.
type dataVersionMsg struct {
	version int64
	err     error
}

// lastSyncMsg carries the last successful sync the store records, whoever
// ran it.
type lastSyncMsg struct {
	at      time.Time
	summary string
	err     error
}

// watch is the root's side of the watch.
type watch struct {
	seen  int64 // the data version the screens were last read at
	known bool  // seen holds an answer
	// loading: a refresh the watch started has not brought the book back
	// yet. No second one starts meanwhile, so reads that take longer
	// than a tick (a huge book, a slow disk) do not pile up.
	loading bool
}

// watchEvery is the watch's interval; 0 when it is off.
func (a *App) watchEvery() time.Duration {
	switch {
	case a.opts.WatchEvery < 0:
		return 0
	case a.opts.WatchEvery == 0:
		return defaultWatchEvery
	}
	return a.opts.WatchEvery
}

// scheduleWatch arms the next tick. It is armed only when the answer to the
// previous one has come back, so one question at most is ever in flight.
func (a *App) scheduleWatch() tea.Cmd {
	return tea.Tick(a.watchEvery(), func(time.Time) tea.Msg { return watchTickMsg{} })
}

// readDataVersion asks the store's data version in a command.
func (e *env) readDataVersion() tea.Cmd {
	st := e.store
	return e.storeCmd(pollTimeout, func(ctx context.Context) tea.Msg {
		v, err := st.DataVersion(ctx)
		return dataVersionMsg{version: v, err: err}
	})
}

// loadLastSync reads the last successful sync in a command.
func (e *env) loadLastSync() tea.Cmd {
	st := e.store
	return e.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		at, summary, err := st.LastSync(ctx)
		return lastSyncMsg{at: at, summary: summary, err: err}
	})
}

// reload reads again everything on screen: the book (kept under the other
// screens), the screen in view and the footer's counts. Each keeps its
// selection and scroll on the same item (SetBook and the screens' Refresh).
func (a *App) reload() tea.Cmd {
	return tea.Batch(a.loadBook(), a.refresh(), a.loadCounts())
}

// onDataVersion compares an answer of the watch with the version the
// screens were read at, and reads them again if it moved.
func (a *App) onDataVersion(msg dataVersionMsg) tea.Cmd {
	next := a.scheduleWatch()
	if !a.watch.known {
		return tea.Batch(next, a.firstVersion(msg))
	}
	switch {
	case msg.err != nil:
		// Asked again at the next tick. A store that cannot be read
		// says so through the screens' own reads.
		return next
	case msg.version == a.watch.seen:
		return next
	case a.watch.loading:
		// seen stays behind, so the first tick after the book is in
		// sees the change again.
		return next
	}
	a.watch.seen = msg.version
	if a.syncing {
		// This csm's own sync is writing: it reads everything again
		// when it ends. Meanwhile only the footer's counts, which are
		// cheap.
		return tea.Batch(next, a.loadCounts())
	}
	a.watch.loading = true
	return tea.Batch(next, a.reload(), a.loadLastSync())
}

// firstVersion takes the watch's first answer, which Init asks before the
// first read of the book: a write that lands after the version was read is
// seen by the next tick, and one before it is in the book as read.
func (a *App) firstVersion(msg dataVersionMsg) tea.Cmd {
	a.watch.known = true
	if msg.err != nil {
		// No version to start from: the next answer, whatever it is,
		// counts as a change, so nothing written meanwhile is missed.
		a.watch.seen = -1
	} else {
		a.watch.seen = msg.version
	}
	return tea.Batch(a.loadBook(), a.loadCounts(), a.loadLastSync())
}

// onLastSync takes a sync that another csm recorded: the footer says when
// the book was last synced, by whichever csm, and a sync that ended after
// this one's last attempt replaces that attempt's error or busy note.
func (a *App) onLastSync(msg lastSyncMsg) {
	if msg.err != nil || msg.at.IsZero() {
		return
	}
	if msg.at.After(a.lastSync) {
		a.lastSync, a.syncLine = msg.at, msg.summary
	}
	if msg.at.After(a.syncAt) {
		a.syncErr, a.syncBusy = nil, false
	}
}

// otherSyncRunning says whether a sync's error only means that another csm
// is syncing the same database: it holds the sync lock (ErrSyncBusy), or,
// without the lock, it moved the feed cursor under this one
// (ErrCursorMoved). Its changes reach the screens through the watch.
func otherSyncRunning(err error) bool {
	return errors.Is(err, data.ErrSyncBusy) || errors.Is(err, data.ErrCursorMoved)
}

// busyFooter is the footer's state while another csm syncs.
const busyFooter = "another csm is syncing, its changes show here"
