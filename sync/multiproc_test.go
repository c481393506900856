package sync

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

// A CSM runs the TUI, `csm note` from a shell and `csm sync` from cron on
// one database. Each of those is a process that opens the database, does
// one thing and closes it; the children below do exactly that in a loop,
// so every open, migration check, lock and checkpoint of a real invocation
// races with the others.

const (
	envLoopDB     = "CSM_LOOP_DB"     // the database; unset: not a child
	envLoopRole   = "CSM_LOOP_ROLE"   // "note" or "sync"
	envLoopOps    = "CSM_LOOP_OPS"    // how many invocations
	envLoopAuthor = "CSM_LOOP_AUTHOR" // the author of a note writer's notes
	envLoopServer = "CSM_LOOP_SERVER" // the server a syncer syncs with
)

// TestChildInvocations is the child's body; it does nothing in a normal
// run. It prints "ready", waits for a line on stdin, then "note <id> 0"
// for each note saved, "sync" for each sync (or "busy" when another sync
// had the database), and "error <what>" on any failure.
func TestChildInvocations(t *testing.T) {
	path := os.Getenv(envLoopDB)
	if path == "" {
		t.Skip("runs only as a child of TestManyProcessesOneDatabase")
	}
	ops, _ := strconv.Atoi(os.Getenv(envLoopOps))
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return
	}
	ctx := context.Background()
	var invoke func(i int) error
	switch os.Getenv(envLoopRole) {
	case "note":
		author := os.Getenv(envLoopAuthor)
		invoke = func(i int) error { return invokeNote(ctx, path, author, i) }
	case "sync":
		c, err := NewClient(os.Getenv(envLoopServer), testToken,
			WithRetry(Retry{Attempts: 5, Base: time.Millisecond, Max: 20 * time.Millisecond}), WithTimeout(10*time.Second))
		if err != nil {
			fmt.Printf("error client: %v\n", err)
			t.FailNow()
		}
		invoke = func(int) error { return invokeSync(ctx, path, c) }
	}
	for i := range ops {
		if err := invoke(i); err != nil {
			fmt.Printf("error invocation %d: %v\n", i, err)
		}
	}
}

// invokeNote is one `csm note`: open, save a note with a next step, close.
func invokeNote(ctx context.Context, path, author string, i int) error {
	st, err := data.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer st.Close()
	accts, err := st.Accounts(ctx)
	if err != nil || len(accts) == 0 {
		return fmt.Errorf("read accounts (%d): %v", len(accts), err)
	}
	n, err := st.CreateNote(ctx, data.NewNote{
		AccountID: accts[i%len(accts)].ID, Kind: model.NoteCall, HappenedAt: time.Now(), Author: author,
		Body: fmt.Sprintf("%s, note %d", author, i), NextSteps: []data.NextStep{{Title: fmt.Sprintf("follow up %d", i)}},
	})
	if err != nil {
		return fmt.Errorf("save: %w", err)
	}
	fmt.Printf("note %s 0\n", n.ID)
	return nil
}

// invokeSync is one `csm sync`.
func invokeSync(ctx context.Context, path string, c *Client) error {
	st, err := data.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer st.Close()
	_, err = Run(ctx, c, st)
	switch {
	case errors.Is(err, data.ErrSyncBusy):
		fmt.Println("busy")
	case err != nil:
		return fmt.Errorf("sync: %w", err)
	default:
		fmt.Println("sync")
	}
	return nil
}

func TestManyProcessesOneDatabase(t *testing.T) {
	const ops = 300
	f := newFixture(t, 20, nil)
	ctx := context.Background()
	c := f.client(t)
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	// Nobody else has the database open, as when no TUI runs: each
	// invocation may be the last to close it, and SQLite then folds the
	// WAL into the file and removes it, under the others' opens.
	path := f.store.Path()
	f.store.Close()
	loop := func(role, author string) *child {
		return spawnChild(t, "TestChildInvocations", envLoopDB+"="+path, envLoopRole+"="+role,
			envLoopOps+"="+strconv.Itoa(ops), envLoopAuthor+"="+author, envLoopServer+"="+f.http.URL)
	}
	a, b, s := loop("note", "shell-a"), loop("note", "shell-b"), loop("sync", "")
	for _, ch := range []*child{a, b, s} {
		ch.waitReady(t)
	}
	start := time.Now()
	for _, ch := range []*child{a, b, s} {
		ch.begin(t)
	}
	for name, ch := range map[string]*child{"writer a": a, "writer b": b, "syncer": s} {
		if err := ch.wait(); err != nil || len(ch.errors) > 0 {
			t.Errorf("%s: exit %v: %s", name, err, ch.report())
		}
	}
	took := time.Since(start)
	if t.Failed() {
		t.FailNow()
	}
	if len(a.acked()) != ops || len(b.acked()) != ops {
		t.Fatalf("writers saved %d and %d notes, want %d each", len(a.acked()), len(b.acked()), ops)
	}
	syncs := 0
	for _, line := range s.other {
		if line == "sync" {
			syncs++
		}
	}
	if syncs != ops {
		t.Fatalf("the syncer finished %d syncs of %d: %s", syncs, ops, s.report())
	}
	t.Logf("3 processes x %d invocations in %s: 0 failures", ops, took.Round(time.Millisecond))
	st, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.store = st

	// What the syncer has not pushed yet goes now; then every note is on
	// the server exactly once, and nothing waits.
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	if n, _, err := f.store.OutboxCounts(ctx); err != nil || n != 0 {
		t.Fatalf("after the last sync the outbox holds %d (%v)", n, err)
	}
	local := localNotes(t, f.store, "shell-a", "shell-b")
	for _, id := range append(a.acked(), b.acked()...) {
		if !local.noteIDs[id] {
			t.Errorf("acknowledged note %s is not in the database", id)
		}
	}
	if local.notes != 2*ops {
		t.Fatalf("database holds %d notes of the writers, want %d", local.notes, 2*ops)
	}
	serverHasNotesOnce(t, f, local, "shell-a", "shell-b")
	requireIntegrity(t, f.store)
}

// localNotes counts the notes of these authors in the database and the
// follow-ups made from them.
func localNotes(t *testing.T, st *data.Store, authors ...string) noteCheck {
	t.Helper()
	ours := map[string]bool{}
	for _, a := range authors {
		ours[a] = true
	}
	snap, err := st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	nc := noteCheck{noteIDs: map[string]bool{}}
	for _, n := range snap.Notes {
		if ours[n.Author] {
			nc.noteIDs[n.ID] = true
			nc.notes++
		}
	}
	for _, tk := range snap.Tasks {
		if tk.NoteID != nil && nc.noteIDs[*tk.NoteID] {
			nc.tasks++
		}
	}
	return nc
}
