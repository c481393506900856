package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"csm/model"
)

// workDB is a real database, closed cleanly: a generated book of 60
// accounts and 12 queued changes of every local kind.
type workDB struct {
	path     string
	accounts []model.Account
	pageSize int
	outbox   []Mutation // what was queued, oldest first
}

func newWorkDB(t testing.TB) workDB {
	t.Helper()
	ctx := context.Background()
	w := workDB{path: filepath.Join(t.TempDir(), DBFile)}
	s, err := Open(ctx, w.path)
	if err != nil {
		t.Fatal(err)
	}
	book := model.Generate(model.GenOptions{Seed: 7, Accounts: 60, Days: 365, CSMs: 1})[0]
	w.accounts = book.Accounts
	if err := s.ImportBook(ctx, book); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	a := func(i int) string { return w.accounts[i].ID }
	for i := 0; i < 3; i++ { // 3 notes, the first with 2 next steps: 5 changes
		in := NewNote{AccountID: a(i), Kind: model.NoteKinds[0], HappenedAt: time.Now(), Body: "call about renewal"}
		if i == 0 {
			in.NextSteps = []NextStep{{Title: "send deck"}, {Title: "book QBR"}}
		}
		_, err := s.CreateNote(ctx, in)
		must(err)
	}
	task, err := s.CreateTask(ctx, a(3), "call the new champion", nil) // 6
	must(err)
	must(s.SetTaskDone(ctx, task.ID, true)) // 7
	list := book.Checklists[0]
	must(s.SetChecklistItem(ctx, a(4), list.Key, list.Items[0].Key, true)) // 8
	must(s.SetChecklistItem(ctx, a(4), list.Key, list.Items[1].Key, true)) // 9
	pb := book.Playbooks[0]
	run, err := s.StartPlay(ctx, a(5), pb.Key) // 10
	must(err)
	must(s.SetPlayStep(ctx, run.ID, pb.Steps[0].Key, true)) // 11
	must(s.ClosePlay(ctx, run.ID, "champion found"))        // 12
	w.outbox, err = s.Pending(ctx, 100)
	must(err)
	if len(w.outbox) != 12 {
		t.Fatalf("fixture queued %d changes, want 12", len(w.outbox))
	}
	must(s.db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&w.pageSize))
	must(s.Close())
	return w
}

// leafPages lists the leaf pages of a table or index, from dbstat.
func leafPages(t testing.TB, path, name string) []int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", name)
	if err != nil {
		t.Fatalf("dbstat: %v", err)
	}
	defer rows.Close()
	var pages []int
	for rows.Next() {
		var p int
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
	}
	if len(pages) == 0 {
		t.Fatalf("no leaf pages for %s", name)
	}
	return pages
}

// smash writes garbage over page n (1-based) of a database file.
func smash(b []byte, pageSize, n int) {
	for i := range pageSize {
		b[(n-1)*pageSize+i] = byte(i*7 + 3)
	}
}

