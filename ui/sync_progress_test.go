package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	csmsync "csm/sync"
)

// While a sync runs, the footer says how far it has got, as csm sync does
// on the terminal; once it ends, the footer gives the summary instead.
func TestFooterShowsSyncProgress(t *testing.T) {
	st := fixtureStore(t, 30)
	release := make(chan struct{})
	sync := func(ctx context.Context) (string, error) {
		SyncProgress(ctx, csmsync.Progress{Phase: csmsync.PhasePull, Pages: 1, Changes: 5000, Percent: 20, Full: true}.String())
		SyncProgress(ctx, csmsync.Progress{Phase: csmsync.PhasePull, Pages: 2, Changes: 10000, Percent: 40, Full: true}.String())
		<-release
		return "pulled 10000 changes in 2 pages (full)", nil
	}
	a := New(Options{Store: st, Sync: sync, Now: func() time.Time { return fixedNow }, StatusTTL: -1, WatchEvery: -1})
	l := startLive(t, a, 120, 30)
	l.until(t, 10*time.Second, "the book", func() bool { return a.book.loaded })
	l.press("s")
	l.until(t, 10*time.Second, "the sync's progress in the footer", func() bool {
		return strings.Contains(l.footer(), "syncing… pulling the full book: 2 pages, 10000 changes (40%) · nothing waiting")
	})
	close(release)
	untilMsg[syncDoneMsg](t, l, 10*time.Second)
	l.until(t, 10*time.Second, "the summary", func() bool {
		f := l.footer()
		return strings.Contains(f, "synced") && !strings.Contains(f, "pulling the full book")
	})
}

// Progress outside the cockpit (csm sync, tests) goes nowhere, and a
// line the footer has not drawn gives way to a newer one: SyncProgress
// never blocks the sync.
func TestSyncProgressNeverBlocks(t *testing.T) {
	SyncProgress(context.Background(), "nobody listens")
	lines := make(chan string, 1)
	ctx := withSyncProgress(context.Background(), lines)
	done := make(chan struct{})
	go func() {
		for i := range 100 {
			SyncProgress(ctx, strings.Repeat("x", i))
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("SyncProgress blocked")
	}
	if got := <-lines; got != strings.Repeat("x", 99) {
		t.Errorf("the footer would show %d x, want the newest (99)", len(got))
	}
}
