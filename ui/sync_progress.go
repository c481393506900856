package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"
)

// A running sync's progress, for the footer: the SyncFunc reports lines
// in the CSM's words ("pulling the full book: 3 pages, 15000 changes
// (42%)", "server answered 503, retrying in 2s (try 3 of 6)") through
// SyncProgress, and the footer shows the latest while the sync runs.

type syncProgressKey struct{}

// SyncProgress reports a line of the sync running under ctx to the
// cockpit that started it; outside the cockpit it does nothing. It never
// blocks: a line the footer has not drawn yet gives way to the newer one.
func SyncProgress(ctx context.Context, line string) {
	ch, ok := ctx.Value(syncProgressKey{}).(chan string)
	if !ok {
		return
	}
	for {
		select {
		case ch <- line:
			return
		default:
		}
		select {
		case <-ch: // the older line, not drawn yet
		default:
		}
	}
}

// syncProgressMsg carries a line, and the command that waits for the next.
type syncProgressMsg struct {
	line string
	next tea.Cmd
}

// withSyncProgress gives a sync's context the channel its lines go to.
func withSyncProgress(ctx context.Context, lines chan string) context.Context {
	return context.WithValue(ctx, syncProgressKey{}, lines)
}

// listenSyncProgress brings the lines to Update one by one; nil once the
// sync closed the channel or the program ended (done).
func listenSyncProgress(done <-chan struct{}, lines chan string) tea.Cmd {
	return func() tea.Msg {
		select {
		case line, ok := <-lines:
			if !ok {
				return nil
			}
			return syncProgressMsg{line: line, next: listenSyncProgress(done, lines)}
		case <-done:
			return nil
		}
	}
}
