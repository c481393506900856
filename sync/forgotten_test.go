package sync

import (
	"context"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

// A server restored from an older backup has forgotten notes, revisions
// and follow-ups this device pushed. Its new epoch expires the client's
// cursor; the full resync that follows must not sweep them away: they are
// queued again with their own ids and pushed at once.
func TestFullResyncGivesBackWhatTheServerLost(t *testing.T) {
	ctx := context.Background()
	books := model.Generate(model.GenOptions{Seed: 3, Accounts: 10, Days: 120, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})
	tenants := []Tenant{{Token: testToken, Book: books[0]}}
	f := newFixture(t, 10, nil)
	f.srv = NewServer(tenants)
	f.http.Config.Handler = f.srv.Handler()
	c := f.client(t)
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	acct := books[0].Accounts[0].ID
	due := model.MakeDate(2026, 12, 4)
	note, err := f.store.CreateNote(ctx, data.NewNote{AccountID: acct, Kind: model.NoteCall, HappenedAt: time.Now(),
		Body: "Renewal call: they want the SSO add-on", NextSteps: []data.NextStep{{Title: "Send the SSO quote", DueOn: &due}}})
	if err != nil {
		t.Fatal(err)
	}
	rev, err := f.store.ReviseNote(ctx, note.ID, model.NoteCall, "Renewal call: they want SSO and audit logs", note.HappenedAt, nil)
	if err != nil {
		t.Fatal(err)
	}
	task, err := f.store.CreateTask(ctx, acct, "Book the QBR", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	if got := f.srv.MutationCount(f.csm); got != 4 {
		t.Fatalf("the first server applied %d mutations, want 4", got)
	}

	// The restored server: the same book as before the CSM's work.
	restored := NewServer(tenants)
	hs := httptest.NewServer(restored.Handler())
	defer hs.Close()
	c2, err := NewClient(hs.URL, testToken, WithRetry(Retry{Attempts: 3, Base: time.Millisecond, Max: 5 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Run(ctx, c2, f.store)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sync with the restored server: %s", sum)
	if !sum.Pull.FullResync || sum.Pull.Requeued != 4 || sum.Pushed != 4 {
		t.Fatalf("full resync %v, requeued %d, pushed %d; want a full resync that requeued and pushed 4", sum.Pull.FullResync, sum.Pull.Requeued, sum.Pushed)
	}
	back := restored.Book(books[0].CSM.ID)
	has := map[string]bool{}
	for _, n := range back.Notes {
		has[n.ID] = true
		if n.ID == rev.ID && (n.Supersedes == nil || *n.Supersedes != note.ID || n.Revision != 2) {
			t.Errorf("the revision came back as %+v", n)
		}
	}
	for _, tk := range back.Tasks {
		has[tk.ID] = true
	}
	for _, id := range []string{note.ID, rev.ID, task.ID} {
		if !has[id] {
			t.Errorf("%s is not on the restored server", id)
		}
	}
	// Nothing is queued twice: the next sync pushes nothing.
	sum, err = Run(ctx, c2, f.store)
	if err != nil || sum.Pushed != 0 || sum.Pull.Requeued != 0 {
		t.Fatalf("the next sync: %s, %v; want nothing pushed", sum, err)
	}
	if n, _, err := f.store.OutboxCounts(ctx); err != nil || n != 0 {
		t.Fatalf("outbox holds %d (%v)", n, err)
	}
}

// The team server's database is restored from a backup taken before the
// CSM's work (same epoch: the backup holds it). The client's cursor is now
// ahead of the feed: it starts again, and gives back what it made.
func TestTeamServerRestoredFromABackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := dir + "/team.db"
	books := model.Generate(model.GenOptions{Seed: 5, Accounts: 8, Days: 90, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})
	store, err := OpenSQLStore(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SeedTenants(ctx, []Tenant{{Token: testToken, Book: books[0]}}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	backup := dir + "/team.db.backup"
	copyFileTo(t, dbPath, backup)

	serve := func() (*SQLStore, *httptest.Server, *Client) {
		st, err := OpenSQLStore(ctx, dbPath)
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(NewServerWith(st).Handler())
		c, err := NewClient(hs.URL, testToken, WithRetry(Retry{Attempts: 3, Base: time.Millisecond, Max: 5 * time.Millisecond}))
		if err != nil {
			t.Fatal(err)
		}
		return st, hs, c
	}
	st, hs, c := serve()
	client, err := data.Open(ctx, t.TempDir()+"/"+data.DBFile)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if _, err := Run(ctx, c, client); err != nil {
		t.Fatal(err)
	}
	note, err := client.CreateNote(ctx, data.NewNote{AccountID: books[0].Accounts[0].ID, Kind: model.NoteQBR,
		HappenedAt: time.Now(), Body: "QBR: expansion to the EU team in Q1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, c, client); err != nil {
		t.Fatal(err)
	}
	hs.Close()
	st.Close()

	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(dbPath + suffix)
	}
	copyFileTo(t, backup, dbPath)
	st, hs, c = serve()
	defer st.Close()
	defer hs.Close()
	sum, err := Run(ctx, c, client)
	if err != nil {
		t.Fatalf("sync with the restored server: %v", err)
	}
	t.Logf("sync with the restored server: %s", sum)
	if !sum.Pull.FullResync || sum.Pull.Requeued != 1 {
		t.Fatalf("full resync %v, requeued %d; want a full resync giving back the note", sum.Pull.FullResync, sum.Pull.Requeued)
	}
	srv := NewServerWith(st)
	found := false
	for _, n := range srv.Book(books[0].CSM.ID).Notes {
		found = found || n.ID == note.ID
	}
	if !found {
		t.Fatal("the note is not on the restored server")
	}
}

func copyFileTo(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
