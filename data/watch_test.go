package data

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// versionOf reads the data version or fails the test.
func versionOf(t *testing.T, s *Store) int64 {
	t.Helper()
	v, err := s.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// openTwice opens one file through two stores, as two csm processes would.
func openTwice(t *testing.T) (*Store, *Store) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), DBFile)
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, path)
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		b.Close()
		a.Close()
	})
	return a, b
}

// The version stays put while nothing is written, and moves when another
// store on the same file commits, or this store's own pool does.
func TestDataVersionMovesOnOtherCommits(t *testing.T) {
	ctx := context.Background()
	a, b := openTwice(t)
	v0 := versionOf(t, a)
	if v := versionOf(t, a); v != v0 {
		t.Fatalf("version moved from %d to %d with nothing written", v0, v)
	}
	if err := b.SetLastSync(ctx, time.Now(), "from the other process"); err != nil {
		t.Fatal(err)
	}
	v1 := versionOf(t, a)
	if v1 == v0 {
		t.Fatal("version did not move after another store committed")
	}
	if v := versionOf(t, a); v != v1 {
		t.Fatalf("version moved from %d to %d with nothing more written", v1, v)
	}
	if err := a.SetLastSync(ctx, time.Now(), "from this process"); err != nil {
		t.Fatal(err)
	}
	if v := versionOf(t, a); v == v1 {
		t.Fatal("version did not move after a commit on the store's own pool")
	}
}

// After a failed call the connection is replaced; the next value is not
// comparable with the new connection's count, so it moves once, whether
// or not anything changed: a needless re-read, never a missed change.
func TestDataVersionAfterAnErrorMovesOnceThenHolds(t *testing.T) {
	a, _ := openTwice(t)
	v0 := versionOf(t, a)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.DataVersion(cancelled); err == nil {
		t.Fatal("DataVersion with a cancelled context succeeded")
	}
	v1 := versionOf(t, a)
	if v1 != v0+1 {
		t.Fatalf("after an error the version is %d, want %d (one more than the last)", v1, v0+1)
	}
	if v := versionOf(t, a); v != v1 {
		t.Fatalf("version moved from %d to %d with nothing written", v1, v)
	}
}

// The watch holds one of the pool's connections for good: the others
// still serve a burst of reads and writes at once.
func TestDataVersionLeavesThePoolToWritersAndReaders(t *testing.T) {
	a, _ := openTwice(t)
	versionOf(t, a)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	errs := make(chan error, 16)
	for i := range cap(errs) {
		go func() {
			if i%2 == 0 {
				errs <- a.SetLastSync(ctx, time.Now(), "burst")
				return
			}
			_, _, err := a.OutboxCounts(ctx)
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	versionOf(t, a)
}

// closeWatch gives the connection back, and a store closing answers no
// more: a late tick must not take a connection the pool's Close would
// leave open.
func TestDataVersionAfterCloseWatch(t *testing.T) {
	a, _ := openTwice(t)
	versionOf(t, a)
	a.closeWatch()
	if _, err := a.DataVersion(context.Background()); !errors.Is(err, errStoreClosed) {
		t.Fatalf("DataVersion after closeWatch: err = %v, want errStoreClosed", err)
	}
	if n := a.db.Stats().InUse; n != 0 {
		t.Fatalf("%d connections still out of the pool after closeWatch", n)
	}
}

// Close gives the watch's connection back with the others, and a closed
// store answers no more.
func TestDataVersionAfterClose(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), DBFile))
	if err != nil {
		t.Fatal(err)
	}
	versionOf(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := s.db.Stats().OpenConnections; n != 0 {
		t.Fatalf("%d connections still open after Close", n)
	}
	if _, err := s.DataVersion(context.Background()); !errors.Is(err, errStoreClosed) {
		t.Fatalf("DataVersion after Close: err = %v, want errStoreClosed", err)
	}
}

// DataVersion is asked every second by an open screen: it must stay in
// the microseconds.
func BenchmarkDataVersion(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), DBFile))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.DataVersion(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
