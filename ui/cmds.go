package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
)

// env is what the root shares with every screen: the program's context,
// the store, the keys, the styles and the clock. Screens hold a pointer to
// the root's one.
type env struct {
	// ctx is the program's: it ends when the UI quits or the program is
	// stopped, and every store command and sync derives from it.
	ctx   context.Context
	store *data.Store
	keys  KeyMap
	// styles is replaced in place when the terminal's background is
	// learned, so every screen draws with the new one.
	styles *Styles
	now    func() time.Time
	// crmURL is the config's crm_url template ("" for none); openURL
	// opens a web address with the system's opener (tests fake it).
	crmURL  string
	openURL func(ctx context.Context, url string) error
}

// How long a command may take before its context ends.
const (
	// storeTimeout bounds one read or write of the local database: a few
	// milliseconds normally, longer only while another csm holds a lock.
	storeTimeout = 30 * time.Second
	// pollTimeout bounds the watch's question, asked every second.
	pollTimeout = 5 * time.Second
	// syncTimeout bounds one sync with the server.
	syncTimeout = 5 * time.Minute
)

// storeCmd runs fn in a command with a context that ends after timeout or
// when the program does, whichever comes first: quitting cancels what is
// still running, and a command that starts after the end does nothing.
// fn gets that context only: whatever else it needs, the caller copies
// into its closure in Update, so a command never reads or writes a model.
func (e *env) storeCmd(timeout time.Duration, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	parent := e.ctx
	return func() tea.Msg {
		if parent.Err() != nil {
			return nil
		}
		ctx, cancel := context.WithTimeout(parent, timeout)
		defer cancel()
		return fn(ctx)
	}
}

// readBook reads the book and its snoozes as of today.
func (e *env) readBook(today model.Date) tea.Cmd {
	st := e.store
	return e.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		b, err := st.BookScreen(ctx)
		if err != nil {
			return bookLoadedMsg{err: err}
		}
		sn, err := st.Snoozes(ctx, today)
		return bookLoadedMsg{book: b, snoozes: sn, err: err}
	})
}

// loadCounts reads the outbox counts.
func (e *env) loadCounts() tea.Cmd {
	st := e.store
	return e.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		p, r, err := st.OutboxCounts(ctx)
		return countsMsg{pending: p, rejected: r, err: err}
	})
}

// runSync runs one sync; its progress comes to Update as it goes
// (sync_progress.go).
func (e *env) runSync(fn SyncFunc) tea.Cmd {
	lines := make(chan string, 1)
	return tea.Batch(e.storeCmd(syncTimeout, func(ctx context.Context) tea.Msg {
		defer close(lines)
		s, err := fn(withSyncProgress(ctx, lines))
		return syncDoneMsg{summary: s, err: err, at: time.Now()}
	}), listenSyncProgress(e.ctx.Done(), lines))
}
