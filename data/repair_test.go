package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var repairTime = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

// damage rewrites the file at path with fn applied to its bytes.
func damage(t *testing.T, path string, fn func(b []byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, fn(b), 0o600); err != nil {
		t.Fatal(err)
	}
}

// repaired runs Repair and checks what every repair must leave: the damaged
// copy as it was, a sound new file that opens, no leftovers.
func repaired(t *testing.T, path string) (RepairReport, *Store) {
	t.Helper()
	before := hashFile(t, path)
	rep, err := Repair(context.Background(), path, repairTime)
	if err != nil {
		t.Fatalf("Repair: %v", err)
	}
	if want := path + ".damaged-20261120-093000"; rep.DamagedCopy != want {
		t.Errorf("damaged copy at %s, want %s", rep.DamagedCopy, want)
	}
	if hashFile(t, rep.DamagedCopy) != before {
		t.Error("the damaged copy differs from the damaged file")
	}
	// Nothing but the new file and the damaged copy (and its WAL, if it
	// had one).
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".repair") || strings.HasSuffix(e.Name(), "-shm") {
			t.Errorf("leftover %s", e.Name())
		}
	}
	if err := Check(context.Background(), path); err != nil {
		t.Fatalf("the repaired file fails its check: %v", err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open the repaired file: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return rep, s
}

func count(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// sameOutbox checks that got holds exactly the want entries, unchanged.
func sameOutbox(t *testing.T, got, want []Mutation) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("outbox holds %d changes, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Seq != w.Seq || g.ID != w.ID || g.Type != w.Type || string(g.Data) != string(w.Data) ||
			!g.At.Equal(w.At) || g.EntityID != w.EntityID || g.AccountID != w.AccountID {
			t.Errorf("change %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestRepairKeepsEveryChangeWhenTheDamageIsElsewhere(t *testing.T) {
	w := newWorkDB(t)
	usage := leafPages(t, w.path, "usage_months")
	damage(t, w.path, func(b []byte) []byte { smash(b, w.pageSize, usage[len(usage)/2]); return b })
	if err := Check(context.Background(), w.path); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Check before repair = %v, want ErrCorrupt", err)
	}

	rep, s := repaired(t, w.path)
	if rep.Changes != 12 || rep.Kept != 12 || rep.Unreadable != 0 {
		t.Errorf("report = %+v, want 12 of 12 kept", rep)
	}
	if got := rep.String(); got != "kept 12 of 12 unsent changes; 0 unreadable" {
		t.Errorf("report reads %q", got)
	}
	got, err := s.Pending(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	sameOutbox(t, got, w.outbox)
	// The local rows behind them, for the screens: 3 notes, 3 follow-ups
	// (2 next steps and 1 task), 2 checklist ticks, 1 play run.
	for table, want := range map[string]int{"notes": 3, "tasks": 3, "checklist_items": 2, "play_runs": 1, "accounts": 6} {
		if n := count(t, s, table); n != want {
			t.Errorf("%s: %d rows, want %d", table, n, want)
		}
	}
	if rep.Rows != 9 || rep.RowsLost != 0 {
		t.Errorf("rows carried %d, lost %d; want 9 and 0", rep.Rows, rep.RowsLost)
	}
	// The damaged copy is still damaged: it was copied, not repaired.
	if err := Check(context.Background(), rep.DamagedCopy); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Check of the damaged copy = %v", err)
	}
	// Work goes on in the repaired file.
	if _, err := s.CreateTask(context.Background(), w.accounts[0].ID, "after repair", nil); err != nil {
		t.Fatalf("write after repair: %v", err)
	}
}

func TestRepairCountsChangesOnAnUnreadablePage(t *testing.T) {
	w := newWorkDB(t)
	leaves := leafPages(t, w.path, "outbox")
	if len(leaves) < 2 {
		t.Skipf("the outbox fits one page (%v): nothing would survive", leaves)
	}
	damage(t, w.path, func(b []byte) []byte { smash(b, w.pageSize, leaves[0]); return b })

	rep, s := repaired(t, w.path)
	t.Logf("repair: %s", rep)
	if rep.Changes != 12 || rep.Kept == 0 || rep.Unreadable == 0 || rep.Kept+rep.Unreadable != 12 {
		t.Fatalf("report = %+v, want the 12 changes found, some kept and some unreadable", rep)
	}
	got, err := s.Pending(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	// What was kept is the newest changes, whole and in order.
	sameOutbox(t, got, w.outbox[12-rep.Kept:])
}

func TestRepairKeepsChangesStillInTheWAL(t *testing.T) {
	ctx := context.Background()
	w := newWorkDB(t)
	s, err := Open(ctx, w.path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := s.CreateTask(ctx, w.accounts[i].ID, "written just before the crash", nil); err != nil {
			t.Fatal(err)
		}
	}
	// Copy the files as a killed csm leaves them: the last changes are
	// in the WAL only.
	crashed := filepath.Join(t.TempDir(), DBFile)
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(w.path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(crashed+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	usage := leafPages(t, w.path, "usage_months")
	damage(t, crashed, func(b []byte) []byte { smash(b, w.pageSize, usage[len(usage)/2]); return b })

	rep, _ := repaired(t, crashed)
	if rep.Changes != 15 || rep.Kept != 15 {
		t.Fatalf("report = %+v, want 15 of 15 kept", rep)
	}
	if _, err := os.Stat(rep.DamagedCopy + "-wal"); err != nil {
		t.Errorf("the damaged file's WAL was not copied aside: %v", err)
	}
}

func TestRepairOfAFileThatIsNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), DBFile)
	if err := os.WriteFile(path, []byte("this is a spreadsheet, not a database\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, s := repaired(t, path)
	if rep.Changes != 0 || rep.Kept != 0 {
		t.Errorf("report = %+v, want nothing found", rep)
	}
	if n := count(t, s, "outbox"); n != 0 {
		t.Errorf("outbox holds %d", n)
	}
}

func TestRepairRefusals(t *testing.T) {
	dir := t.TempDir()
	_, err := Repair(context.Background(), filepath.Join(dir, DBFile), repairTime)
	if err == nil || !strings.Contains(err.Error(), "there is no database at") {
		t.Fatalf("repair of a missing file: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("repair of a missing file left %d files", len(entries))
	}
}

func TestRepairTwiceInTheSameSecondKeepsBothCopies(t *testing.T) {
	path := filepath.Join(t.TempDir(), DBFile)
	var copies []string
	for range 2 {
		if err := os.WriteFile(path, []byte("not a database"), 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := Repair(context.Background(), path, repairTime)
		if err != nil {
			t.Fatal(err)
		}
		copies = append(copies, rep.DamagedCopy)
	}
	if copies[0] == copies[1] || !slices.Contains(copies, path+".damaged-20261120-093000-2") {
		t.Fatalf("copies = %v", copies)
	}
}
