package sync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"csm/data"
)

// changesGate, once armed for n, holds the first n requests of /changes
// until all n have arrived, so that n pulls surely fetch from the same
// cursor before any of them applies a page. Other requests pass at once.
type changesGate struct {
	mu      gosync.Mutex
	n       int
	arrived int
	open    chan struct{}
}

// arm makes the next n requests of /changes wait for each other.
func (g *changesGate) arm(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n, g.arrived, g.open = n, 0, make(chan struct{})
}

func (g *changesGate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/changes") {
			next.ServeHTTP(w, r)
			return
		}
		if wait := g.enter(); wait != nil {
			select {
			case <-wait:
			case <-time.After(10 * time.Second):
				http.Error(w, `{"error":{"code":"gate","message":"the other pull never came"}}`, http.StatusBadRequest)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// enter counts a request and returns what it must wait for, nil if
// nothing: the gate is not armed, or this request is the n-th, which opens
// it.
func (g *changesGate) enter() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.arrived >= g.n {
		return nil
	}
	g.arrived++
	if g.arrived == g.n {
		close(g.open)
		return nil
	}
	return g.open
}

// secondHandle opens the fixture's database file again, as another csm
// process would: a separate *data.Store with its own connections.
func secondHandle(t *testing.T, f *fixture) *data.Store {
	t.Helper()
	st, err := data.Open(context.Background(), f.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// pullBoth runs one Pull on each handle at the same time and returns their
// errors.
func pullBoth(ctx context.Context, c *Client, stores [2]*data.Store, limit int) [2]error {
	var errs [2]error
	var wg gosync.WaitGroup
	for i, st := range stores {
		wg.Go(func() { _, errs[i] = Pull(ctx, c, st, limit) })
	}
	wg.Wait()
	return errs
}

// overtaken says whether err is what a sync that another one overtook may
// return: its cursor moved, or (with the per-database sync lock) it never
// started.
func overtaken(err error) bool {
	return errors.Is(err, data.ErrCursorMoved) || errors.Is(err, data.ErrSyncBusy)
}

// changeNotes changes the body of the server's first n notes: n changes in
// the feed after the current cursor.
func changeNotes(f *fixture, n int) {
	b := f.srv.Book(f.csm)
	for i := range min(n, len(b.Notes)) {
		note := b.Notes[i]
		note.Body = fmt.Sprintf("%s (edited %d)", note.Body, i)
		f.srv.Upsert(f.csm, EntityNote, note)
	}
}

// Two syncs of one database (the TUI's timer and cron, each with its own
// handle) fetch the first page of an incremental pull from the same cursor.
// The first to apply goes on to the end; the other finds the cursor moved,
// applies nothing and stops with ErrCursorMoved.
func TestPullsFromTheSameCursorOneStops(t *testing.T) {
	gate := &changesGate{}
	f := newFixture(t, 10, gate.wrap)
	ctx := context.Background()
	c := f.client(t)
	if _, err := Pull(ctx, c, f.store, 0); err != nil {
		t.Fatal(err)
	}
	changeNotes(f, 30)
	gate.arm(2)

	errs := pullBoth(ctx, c, [2]*data.Store{f.store, secondHandle(t, f)}, 7)
	moved := 0
	for i, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, data.ErrCursorMoved):
			moved++
		default:
			t.Fatalf("pull %d: %v", i, err)
		}
	}
	if moved != 1 {
		t.Fatalf("errors %v: want exactly one pull stopped with ErrCursorMoved", errs)
	}
	f.requireSameBook(t)
	if msg := errors.Join(errs[:]...).Error(); !strings.Contains(msg, "another sync") {
		t.Fatalf("the stopped pull says %q, want it to say another sync moved the cursor", msg)
	}
}

// Both syncs meet the same expired cursor (410): one starts the full
// resync, and the other must not start a second one over it.
func TestPullsOnAnExpiredCursorStartOneResync(t *testing.T) {
	gate := &changesGate{}
	f := newFixture(t, 10, gate.wrap)
	ctx := context.Background()
	c := f.client(t)
	if _, err := Pull(ctx, c, f.store, 0); err != nil {
		t.Fatal(err)
	}
	b := f.srv.Book(f.csm)
	f.srv.Delete(f.csm, EntityContact, b.Contacts[0].ID)
	f.srv.Compact(f.csm)
	before, err := f.store.SyncState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gate.arm(2)

	errs := pullBoth(ctx, c, [2]*data.Store{f.store, secondHandle(t, f)}, 7)
	moved := 0
	for i, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, data.ErrCursorMoved):
			moved++
		default:
			t.Fatalf("pull %d: %v", i, err)
		}
	}
	if moved != 1 {
		t.Fatalf("errors %v: want exactly one pull stopped with ErrCursorMoved", errs)
	}
	after, err := f.store.SyncState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Gen != before.Gen+1 || after.FullInProgress {
		t.Fatalf("state %+v after the race from generation %d: want one finished resync", after, before.Gen)
	}
	f.requireSameBook(t)
}

// Two pulls on a fresh database, left to interleave as they may, in small
// pages: whatever the order, each ends without error or stops because the
// other overtook it, and the database ends equal to the server's book.
func TestPullsRacingOnOneDatabaseEndWithTheServersBook(t *testing.T) {
	for round := range 5 {
		t.Run(fmt.Sprint("round ", round), func(t *testing.T) {
			f := newFixture(t, 6, nil)
			ctx := context.Background()
			c := f.client(t)
			errs := pullBoth(ctx, c, [2]*data.Store{f.store, secondHandle(t, f)}, 13+round)
			for i, err := range errs {
				if err != nil && !overtaken(err) {
					t.Fatalf("pull %d: %v", i, err)
				}
			}
			if errs[0] != nil && errs[1] != nil {
				t.Fatalf("both pulls stopped (%v, %v): one must go on to the end", errs[0], errs[1])
			}
			f.requireSameBook(t)
			st, err := f.store.SyncState(ctx)
			if err != nil || st.FullInProgress {
				t.Fatalf("state after the race = %+v, %v: want the full sync finished", st, err)
			}
		})
	}
}
