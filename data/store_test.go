package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"csm/model"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func userVersion(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpenMigratesEmptyFile(t *testing.T) {
	s := openTemp(t)
	if got := userVersion(t, s.db); got != SchemaVersion {
		t.Fatalf("user_version = %d, want %d", got, SchemaVersion)
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v), want wal", mode, err)
	}
	var fk int
	if err := s.db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d (%v), want 1", fk, err)
	}
}

func TestOpenMigratesEachPreviousVersion(t *testing.T) {
	for from := 1; from < SchemaVersion; from++ {
		path := filepath.Join(t.TempDir(), DBFile)
		db, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		if err := migrateTo(context.Background(), db, from); err != nil {
			t.Fatalf("migrate to %d: %v", from, err)
		}
		// A row written by the old version must survive the upgrade.
		if _, err := db.Exec(`INSERT INTO accounts (id, name, data, gen) VALUES ('a1', 'Old Co', '{"id":"a1","name":"Old Co"}', 1)`); err != nil {
			t.Fatal(err)
		}
		db.Close()
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatalf("open a version %d database: %v", from, err)
		}
		if got := userVersion(t, s.db); got != SchemaVersion {
			t.Errorf("from %d: user_version = %d, want %d", from, got, SchemaVersion)
		}
		a, err := s.Account(context.Background(), "a1")
		if err != nil || a.Name != "Old Co" {
			t.Errorf("from %d: account after migration = %+v, %v", from, a, err)
		}
		s.Close()
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), DBFile)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(context.Background(), path); err == nil {
		t.Fatal("opening a database from a newer csm succeeded")
	}
}

func acct(id, name string) model.Account {
	return model.Account{ID: id, Name: name, Tier: model.TierMidTouch, Stage: model.StageAdoption, Licenses: 10,
		Currency: "USD", UpdatedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
}

func upsert(entity string, v any, id string) Change {
	return Change{Entity: entity, Op: "upsert", ID: id, Value: v}
}

func TestApplyPageIsIdempotentAndStoresCursor(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if err := s.BeginFullResync(ctx); err != nil {
		t.Fatal(err)
	}
	page := Page{
		Changes: []Change{
			upsert("account", acct("a1", "Acme"), "a1"),
			upsert("contact", model.Contact{ID: "c1", AccountID: "a1", Name: "Ann"}, "c1"),
		},
		NextCursor: "cur-1",
	}
	for i := 0; i < 2; i++ {
		if _, err := s.ApplyPage(ctx, page); err != nil {
			t.Fatalf("apply #%d: %v", i+1, err)
		}
	}
	b, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Accounts) != 1 || len(b.Contacts) != 1 {
		t.Fatalf("after applying twice: %d accounts, %d contacts; want 1 and 1", len(b.Accounts), len(b.Contacts))
	}
	st, err := s.SyncState(ctx)
	if err != nil || st.Cursor != "cur-1" || !st.FullInProgress {
		t.Fatalf("sync state = %+v, %v", st, err)
	}
}

func TestApplyPageSkipsOrphans(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	stats, err := s.ApplyPage(ctx, Page{Changes: []Change{
		upsert("contact", model.Contact{ID: "c1", AccountID: "nobody", Name: "Ann"}, "c1"),
		upsert("account", acct("a1", "Acme"), "a1"),
	}, NextCursor: "x", Last: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats.Orphans) != 1 || stats.Upserted != 1 {
		t.Fatalf("stats = %+v, want one orphan and one upsert", stats)
	}
}

func TestDeleteCascadesToAccountRows(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	_, err := s.ApplyPage(ctx, Page{Changes: []Change{
		upsert("account", acct("a1", "Acme"), "a1"),
		upsert("contact", model.Contact{ID: "c1", AccountID: "a1"}, "c1"),
		{Entity: "account", Op: "delete", ID: "a1"},
	}, NextCursor: "x", Last: true})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Snapshot(ctx)
	if len(b.Accounts)+len(b.Contacts) != 0 {
		t.Fatalf("deleted account left %d accounts, %d contacts", len(b.Accounts), len(b.Contacts))
	}
}

func TestFullResyncSweepsOnlyAtTheEnd(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.BeginFullResync(ctx))
	_, err := s.ApplyPage(ctx, Page{Changes: []Change{
		upsert("account", acct("a1", "Acme"), "a1"),
		upsert("account", acct("a2", "Gone Ltd"), "a2"),
	}, NextCursor: "c1", Last: true})
	must(err)

	// The server forgot a2: a new full resync must keep it visible until
	// the last page, then remove it.
	must(s.BeginFullResync(ctx))
	_, err = s.ApplyPage(ctx, Page{Changes: []Change{upsert("account", acct("a1", "Acme 2"), "a1")}, NextCursor: "c2"})
	must(err)
	if b, _ := s.Snapshot(ctx); len(b.Accounts) != 2 {
		t.Fatalf("mid-resync: %d accounts, want the old 2 still readable", len(b.Accounts))
	}
	_, err = s.ApplyPage(ctx, Page{NextCursor: "c3", Last: true})
	must(err)
	b, _ := s.Snapshot(ctx)
	if len(b.Accounts) != 1 || b.Accounts[0].Name != "Acme 2" {
		t.Fatalf("after resync: %+v, want only Acme 2", b.Accounts)
	}
	st, _ := s.SyncState(ctx)
	if st.FullInProgress || st.Cursor != "c3" {
		t.Fatalf("state after resync = %+v", st)
	}
}

// A connection lent to a refetchable write goes back to the pool with
// synchronous=FULL, so the next local change on it is durable.
func TestRefetchableWritesLeaveConnectionsFull(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	s.db.SetMaxOpenConns(1) // every statement below uses the same connection
	if err := s.BeginFullResync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyPage(ctx, Page{NextCursor: "c", Last: true}); err != nil {
		t.Fatal(err)
	}
	var mode int
	if err := s.db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != 2 { // FULL
		t.Fatalf("synchronous = %d after a refetchable write, want 2 (FULL)", mode)
	}
}
