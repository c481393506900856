package data

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// syncStateOf reads the sync state or fails the test.
func syncStateOf(t *testing.T, s *Store) SyncState {
	t.Helper()
	st, err := s.SyncState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// accountNames lists the names of the stored accounts by id.
func accountNames(t *testing.T, s *Store) map[string]string {
	t.Helper()
	b, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, a := range b.Accounts {
		names[a.ID] = a.Name
	}
	return names
}

// Two syncs of one database, each with its own handle as two processes
// would have, fetch the same first page. The one that applies second finds
// the cursor moved and writes nothing: not its page, not its cursor.
func TestApplyPageFromAMovedCursorAppliesNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), DBFile)
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	start, err := a.BeginFullResyncFrom(ctx, syncStateOf(t, a).Position())
	if err != nil {
		t.Fatal(err)
	}
	// Both read the state before either applied.
	fromA, fromB := syncStateOf(t, a).Position(), syncStateOf(t, b).Position()
	if fromA != start || fromB != start {
		t.Fatalf("positions read %+v and %+v, want %+v", fromA, fromB, start)
	}
	if _, err := a.ApplyPage(ctx, Page{Changes: []Change{upsert("account", acct("a1", "Acme"), "a1")}, NextCursor: "c1", From: &fromA}); err != nil {
		t.Fatalf("first apply: %v", err)
	}
	stats, err := b.ApplyPage(ctx, Page{Changes: []Change{upsert("account", acct("a2", "Stale Co"), "a2")}, NextCursor: "stale", From: &fromB})
	if !errors.Is(err, ErrCursorMoved) {
		t.Fatalf("apply from a moved cursor: err = %v, want ErrCursorMoved", err)
	}
	if stats.Upserted != 0 {
		t.Fatalf("apply from a moved cursor reports %d upserts", stats.Upserted)
	}
	if names := accountNames(t, b); len(names) != 1 || names["a1"] != "Acme" {
		t.Fatalf("accounts after the refused page: %v, want only a1", names)
	}
	if st := syncStateOf(t, b); st.Cursor != "c1" || st.Gen != start.Gen || !st.FullInProgress {
		t.Fatalf("state after the refused page = %+v, want cursor c1 of generation %d, full resync going on", st, start.Gen)
	}

	// From where the store now is, the same handle applies fine.
	now := syncStateOf(t, b).Position()
	if _, err := b.ApplyPage(ctx, Page{Changes: []Change{upsert("account", acct("a2", "Next Co"), "a2")}, NextCursor: "c2", Last: true, From: &now}); err != nil {
		t.Fatalf("apply from the current cursor: %v", err)
	}
	if names := accountNames(t, a); len(names) != 2 || names["a2"] != "Next Co" {
		t.Fatalf("accounts after the current page: %v", names)
	}
}

// A page fetched before another sync started a full resync belongs to the
// old generation: applying it would stamp old-feed rows with the new
// generation and put a cursor of the old feed in the middle of the resync.
func TestApplyPageFromAnOldGenerationAppliesNothing(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if err := s.BeginFullResync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyPage(ctx, Page{Changes: []Change{upsert("account", acct("a1", "Acme"), "a1")}, NextCursor: "c1", Last: true}); err != nil {
		t.Fatal(err)
	}
	old := syncStateOf(t, s).Position()
	// Another sync met a 410 and started again from nothing.
	if err := s.BeginFullResync(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := s.ApplyPage(ctx, Page{Changes: []Change{upsert("account", acct("a1", "Acme renamed"), "a1")}, NextCursor: "c2", From: &old})
	if !errors.Is(err, ErrCursorMoved) {
		t.Fatalf("apply from the old generation: err = %v, want ErrCursorMoved", err)
	}
	if names := accountNames(t, s); names["a1"] != "Acme" {
		t.Fatalf("a1 is %q after the refused page, want Acme", names["a1"])
	}
	if st := syncStateOf(t, s); st.Cursor != "" || st.Gen != old.Gen+1 || !st.FullInProgress {
		t.Fatalf("state = %+v, want the new resync untouched at its start", st)
	}
}

// Two syncs both find a fresh database and both decide to start a full
// resync: the second start would throw the first one's progress away, so it
// is refused and the generation moves once.
func TestBeginFullResyncFromKeepsAResyncAnotherStarted(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	seen := syncStateOf(t, s).Position()
	first, err := s.BeginFullResyncFrom(ctx, seen)
	if err != nil {
		t.Fatal(err)
	}
	if first.Cursor != "" || first.Gen != seen.Gen+1 {
		t.Fatalf("first start at %+v, want generation %d from the empty cursor", first, seen.Gen+1)
	}
	if _, err := s.ApplyPage(ctx, Page{Changes: []Change{upsert("account", acct("a1", "Acme"), "a1")}, NextCursor: "c1", From: &first}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.BeginFullResyncFrom(ctx, seen); !errors.Is(err, ErrCursorMoved) {
		t.Fatalf("second start from the same state: err = %v, want ErrCursorMoved", err)
	}
	if st := syncStateOf(t, s); st.Cursor != "c1" || st.Gen != first.Gen || !st.FullInProgress {
		t.Fatalf("state after the refused start = %+v, want the first resync's progress kept", st)
	}

	// A sync that is where the store is (its cursor expired, say) may
	// start one.
	again, err := s.BeginFullResyncFrom(ctx, syncStateOf(t, s).Position())
	if err != nil {
		t.Fatal(err)
	}
	if again.Gen != first.Gen+1 {
		t.Fatalf("restart at generation %d, want %d", again.Gen, first.Gen+1)
	}
}
