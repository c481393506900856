package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
)

// typingChildEnv makes the test binary a csm cockpit that reads its keys
// from stdin, for TestTUIKilledMidNoteKeepsTheText.
const typingChildEnv = "CSM_TEST_TYPING_CHILD"

// TestTypingChild is the child: the real cockpit, without a terminal,
// its keys typed into stdin by the parent.
func TestTypingChild(t *testing.T) {
	if os.Getenv(typingChildEnv) == "" {
		t.Skip("run by TestTUIKilledMidNoteKeepsTheText")
	}
	keyringStore = emptyKeyring{}
	// Each message's type, a line each, tells the parent what the
	// cockpit has done, so it types only once the screen is there.
	var mu sync.Mutex
	programOptions = []tea.ProgramOption{tea.WithInput(os.Stdin), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30),
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			mu.Lock()
			fmt.Printf("%T\n", msg)
			if t := fmt.Sprintf("%T", msg); strings.HasSuffix(t, "SavedMsg") || strings.HasSuffix(t, "statusMsg") {
				// What a save answered, for the parent's failure report.
				fmt.Fprintf(os.Stderr, "%s %+v\n", t, msg)
			}
			mu.Unlock()
			return msg
		})}
	os.Exit(run(nil, os.Stdout, os.Stderr))
}

// cockpit is a running TestTypingChild.
type cockpit struct {
	cmd    *exec.Cmd
	stderr *lockedOutput
	keys   io.WriteCloser
	lines  chan string // the types of the messages it handled
}

// await waits until the cockpit has handled a message of the type named.
func (c *cockpit) await(t *testing.T, msgType string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				t.Fatalf("the cockpit ended before it handled a %s; it said:\n%s", msgType, c.stderr)
			}
			if l == msgType {
				return
			}
		case <-timeout:
			t.Fatalf("the cockpit handled no %s within 30 s; it said:\n%s", msgType, c.stderr)
		}
	}
}

func startCockpit(t *testing.T) *cockpit {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestTypingChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), typingChildEnv+"=1")
	keys, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &lockedOutput{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	c := &cockpit{cmd: cmd, stderr: stderr, keys: keys, lines: make(chan string, 1024)}
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
	}()
	return c
}

// typ types s into the cockpit, a key at a time as a person would.
func (c *cockpit) typ(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if _, err := io.WriteString(c.keys, string(r)); err != nil {
			t.Fatalf("type %q: %v", r, err)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// eventually polls cond for up to 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not within 10 s", what)
}

// The cockpit is killed (SIGKILL: no deferred call, no Close) while the
// CSM types a note; the next cockpit offers the text back on n, and ctrl+s
// saves it once.
func TestTUIKilledMidNoteKeepsTheText(t *testing.T) {
	dirs := isolated(t)
	path := filepath.Join(dirs[0], data.DBFile)
	ctx := context.Background()
	st, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	book := model.Generate(model.GenOptions{Seed: 3, Accounts: 10, Days: 60, CSMs: 1})[0]
	if err := st.ImportBook(ctx, book); err != nil {
		t.Fatal(err)
	}
	st.Close()
	const words = "Call with the CFO: budget approved for forty more seats"
	// The draft as csm reads it (data.Drafts): a temporary file caught
	// mid-write, killed before its rename, is not a draft.
	drafted := func() bool {
		found, _, _ := data.DraftsIn(path + data.DraftsSuffix).List()
		for _, d := range found {
			if d.Body == words {
				return true
			}
		}
		return false
	}

	first := startCockpit(t)
	first.await(t, "ui.bookLoadedMsg")
	first.typ(t, "n")
	first.await(t, "ui.pushScreenMsg") // the editor is open
	first.typ(t, words)
	eventually(t, "the typed words reach the draft", drafted)
	first.cmd.Process.Kill()
	first.cmd.Wait()

	second := startCockpit(t)
	second.await(t, "ui.bookLoadedMsg")
	second.typ(t, "n")
	second.await(t, "ui.draftFoundMsg") // the editor is open, with the draft
	second.typ(t, "\x13")               // ctrl+s
	second.await(t, "ui.noteSavedMsg")
	var readErr error
	saved := func() []model.Note {
		r, err := data.OpenReader(ctx, path)
		if err != nil {
			readErr = err
			return nil
		}
		defer r.Close()
		snap, err := r.Snapshot(ctx)
		if err != nil {
			readErr = err
			return nil
		}
		var found []model.Note
		for _, n := range snap.Notes {
			if n.Body == words {
				found = append(found, n)
			}
		}
		return found
	}
	if len(saved()) == 0 {
		t.Fatalf("the restored note is not in the database (read: %v; its notes: %q); the cockpit said:\n%s", readErr, noteBodies(ctx, path), second.stderr)
	}
	eventually(t, "the draft is removed", func() bool { return !drafted() })
	second.cmd.Process.Kill()
	second.cmd.Wait()
	if n := saved(); len(n) != 1 {
		t.Fatalf("the note is saved %d times, want once", len(n))
	}
}

// noteBodies lists the bodies of the notes in the database at path, for a
// failure's report.
func noteBodies(ctx context.Context, path string) []string {
	r, err := data.OpenReader(ctx, path)
	if err != nil {
		return []string{err.Error()}
	}
	defer r.Close()
	snap, err := r.Snapshot(ctx)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, n := range snap.Notes {
		if strings.Contains(n.Body, "CFO") || strings.Contains(n.Body, "forty") {
			out = append(out, n.Body)
		}
	}
	return out
}
