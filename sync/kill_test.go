package sync

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"csm/data"
)

// TestKillMidWriteLosesNothing kills a process writing notes with SIGKILL
// at random instants, 50 times on the same database file, then checks that
// every note the process had been told was saved is there, whole, queued
// exactly once, and reaches the server exactly once.
//
// Replay a failure with CSM_KILL_SEED=<the logged seed>.
func TestKillMidWriteLosesNothing(t *testing.T) {
	const kills = 50
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("CSM_KILL_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	f := newFixture(t, 20, nil)
	ctx := context.Background()
	c := f.client(t)
	// The children write notes on the real accounts of the server's book.
	if _, err := Pull(ctx, c, f.store, 0); err != nil {
		t.Fatal(err)
	}
	path := f.store.Path()
	// With no handle of ours open, each child opens a file whose last
	// writer was killed, and must recover its WAL itself.
	if err := f.store.Close(); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	var acked []string
	for i := range kills {
		ch := startChild(t, path, "kill-child", 0)
		ch.waitReady(t)
		ch.begin(t)
		time.Sleep(5*time.Millisecond + time.Duration(rng.Int64N(int64(145*time.Millisecond))))
		ch.kill()
		ch.wait()
		if ch.cmd.ProcessState.ExitCode() != -1 {
			t.Fatalf("kill %d: the child exited by itself (%v): %s", i, ch.cmd.ProcessState, ch.report())
		}
		if len(ch.errors) > 0 {
			t.Fatalf("kill %d: a write failed in the child: %s", i, ch.report())
		}
		acked = append(acked, ch.acked()...)
	}
	killing := time.Since(start)

	st, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.store = st
	local := checkNotesWhole(t, st, acked, "kill-child")
	if t.Failed() {
		t.FailNow()
	}
	if len(acked) == 0 {
		t.Fatal("no child acknowledged a note before its kill: the test proves nothing")
	}
	t.Logf("%d kills in %s: %d notes acknowledged, %d found (+%d saved but killed before the ack), %d tasks, outbox %d",
		kills, killing.Round(time.Millisecond), len(acked), local.notes, local.notes-len(acked), local.tasks, local.outbox)

	// Now the queue goes to the server: each change exactly once.
	before := f.srv.MutationCount(f.csm)
	pushStart := time.Now()
	sum, err := Run(ctx, c, st)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Pushed != local.outbox || sum.Rejected != 0 {
		t.Fatalf("pushed %d, rejected %d, want %d and 0", sum.Pushed, sum.Rejected, local.outbox)
	}
	if got := f.srv.MutationCount(f.csm) - before; got != local.outbox {
		t.Fatalf("server applied %d mutations, want %d", got, local.outbox)
	}
	if p, r := pendingCount(t, st); p+r != 0 {
		t.Fatalf("outbox after sync: %d pending, %d rejected", p, r)
	}
	serverHasNotesOnce(t, f, local, "kill-child")
	f.requireSameBook(t)
	t.Logf("pushed %d changes in %s; whole test %s", sum.Pushed, time.Since(pushStart).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}
