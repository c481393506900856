package data

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"csm/model"
)

// These tests run this test binary again as child processes, so that each
// csm is a real process with its own file descriptors and kernel locks.

const (
	envOpenChild = "CSM_OPEN_CHILD" // the database a child opens; unset: not a child
	envOpenMode  = "CSM_OPEN_MODE"  // "write", "read", or "hold" (open, then wait to be killed)
)

// TestChildOpens is a child's body: it prints "ready", then for each line
// on stdin opens the database like one csm invocation and prints "ok" or
// "error <message>". A line "go" opens the database of CSM_OPEN_CHILD, any
// other line is the path of the database to open, so one child serves
// many rounds without paying for a process start each time. In mode
// "hold" it writes notes and keeps the database open until killed.
func TestChildOpens(t *testing.T) {
	path := os.Getenv(envOpenChild)
	if path == "" {
		t.Skip("runs only as a child of the many-process tests")
	}
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		p := path
		if in.Text() != "go" {
			p = in.Text()
		}
		fmt.Println(openLikeAnInvocation(p))
	}
}

// openLikeAnInvocation opens, reads and closes the database at path, and
// says how it went.
func openLikeAnInvocation(path string) string {
	ctx := context.Background()
	open := Open
	if os.Getenv(envOpenMode) == "read" {
		open = OpenReader
	}
	s, err := open(ctx, path)
	if err != nil {
		return "error " + strings.ReplaceAll(err.Error(), "\n", " ")
	}
	if os.Getenv(envOpenMode) == "hold" {
		holdOpen(ctx, s)
	}
	if _, _, err := s.OutboxCounts(ctx); err != nil {
		s.Close()
		return fmt.Sprintf("error read: %v", err)
	}
	if err := s.Close(); err != nil {
		return fmt.Sprintf("error close: %v", err)
	}
	return "ok"
}

// holdOpen writes notes until the process is killed, printing "holding"
// after the first.
func holdOpen(ctx context.Context, s *Store) {
	accts, err := s.Accounts(ctx)
	if err != nil || len(accts) == 0 {
		fmt.Printf("error accounts: %d, %v\n", len(accts), err)
		return
	}
	for i := 0; ; i++ {
		if _, err := s.CreateNote(ctx, NewNote{AccountID: accts[0].ID, Kind: model.NoteCall, HappenedAt: time.Now(), Body: "held " + strconv.Itoa(i)}); err != nil {
			fmt.Printf("error note: %v\n", err)
			return
		}
		if i == 0 {
			fmt.Println("holding")
		}
	}
}

// opener is a running TestChildOpens process.
type opener struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
}

func startOpener(t *testing.T, path, mode string) *opener {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildOpens$", "-test.timeout=120s")
	cmd.Env = append(os.Environ(), envOpenChild+"="+path, envOpenMode+"="+mode)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	o := &opener{cmd: cmd, lines: make(chan string, 16)}
	if o.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	go func() {
		defer close(o.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			o.lines <- sc.Text()
		}
	}()
	return o
}

// next is the child's next line, or "" once it has exited.
func (o *opener) next(t *testing.T) string {
	t.Helper()
	select {
	case l := <-o.lines:
		return l
	case <-time.After(60 * time.Second):
		t.Fatal("a child said nothing for 60 s")
		return ""
	}
}

// openers are children that open databases at the same instant.
type openers []*opener

// startOpeners starts a child for each mode.
func startOpeners(t *testing.T, modes ...string) openers {
	t.Helper()
	var os openers
	for _, m := range modes {
		o := startOpener(t, "-", m)
		if l := o.next(t); l != "ready" {
			t.Fatalf("child said %q before it was ready", l)
		}
		os = append(os, o)
	}
	return os
}

// openAtOnce has every child open the database at path at the same
// instant, and returns what each said.
func (os openers) openAtOnce(t *testing.T, path string) []string {
	t.Helper()
	for _, o := range os {
		io.WriteString(o.stdin, path+"\n")
	}
	var got []string
	for _, o := range os {
		got = append(got, o.next(t))
	}
	return got
}