// markUnclean leaves the file as a killed csm would: its marker in the
// procs directory, held by nobody.
func markUnclean(t testing.TB, path string) {
	t.Helper()
	procs := filepath.Join(locksDir(path), "procs")
	if err := os.MkdirAll(procs, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(procs, "4242-dead"), []byte("4242\ncsm\nwrites\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// markers lists the process markers of the database at path.
func markers(t testing.TB, path string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(locksDir(path), "procs"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func hashFile(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestOpenRefusesADamagedFileAndLeavesItAsItWas(t *testing.T) {
	w := newWorkDB(t)
	orig, err := os.ReadFile(w.path)
	if err != nil {
		t.Fatal(err)
	}
	usage := leafPages(t, w.path, "usage_months")
	outbox := leafPages(t, w.path, "outbox")
	cases := []struct {
		name    string
		damage  func(b []byte) []byte
		unclean bool // the previous run was killed: the whole file is checked
		detail  string
	}{
		{"not a database", func([]byte) []byte { return []byte("name,arr\nAcme,1200\n" + strings.Repeat("x", 5000)) }, false, "not a database"},
		{"garbage header", func(b []byte) []byte { copy(b, "garbage garbage!"); return b }, false, "not a database"},
		{"truncated to half", func(b []byte) []byte { return b[:len(b)/2/w.pageSize*w.pageSize] }, false, ""},
		{"truncated mid-page", func(b []byte) []byte { return b[:len(b)-w.pageSize/2] }, false, ""},
		{"outbox page smashed", func(b []byte) []byte { smash(b, w.pageSize, outbox[0]); return b }, false, ""},
		{"usage page smashed, unclean shutdown", func(b []byte) []byte { smash(b, w.pageSize, usage[len(usage)/2]); return b }, true, "page"},
		{"tail smashed, unclean shutdown", func(b []byte) []byte { smash(b, w.pageSize, len(b)/w.pageSize); return b }, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), DBFile)
			if err := os.WriteFile(path, orig, 0o600); err != nil {
				t.Fatal(err)
			}
			if c.unclean {
				markUnclean(t, path)
			}
			b, _ := os.ReadFile(path)
			if err := os.WriteFile(path, c.damage(b), 0o600); err != nil {
				t.Fatal(err)
			}
			before := hashFile(t, path)
			s, err := Open(context.Background(), path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded on a damaged file")
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
			msg := err.Error()
			t.Logf("user sees: %s", msg)
			for _, want := range []string{"the database at " + path + " is damaged", "Your file was left as it was", "csm repair", c.detail} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if hashFile(t, path) != before {
				t.Error("Open changed the damaged file")
			}
		})
	}
}

// A page damaged while csm was not running, after a clean close, is not
// seen by Open (it checks the outbox only, see checkFile); the first write
// that touches it reports ErrCorrupt, and `csm repair` (Check) finds it.
func TestDamageAfterACleanCloseIsFoundByCheck(t *testing.T) {
	w := newWorkDB(t)
	b, _ := os.ReadFile(w.path)
	usage := leafPages(t, w.path, "usage_months")
	smash(b, w.pageSize, usage[len(usage)/2])
	if err := os.WriteFile(w.path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Check(context.Background(), w.path); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Check = %v, want ErrCorrupt", err)
	}
	s, err := Open(context.Background(), w.path)
	if err != nil {
		t.Fatalf("Open after a clean close: %v", err)
	}
	defer s.Close()
	// The outbox still works.
	if _, err := s.CreateTask(context.Background(), w.accounts[0].ID, "still saved", nil); err != nil {
		t.Fatalf("write next to a damaged usage page: %v", err)
	}
}

func TestCleanCloseAndCrashMarker(t *testing.T) {
	ctx := context.Background()
	w := newWorkDB(t)
	if m := markers(t, w.path); len(m) != 0 {
		t.Fatalf("after Close, markers %v are left", m)
	}
	s, err := Open(ctx, w.path)
	if err != nil {
		t.Fatal(err)
	}
	if m := markers(t, w.path); len(m) != 1 {
		t.Fatalf("while open, markers = %v, want this process's", m)
	}
	// A second open beside it sees a live csm, not a crash.
	alive, crashed, err := s.locks.survey()
	if err != nil || len(crashed) != 0 || len(alive) != 0 {
		t.Fatalf("survey by the holder itself: alive %v, crashed %v, %v", alive, crashed, err)
	}
	s2, err := Open(ctx, w.path)
	if err != nil {
		t.Fatal(err)
	}
	alive, crashed, err = s2.locks.survey()
	releaseCrashMarkers(crashed)
	if err != nil || len(crashed) != 0 || len(alive) != 1 || alive[0].PID != os.Getpid() || !alive[0].Writes {
		t.Fatalf("survey beside an open store: alive %v, crashed %v, %v", alive, crashed, err)
	}
	s2.Close()
	s.Close()

	markUnclean(t, w.path)
	s, err = Open(ctx, w.path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if m := markers(t, w.path); len(m) != 1 || m[0] == "4242-dead" {
		t.Fatalf("after the check, markers = %v; the crash marker should be cleared", m)
	}
}

func TestBackupBeforeMigration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, DBFile)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrateTo(ctx, db, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO accounts (id, name, data, gen) VALUES ('a1', 'Old Co', '{"id":"a1","name":"Old Co"}', 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// A stale backup of the same version is replaced by the new one.
	if err := os.WriteFile(path+".bak-v2", []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	bak := path + ".bak-v2"
	b, err := sql.Open("sqlite", "file:"+bak+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var name string
	if err := b.QueryRow("SELECT name FROM accounts WHERE id = 'a1'").Scan(&name); err != nil || name != "Old Co" {
		t.Fatalf("backup's account = %q, %v", name, err)
	}
	if v := userVersion(t, b); v != 2 {
		t.Fatalf("backup's user_version = %d, want 2", v)
	}
	// Only that backup: none for the versions it went through, no leftovers.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".bak-") && e.Name() != DBFile+".bak-v2" {
			t.Errorf("unexpected file %s", e.Name())
		}
	}
}

func TestNoBackupOfAFreshOrCurrentFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, DBFile)
	for range 2 { // fresh, then current
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".bak-") {
			t.Errorf("unexpected backup %s", e.Name())
		}
	}
}

// holdWriteLock holds a write transaction on path, as another csm in the
// middle of a sync would, until the test ends.
func holdWriteLock(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		db.Close()
	})
}

func TestLockedDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), DBFile)
	s, err := OpenWith(ctx, path, Options{BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.ApplyPage(ctx, Page{Changes: []Change{upsert("account", acct("a1", "Acme"), "a1")}, Last: true}); err != nil {
		t.Fatal(err)
	}
	holdWriteLock(t, path)
	want := "another csm is writing to " + path + "; try again in a moment"

	_, err = s.CreateTask(ctx, "a1", "call back", nil)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), want) {
		t.Fatalf("write while locked: %v; want ErrLocked saying %q", err, want)
	}
	t.Logf("user sees: %v", err)
	if strings.Contains(err.Error(), "(5)") {
		t.Errorf("message shows SQLite's code: %v", err)
	}
	// A second csm starting while the lock is held opens, to read...
	s2, err := OpenWith(ctx, path, Options{BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("open while another process writes: %v", err)
	}
	defer s2.Close()
	if _, err := s2.Accounts(ctx); err != nil {
		t.Errorf("read while another process writes: %v", err)
	}
	// ...but one that must first upgrade the file is told to wait.
	old := filepath.Join(t.TempDir(), DBFile)
	db, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrateTo(ctx, db, 2); err != nil {
		t.Fatal(err)
	}
	db.Close()
	holdWriteLock(t, old)
	s3, err := OpenWith(ctx, old, Options{BusyTimeout: 50 * time.Millisecond})
	if err == nil {
		s3.Close()
		t.Fatal("an upgrade while another process holds the write lock succeeded")
	}
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "another csm is writing to "+old+"; try again in a moment") {
		t.Fatalf("upgrade while locked: %v", err)
	}
}

func TestUnwritableLocations(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	asDir := filepath.Join(dir, "is-a-dir")
	if err := os.MkdirAll(filepath.Join(asDir, DBFile), 0o700); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, path string }{
		{"data dir under a regular file", filepath.Join(file, "csm", DBFile)},
		{"data dir is a regular file", filepath.Join(file, DBFile)},
		{"database path is a directory", filepath.Join(asDir, DBFile)},
		{"data dir in /proc", filepath.Join("/proc", "csm-test-nowhere", DBFile)},
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "read-only")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct{ name, path string }{"read-only data dir", filepath.Join(ro, DBFile)})
	} else {
		t.Log("running as root: chmod 0500 does not stop root from writing, so the read-only directory case is skipped; the /proc and regular-file cases stand in for it")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Open(context.Background(), c.path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, ErrReadOnly) {
				t.Fatalf("err = %v, want ErrReadOnly", err)
			}
			t.Logf("user sees: %v", err)
			if !strings.Contains(err.Error(), "cannot write the database at "+c.path) || !strings.Contains(err.Error(), "--data-dir") {
				t.Errorf("message %q does not name the path and the way out", err)
			}
		})
	}
}

func TestReadOnlyFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: a 0400 file is still writable by root")
	}
	path := filepath.Join(t.TempDir(), DBFile)
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), path); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("open a 0400 file: %v, want ErrReadOnly", err)
	}
}

