package sync

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

// The kill and concurrency tests run this test binary again as a child
// process that writes notes, so that a kill or a second writer is a real
// process with its own SQLite connections and file locks, as a second copy
// of csm would be, and not a goroutine sharing the parent's.

const (
	envChildDB     = "CSM_CHILD_DB"     // the database the child writes to; unset: not a child
	envChildNotes  = "CSM_CHILD_NOTES"  // how many notes to write; 0: until killed
	envChildAuthor = "CSM_CHILD_AUTHOR" // the author of the child's notes, to tell them apart
)

// TestChildWritesNotes is the child's body; it does nothing in a normal run.
//
// Protocol on stdout, one line per write(2) so a kill never splits one:
// "ready" once the database is open, then "note <id> <µs>" after each
// CreateNote has returned, with the time it took (the id is acknowledged: it
// must survive anything), or
// "error <message>" if a write failed. The child starts writing when it
// reads a line on stdin, so the parent can start two children together and
// time a kill from the first write.
func TestChildWritesNotes(t *testing.T) {
	path := os.Getenv(envChildDB)
	if path == "" {
		t.Skip("runs only as a child of the kill and concurrency tests")
	}
	n, _ := strconv.Atoi(os.Getenv(envChildNotes))
	author := os.Getenv(envChildAuthor)
	fail := func(what string, err error) {
		fmt.Printf("error %s: %v\n", what, err)
		t.FailNow()
	}
	ctx := context.Background()
	st, err := data.Open(ctx, path)
	if err != nil {
		fail("open", err)
	}
	defer st.Close()
	accts, err := st.Accounts(ctx)
	if err != nil {
		fail("read accounts", err)
	}
	if len(accts) == 0 {
		fail("read accounts", fmt.Errorf("the database holds no account"))
	}
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return // the parent is gone
	}
	due := model.MakeDate(2026, 12, 1)
	for i := 0; n == 0 || i < n; i++ {
		// One or two next steps, so a note is three or five rows and
		// outbox entries in one transaction: a kill inside it must leave
		// all or none.
		steps := []data.NextStep{{Title: fmt.Sprintf("Follow up %d", i), DueOn: &due}}
		if i%2 == 1 {
			steps = append(steps, data.NextStep{Title: fmt.Sprintf("Send the recap %d", i)})
		}
		t0 := time.Now()
		note, err := st.CreateNote(ctx, data.NewNote{
			AccountID: accts[i%len(accts)].ID, Kind: model.NoteCall, HappenedAt: time.Now(),
			Body: fmt.Sprintf("%s, note %d: adoption review.", author, i), NextSteps: steps, Author: author,
		})
		if err != nil {
			fail(fmt.Sprintf("note %d", i), err)
		}
		fmt.Printf("note %s %d\n", note.ID, time.Since(t0).Microseconds())
	}
}

// child is a running TestChildWritesNotes process, seen from the parent.
type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr bytes.Buffer
	ready  chan struct{} // closed on "ready"
	done   chan struct{} // closed when stdout is at its end (the child is gone)

	mu      gosync.Mutex
	ids     []string // acknowledged notes, in order
	slowest time.Duration
	errors  []string // "error" lines
	other   []string // any other output, for failure messages

	waitOnce gosync.Once
	waitErr  error
}

// startChild starts a child writing notes to the database at path; notes 0
// means until killed. The child is killed and reaped when the test ends.
func startChild(t *testing.T, path, author string, notes int) *child {
	t.Helper()
	return spawnChild(t, "TestChildWritesNotes", envChildDB+"="+path, envChildNotes+"="+strconv.Itoa(notes), envChildAuthor+"="+author)
}

// spawnChild runs the test function named test of this binary as a child
// process with env added, and reads its protocol lines.
func spawnChild(t *testing.T, test string, env ...string) *child {
	t.Helper()
	// -test.timeout bounds a child whose parent died before killing it.
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.timeout=300s")
	cmd.Env = append(os.Environ(), env...)
	c := &child{cmd: cmd, ready: make(chan struct{}), done: make(chan struct{})}
	cmd.Stderr = &c.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if c.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.kill()
		c.wait()
	})
	go c.read(out)
	return c
}

func (c *child) read(out io.Reader) {
	defer close(c.done)
	r := bufio.NewReader(out)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			// A line without its newline was cut by the kill: it was not
			// acknowledged (our lines are single writes, so this is rare).
			return
		}
		line = strings.TrimSuffix(line, "\n")
		c.mu.Lock()
		switch {
		case line == "ready":
			close(c.ready)
		case strings.HasPrefix(line, "note "):
			var id string
			var us int64
			fmt.Sscanf(line, "note %s %d", &id, &us)
			c.ids = append(c.ids, id)
			c.slowest = max(c.slowest, time.Duration(us)*time.Microsecond)
		case strings.HasPrefix(line, "error "):
			c.errors = append(c.errors, line)
		default:
			c.other = append(c.other, line)
		}
		c.mu.Unlock()
	}
}

// waitReady waits until the child has opened the database.
func (c *child) waitReady(t *testing.T) {
	t.Helper()
	select {
	case <-c.ready:
	case <-c.done:
		c.wait()
		t.Fatalf("child exited before it was ready: %s", c.report())
	case <-time.After(60 * time.Second):
		t.Fatalf("child not ready after 60 s: %s", c.report())
	}
}