// atVersion makes a database at schema version v, with one account.
func atVersion(t *testing.T, path string, v int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := migrateTo(context.Background(), db, v); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO accounts (id, name, data, gen) VALUES ('a1', 'Old Co', '{"id":"a1","name":"Old Co"}', 1)`); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentFirstOpens(t *testing.T) {
	const rounds = 20
	for _, from := range []string{"an empty data dir", "a file of the previous schema"} {
		t.Run(from, func(t *testing.T) {
			children := startOpeners(t, "write", "read", "write")
			failures := 0
			for r := range rounds {
				dir := filepath.Join(t.TempDir(), "data")
				path := filepath.Join(dir, DBFile)
				if from == "a file of the previous schema" {
					os.MkdirAll(dir, 0o700)
					atVersion(t, path, SchemaVersion-1)
				}
				for i, said := range children.openAtOnce(t, path) {
					if said != "ok" {
						failures++
						t.Errorf("round %d, process %d: %s", r, i, said)
					}
				}
				s, err := OpenReader(context.Background(), path)
				if err != nil {
					t.Fatal(err)
				}
				if v, _ := s.schemaVersion(context.Background()); v != SchemaVersion {
					t.Errorf("round %d: schema %d after the opens", r, v)
				}
				s.Close()
				if from == "a file of the previous schema" {
					backups, _ := filepath.Glob(path + ".bak-v*")
					if len(backups) != 1 || !strings.HasSuffix(backups[0], ".bak-v"+strconv.Itoa(SchemaVersion-1)) {
						t.Errorf("round %d: backups %v, want the one of schema %d and no temporary file", r, backups, SchemaVersion-1)
					}
				}
			}
			t.Logf("3 x %d concurrent opens on %s: %d failures", rounds, from, failures)
		})
	}
}

func TestKillNineIsACrashTheNextOpenChecks(t *testing.T) {
	w := newWorkDB(t)
	o := startOpener(t, w.path, "hold")
	if l := o.next(t); l != "ready" {
		t.Fatalf("child: %q", l)
	}
	io.WriteString(o.stdin, "go\n")
	if l := o.next(t); l != "holding" {
		t.Fatalf("child: %q", l)
	}
	// Beside a live csm, an open is no recovery.
	s, err := Open(context.Background(), w.path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Recovered() {
		t.Fatal("an open beside a live csm took it for a crash")
	}
	s.Close()

	o.cmd.Process.Kill() // SIGKILL, mid-write
	o.cmd.Wait()
	s, err = Open(context.Background(), w.path)
	if err != nil {
		t.Fatalf("open after the kill: %v", err)
	}
	if !s.Recovered() {
		t.Fatal("the open after kill -9 did not know it was a crash")
	}
	requireSound(t, s)
	s.Close()
	s, err = Open(context.Background(), w.path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Recovered() {
		t.Fatal("the crash was checked twice")
	}
}

// requireSound runs SQLite's full integrity check.
func requireSound(t *testing.T, s *Store) {
	t.Helper()
	var res string
	if err := s.db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check = %q, %v", res, err)
	}
}

func TestRepairRefusesBesideAnOpenStoreAndLosesNothing(t *testing.T) {
	ctx := context.Background()
	w := newWorkDB(t)
	s, err := Open(ctx, w.path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateTask(ctx, w.accounts[0].ID, "written while repair is tried", nil); err != nil {
		t.Fatal(err)
	}
	_, err = Repair(ctx, w.path, time.Now())
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("repair beside an open store: %v, want ErrInUse", err)
	}
	if want := fmt.Sprintf("pid %d", os.Getpid()); !strings.Contains(err.Error(), want) {
		t.Errorf("the refusal %q does not name the other csm (%s)", err, want)
	}
	t.Logf("user sees: %s", err)
	// The open store goes on writing, and nothing it wrote is lost.
	if _, err := s.CreateTask(ctx, w.accounts[0].ID, "written after the refusal", nil); err != nil {
		t.Fatal(err)
	}
	if copies, _ := filepath.Glob(w.path + ".damaged-*"); len(copies) != 0 {
		t.Fatalf("a refused repair copied the file aside: %v", copies)
	}
	s.Close()

	rep, err := Repair(ctx, w.path, time.Now())
	if err != nil {
		t.Fatalf("repair once alone: %v", err)
	}
	if rep.Kept != 14 || rep.Changes != 14 {
		t.Fatalf("repair kept %d of %d changes, want all 14", rep.Kept, rep.Changes)
	}
	s, err = Open(ctx, w.path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _, err := s.OutboxCounts(ctx); err != nil || n != 14 {
		t.Fatalf("after repair the outbox holds %d (%v), want 14", n, err)
	}
}

func TestUpgradeWaitsUntilItIsAlone(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), DBFile)
	atVersion(t, path, SchemaVersion-1)
	// An older csm has the file open: it holds the database lock shared,
	// as every csm does.
	older, err := openLocks(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := older.share(); err != nil {
		t.Fatal(err)
	}
	if err := older.register("csm (older)", true); err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, path)
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "csm (older)") {
		t.Fatalf("upgrade beside an older csm: %v, want ErrInUse naming it", err)
	}
	t.Logf("user sees: %s", err)
	if v, _ := fileSchemaVersion(ctx, path); v != SchemaVersion-1 {
		t.Fatalf("the refused upgrade left schema %d", v)
	}
	older.close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade once alone: %v", err)
	}
	defer s.Close()
	if v, _ := s.schemaVersion(ctx); v != SchemaVersion {
		t.Fatalf("schema %d after the upgrade", v)
	}
}

func TestNewerSchemaIsOneSentence(t *testing.T) {
	w := newWorkDB(t)
	db, err := sql.Open("sqlite", "file:"+w.path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	want := fmt.Sprintf("was upgraded by a newer csm (schema %d); this one knows up to schema %d — update csm", SchemaVersion+1, SchemaVersion)
	for name, open := range map[string]func(context.Context, string) (*Store, error){"Open": Open, "OpenReader": OpenReader} {
		_, err := open(context.Background(), w.path)
		if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want ErrNewerSchema saying %q", name, err, want)
		}
	}
}

// A csm left open while a newer one upgrades (one that took no locks, as
// csm before this one) meets tables it does not know: it says why.
func TestUpgradedUnderAnOpenStoreSaysWhy(t *testing.T) {
	ctx := context.Background()
	w := newWorkDB(t)
	s, err := Open(ctx, w.path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db, err := sql.Open("sqlite", "file:"+w.path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TABLE book_rows", fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion+1)} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	err = s.Recompute(ctx)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("a write after a newer csm upgraded: %v, want ErrNewerSchema", err)
	}
	t.Logf("user sees: %s", err)
}

func TestReadersWriteNothingAndNeverWait(t *testing.T) {
	ctx := context.Background()
	w := newWorkDB(t)
	before := hashFile(t, w.path)
	// Another csm holds the write lock for as long as this test runs.
	writer, err := sql.Open("sqlite", "file:"+w.path)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	conn, err := writer.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")

	// A reader that waited for the write lock would hit the busy timeout
	// long after this deadline.
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			s, err := OpenReaderWith(rctx, w.path, Options{BusyTimeout: time.Minute})
			if err != nil {
				t.Errorf("open to read beside a writer: %v", err)
				return
			}
			defer s.Close()
			if _, err := s.Status(rctx); err != nil {
				t.Errorf("status beside a writer: %v", err)
			}
			if _, err := s.Book(rctx); err != nil {
				t.Errorf("book beside a writer: %v", err)
			}
			if _, err := s.CreateTask(rctx, w.accounts[0].ID, "x", nil); !errors.Is(err, ErrReadOnly) {
				t.Errorf("a write through a reader: %v, want ErrReadOnly", err)
			}
		})
	}
	wg.Wait()
	if hashFile(t, w.path) != before {
		t.Fatal("readers changed the database file")
	}
}

// A write kept waiting past the busy timeout names the other csm that
// could hold SQLite's write lock.
func TestLockedWriteNamesTheOtherCsm(t *testing.T) {
	ctx := context.Background()
	w := newWorkDB(t)
	s, err := OpenWith(ctx, w.path, Options{BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, err := OpenWith(ctx, w.path, Options{Who: "csm sync"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")
	_, err = s.CreateTask(ctx, w.accounts[0].ID, "call back", nil)
	want := fmt.Sprintf("another csm (pid %d, csm sync) is writing to the database", os.Getpid())
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), want) {
		t.Fatalf("write while another csm writes: %v; want ErrLocked saying %q", err, want)
	}
	t.Logf("user sees: %s", err)
}