func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), DBFile)
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyPage(ctx, Page{Changes: []Change{upsert("account", acct("a1", "Acme"), "a1")}, Last: true}); err != nil {
		t.Fatal(err)
	}
	var pages int
	if err := s.db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// The file may not grow past its size now: the disk is "full".
	s, err = OpenWith(ctx, path, Options{maxPageCount: pages + 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	body := strings.Repeat("a long note about the renewal call. ", 300)
	var saved int
	for ; saved < 100; saved++ {
		_, err = s.CreateNote(ctx, NewNote{AccountID: "a1", Kind: model.NoteKinds[0], HappenedAt: time.Now(), Body: body})
		if err != nil {
			break
		}
	}
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("after %d notes: %v, want ErrDiskFull", saved, err)
	}
	t.Logf("user sees: %v", err)
	if want := "the disk holding " + path + " is full; free some space and try again"; !strings.Contains(err.Error(), want) {
		t.Errorf("message %q lacks %q", err, want)
	}
	// The failed note left nothing half-saved.
	pending, _, err := s.OutboxCounts(ctx)
	if err != nil || pending != saved {
		t.Fatalf("outbox holds %d (%v), want the %d saved notes", pending, err, saved)
	}
}

func TestClassify(t *testing.T) {
	path := "/data/csm.db"
	plain := errors.New("no such account")
	if got := classify(path, plain); got != plain {
		t.Errorf("classify changed an unrelated error: %v", got)
	}
	if classify(path, nil) != nil {
		t.Error("classify(nil) != nil")
	}
	_, err := os.ReadFile("/nonexistent/dir/x")
	if !errors.Is(classify(path, err), ErrReadOnly) {
		t.Errorf("missing directory: %v", classify(path, err))
	}
	once := classify(path, corrupt(path, "x"))
	if twice := classify(path, once); twice != once {
		t.Error("classify wrapped a classified error again")
	}
	for _, c := range []struct {
		code int
		want error
	}{
		{11, ErrCorrupt}, {26, ErrCorrupt}, {5, ErrLocked}, {5 | 2<<8, ErrLocked}, {6, ErrLocked},
		{8, ErrReadOnly}, {14, ErrReadOnly}, {3, ErrReadOnly}, {13, ErrDiskFull},
		{10, ErrIO}, {10 | 2<<8, ErrCorrupt}, {19, nil}, {1, nil},
	} {
		if got, _ := sqliteKind(c.code); got != c.want {
			t.Errorf("sqliteKind(%d) = %v, want %v", c.code, got, c.want)
		}
	}
}

// BenchmarkQuickCheck measures the full check on a 5,000-account book of
// a year's usage (133 MB), to decide whether it can run on every Open: it
// takes about 0.3 s on 2 cores, against 2.6 ms for Open with its cheap
// checks, so it runs only after an unclean shutdown and in `csm repair`.
func BenchmarkQuickCheck(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), DBFile)
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.ImportBook(ctx, model.Generate(model.GenOptions{Seed: 1, Accounts: 5000, Days: 365, CSMs: 1})[0]); err != nil {
		b.Fatal(err)
	}
	s.Close()
	fi, _ := os.Stat(path)
	b.Run("full", func(b *testing.B) {
		b.ReportMetric(float64(fi.Size())/1e6, "MB")
		for b.Loop() {
			if err := Check(ctx, path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			s, err := Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
	})
}

// After a crash the WAL holds the last changes and a marker nobody holds:
// Open checks every page, finds them sound, and keeps those changes.
func TestOpenAfterACrashKeepsTheWAL(t *testing.T) {
	ctx := context.Background()
	w := newWorkDB(t)
	s, err := Open(ctx, w.path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateTask(ctx, w.accounts[0].ID, "saved just before the crash", nil); err != nil {
		t.Fatal(err)
	}
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
	markUnclean(t, crashed)
	s, err = Open(ctx, crashed)
	if err != nil {
		t.Fatalf("open after a crash: %v", err)
	}
	defer s.Close()
	if n, _, err := s.OutboxCounts(ctx); err != nil || n != 13 {
		t.Fatalf("outbox after a crash: %d, %v; want 13", n, err)
	}
}
