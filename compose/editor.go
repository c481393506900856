package compose

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"csm/data"
)

// The editor: run on the note's file, then read back.

// readEdited reads the editor's file back into the draft. Its text is the
// whole note: the body, and the next steps as "- [ ]" lines. untouched
// says the file of a new note holds nothing the CSM typed.
func readEdited(d data.Draft, path, initial string, res *editorResult, resumed bool) (edited data.Draft, untouched bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		// Whatever the file holds, csm cannot tell: it stays.
		res.keepFile = true
		if res.err == nil {
			res.err = fmt.Errorf("read the note file: %w", err)
		}
		return d, false
	}
	body, steps := ParseText(string(raw), time.Now())
	typed := body != "" || len(steps) > 0
	// After a failure, a resumed draft whose file lost its words keeps
	// the words it had.
	if typed || res.err == nil {
		d.Body, d.NextSteps = body, draftSteps(steps)
	}
	return d, !resumed && (string(raw) == initial || !typed)
}

func draftSteps(steps []data.NextStep) []data.DraftStep {
	return DraftOf(data.NewNote{NextSteps: steps}).NextSteps
}

// editorResult is how the editor ended.
type editorResult struct {
	err error
	// keepFile: the editor's file may hold words the draft lacks, because
	// csm was interrupted and the editor had not exited after EditorGrace
	// (it may still write the file), or the file could not be read.
	keepFile bool
	noStart  bool // the editor could not be started
}

// EditorGrace is how long an interrupted csm waits for the editor, which
// got the same hangup or interrupt from the terminal, to write its file.
var EditorGrace = time.Second

// runEditor runs the editor on path. It is not tied to the command's
// context: on a hangup the editor gets the terminal's signal itself and
// may save its buffer, which killing it would lose. csm stops waiting for
// it after EditorGrace, keeping whatever it wrote.
func (n *Session) runEditor(ctx context.Context, path string) editorResult {
	editor := cmp.Or(strings.TrimSpace(os.Getenv("VISUAL")), strings.TrimSpace(os.Getenv("EDITOR")), "vi")
	c := editorCommand(editor, path)
	c.Stdin, c.Stdout, c.Stderr = n.stdin, n.stdout, n.stderr
	if err := c.Start(); err != nil {
		return editorResult{err: fmt.Errorf("editor %q could not start: %w", editor, err), noStart: true}
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) && c.Args[0] == "sh" && (exit.ExitCode() == 126 || exit.ExitCode() == 127) {
			// The shell's "not found" and "not executable".
			return editorResult{err: fmt.Errorf("editor %q could not start (the shell answered %d)", editor, exit.ExitCode()), noStart: true}
		}
		if err != nil {
			return editorResult{err: fmt.Errorf("editor %q: %w", editor, err)}
		}
		return editorResult{}
	case <-ctx.Done():
	}
	interrupted := fmt.Errorf("%v while the editor was open", context.Cause(ctx))
	select {
	case <-done:
		return editorResult{err: interrupted}
	case <-time.After(EditorGrace):
		return editorResult{err: interrupted, keepFile: true}
	}
}

// editorCommand runs $VISUAL or $EDITOR on path as git does: through the
// shell, `sh -c 'EDITOR "$@"' EDITOR PATH`, so "code --wait", quoted paths
// and variables work, while the file's path is an argument the shell never
// reads as words (a data directory with spaces is safe). An editor that is
// itself the path of a file ("/opt/My Editor/ed", spaces unquoted) is run
// as it is. Windows has no sh: there the words are split on spaces.
func editorCommand(editor, path string) *exec.Cmd {
	if fi, err := os.Stat(editor); err == nil && !fi.IsDir() {
		return exec.Command(editor, path)
	}
	if runtime.GOOS == "windows" {
		words := strings.Fields(editor)
		return exec.Command(words[0], append(words[1:], path)...)
	}
	return exec.Command("sh", "-c", editor+` "$@"`, editor, path)
}
