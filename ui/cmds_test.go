package ui

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestQuitCancelsWhatIsRunning: a sync is running when the CSM presses q;
// the sync's context ends at once, and a command that starts after the
// quit does nothing.
func TestQuitCancelsWhatIsRunning(t *testing.T) {
	st := fixtureStore(t, 10)
	started := make(chan struct{})
	sync := func(ctx context.Context) (string, error) {
		close(started)
		<-ctx.Done()
		return "", ctx.Err()
	}
	a := New(Options{Store: st, Sync: sync, Now: func() time.Time { return fixedNow }, StatusTTL: -1, WatchEvery: -1})
	// The sync comes batched with the listener of its progress: each
	// runs on its own goroutine, as the program runs them.
	batch, ok := a.syncNow()().(tea.BatchMsg)
	if !ok {
		t.Fatal("s did not start a sync and its progress")
	}
	done := make(chan tea.Msg, len(batch))
	for _, c := range batch {
		go func() { done <- c() }()
	}
	<-started

	_, quit := a.Update(keyMsg("q"))
	if quit == nil {
		t.Fatal("q gave no command")
	}
	if _, ok := quit().(tea.QuitMsg); !ok {
		t.Fatal("q did not quit")
	}
	timeout := time.After(5 * time.Second)
	for ended := false; !ended; {
		select {
		case msg := <-done:
			m, ok := msg.(syncDoneMsg)
			if !ok {
				continue // the progress listener's end
			}
			if !errors.Is(m.err, context.Canceled) {
				t.Fatalf("the sync ended with %#v, want context.Canceled", msg)
			}
			ended = true
		case <-timeout:
			t.Fatal("quitting did not cancel the running sync")
		}
	}
	if msg := a.loadBook()(); msg != nil {
		t.Fatalf("a read after the quit ran: %#v", msg)
	}
}

// TestProgramContextEndsCommands: when the program's context ends (a
// signal), the UI's commands end with it.
func TestProgramContextEndsCommands(t *testing.T) {
	st := fixtureStore(t, 10)
	ctx, cancel := context.WithCancel(context.Background())
	a := New(Options{Store: st, Context: ctx, Now: func() time.Time { return fixedNow }})
	if _, ok := a.loadBook()().(bookLoadedMsg); !ok {
		t.Fatal("no book before the end")
	}
	cancel()
	if msg := a.loadBook()(); msg != nil {
		t.Fatalf("a read after the end ran: %#v", msg)
	}
}
