package compose

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"os/exec"
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
	editor := strings.Fields(cmp.Or(strings.TrimSpace(os.Getenv("VISUAL")), strings.TrimSpace(os.Getenv("EDITOR")), "vi"))
	c := exec.Command(editor[0], append(editor[1:], path)...)
	c.Stdin, c.Stdout, c.Stderr = n.stdin, n.stdout, n.stderr
	if err := c.Start(); err != nil {
		return editorResult{err: fmt.Errorf("editor %s could not start: %w", editor[0], err), noStart: true}
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return editorResult{err: fmt.Errorf("editor %s: %w", editor[0], err)}
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