// begin tells the child to start writing.
func (c *child) begin(t *testing.T) {
	t.Helper()
	if _, err := io.WriteString(c.stdin, "go\n"); err != nil {
		t.Fatalf("start child: %v", err)
	}
}

// kill sends SIGKILL (os.Process.Kill on Unix): no deferred call, no
// Close, no chance to finish the transaction in flight.
func (c *child) kill() { c.cmd.Process.Kill() }

// wait reaps the child once its output is read to the end.
func (c *child) wait() error {
	c.waitOnce.Do(func() {
		<-c.done
		c.waitErr = c.cmd.Wait()
	})
	return c.waitErr
}

func (c *child) acked() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.ids...)
}

// report is what the child said besides its ids, for a failure message.
func (c *child) report() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprintf("errors %q, other output %q, stderr %q", c.errors, c.other, c.stderr.String())
}

// noteCheck is what checkNotesWhole found.
type noteCheck struct {
	noteIDs              map[string]bool
	notes, tasks, outbox int
}

// checkNotesWhole checks the database after the children are gone: it is
// not corrupt, every acknowledged note is there, every note of these
// authors has all its tasks, and the outbox holds exactly one note.create
// per note and one task.create per task, and nothing else.
func checkNotesWhole(t *testing.T, st *data.Store, acked []string, authors ...string) noteCheck {
	t.Helper()
	ctx := context.Background()
	requireIntegrity(t, st)
	b, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]bool{}
	for _, a := range authors {
		ours[a] = true
	}
	notes := map[string]model.Note{}
	for _, n := range b.Notes {
		if ours[n.Author] {
			notes[n.ID] = n
		}
	}
	for _, id := range acked {
		if _, ok := notes[id]; !ok {
			t.Errorf("acknowledged note %s is not in the database", id)
		}
	}
	tasksOf := map[string]int{}
	tasks := map[string]bool{}
	for _, tk := range b.Tasks {
		if tk.NoteID != nil {
			if _, ok := notes[*tk.NoteID]; ok {
				tasksOf[*tk.NoteID]++
				tasks[tk.ID] = true
			}
		}
	}
	for id, n := range notes {
		if tasksOf[id] != len(n.NextSteps) {
			t.Errorf("note %s has %d tasks for %d next steps: half written", id, tasksOf[id], len(n.NextSteps))
		}
	}
	pending, err := st.Pending(ctx, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if rej, err := st.Rejected(ctx); err != nil || len(rej) != 0 {
		t.Fatalf("rejected changes before any push: %d (%v)", len(rej), err)
	}
	queued := map[string]int{}
	for _, m := range pending {
		switch {
		case m.Type == model.MutNoteCreate && notes[m.EntityID].ID != "":
		case m.Type == model.MutTaskCreate && tasks[m.EntityID]:
		default:
			t.Errorf("outbox entry %s %s %s matches no note or task of this test", m.ID, m.Type, m.EntityID)
		}
		queued[m.EntityID]++
	}
	for id := range notes {
		if queued[id] != 1 {
			t.Errorf("note %s is queued %d times, want once", id, queued[id])
		}
	}
	for id := range tasks {
		if queued[id] != 1 {
			t.Errorf("task %s is queued %d times, want once", id, queued[id])
		}
	}
	ids := map[string]bool{}
	for id := range notes {
		ids[id] = true
	}
	return noteCheck{noteIDs: ids, notes: len(notes), tasks: len(tasks), outbox: len(pending)}
}

// requireIntegrity runs SQLite's own checks of the file and of the foreign
// keys.
func requireIntegrity(t *testing.T, st *data.Store) {
	t.Helper()
	rows, err := st.DB().Query("PRAGMA integrity_check")
	if err != nil {
		t.Fatal(err)
	}
	var res []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		res = append(res, s)
	}
	rows.Close()
	if len(res) != 1 || res[0] != "ok" {
		t.Fatalf("integrity_check: %q", res)
	}
	rows, err = st.DB().Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("foreign_key_check found rows that point nowhere")
	}
}

// serverHasNotesOnce checks that the server holds exactly the notes the
// database holds for these authors, each once, and all their tasks.
func serverHasNotesOnce(t *testing.T, f *fixture, local noteCheck, authors ...string) {
	t.Helper()
	ours := map[string]bool{}
	for _, a := range authors {
		ours[a] = true
	}
	b := f.srv.Book(f.csm)
	byID := map[string]int{}
	for _, n := range b.Notes {
		if ours[n.Author] {
			byID[n.ID]++
		}
	}
	tasks := 0
	for _, tk := range b.Tasks {
		if tk.NoteID != nil && byID[*tk.NoteID] > 0 {
			tasks++
		}
	}
	for id, k := range byID {
		if k != 1 {
			t.Errorf("note %s is on the server %d times", id, k)
		}
		if !local.noteIDs[id] {
			t.Errorf("note %s is on the server but not in the database", id)
		}
	}
	if len(byID) != local.notes || tasks != local.tasks {
		t.Fatalf("server holds %d notes and %d tasks of this test, want %d and %d", len(byID), tasks, local.notes, local.tasks)
	}
}
