// Package compose writes a note from the command line: in the CSM's own
// editor ($VISUAL, $EDITOR, else vi) on a template, or given whole by -m or
// --file. The words are kept in a draft beside the database at every step
// until the note is saved, so whatever stops csm (the editor failing, the
// terminal closing, the database refusing the write), they can be resumed.
package compose

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"csm/data"
	"csm/model"
	"csm/safe"
)

// ErrEmpty: an empty note is not saved. csm exits 1 on it, as `git commit`
// does on an empty message, so a script can tell that nothing was saved.
var ErrEmpty = errors.New("note cancelled: empty; nothing saved")

// Session is one note written on a resolved account.
type Session struct {
	st     *data.Store
	drafts *data.Drafts
	acct   model.Account
	query  string // the account as typed: what the CSM types again to resume
	// The terminal: the editor runs on it, and what csm says goes there.
	stdin          io.Reader
	stdout, stderr io.Writer
}

// New starts a note on acct, found by query as the CSM typed it.
func New(st *data.Store, acct model.Account, query string, stdin io.Reader, stdout, stderr io.Writer) *Session {
	return &Session{st: st, drafts: st.Drafts(), acct: acct, query: query, stdin: stdin, stdout: stdout, stderr: stderr}
}

// Save saves a note given whole (by -m or --file) once, through a draft
// that is kept if the save fails.
func (n *Session) Save(ctx context.Context, d data.Draft) error { return n.save(ctx, d, "") }

// Edit opens the editor on a new note and saves what comes back.
func (n *Session) Edit(ctx context.Context, d data.Draft) error { return n.edit(ctx, d, false) }

// Resume saves the account's newest draft, in the editor first unless
// noEdit.
func (n *Session) Resume(ctx context.Context, noEdit bool) error { return n.resume(ctx, noEdit) }

// save saves the draft's note once. On failure the draft is kept; on
// success it is removed, with the editor's file when there is one.
func (n *Session) save(ctx context.Context, d data.Draft, editorFile string) error {
	if d.Empty() {
		n.drop(d.ID, editorFile)
		return ErrEmpty
	}
	in := d.NewNote()
	note, err := n.st.CreateNote(ctx, in)
	if err != nil {
		return n.keep(d, editorFile, err, editorResult{})
	}
	n.printSaved(note, len(in.NextSteps))
	if err := n.drop(d.ID, editorFile); err != nil {
		// The note is saved; resuming the draft would find it saved.
		fmt.Fprintf(n.stderr, "csm: %s\n", safe.Text(err.Error()))
	}
	n.mentionDrafts()
	return nil
}

// drop removes a draft whose words are saved or were never typed.
func (n *Session) drop(id, editorFile string) error {
	err := n.drafts.Remove(id)
	if editorFile != "" {
		if rerr := os.Remove(editorFile); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) && err == nil {
			err = fmt.Errorf("remove the note file: %w", rerr)
		}
	}
	return err
}

// keep writes the draft after a failure and returns the failure with where
// the words are and how to get them back. The editor's file is removed once
// the draft holds its words, unless the editor may still write it.
func (n *Session) keep(d data.Draft, editorFile string, cause error, ed editorResult) error {
	d.UpdatedAt, d.Seq = time.Time{}, 0
	if err := n.drafts.Save(d); err != nil {
		if editorFile != "" {
			return fmt.Errorf("%w; nothing saved, and no draft could be written (%v): your text is in %s", cause, err, editorFile)
		}
		// The last place left for the words is the terminal.
		fmt.Fprintf(n.stderr, "csm: no draft could be written (%s); the note was:\n%s\n",
			safe.Text(err.Error()), safe.Text(draftWords(d)))
		return fmt.Errorf("%w; nothing saved", cause)
	}
	path := n.drafts.Path(d.ID)
	if editorFile != "" && !ed.keepFile {
		os.Remove(editorFile)
	} else if editorFile != "" {
		path = editorFile
	}
	resume := "csm note " + shellArg(n.query) + " --resume"
	if ed.noStart {
		resume += " --no-edit" // the editor would fail again
	}
	return &KeptError{cause: cause, path: path, resume: resume}
}

// KeptError is a failure after which the CSM's words are safe in a
// draft: one sentence says where, and how to get them back.
type KeptError struct {
	cause  error
	path   string
	resume string
}

func (e *KeptError) Error() string {
	return fmt.Sprintf("%v; nothing saved: your note is kept in %s; get it back with: %s", e.cause, e.path, e.resume)
}

func (e *KeptError) Unwrap() error { return e.cause }

// mentionDrafts says, after a save, that the account has notes still
// kept as drafts, so a forgotten one does not stay forgotten.
func (n *Session) mentionDrafts() {
	left, err := n.drafts.ForAccount(n.acct.ID)
	if err != nil {
		return
	}
	left = slices.DeleteFunc(left, data.Draft.Empty)
	w, name, q := n.stderr, safe.Line(n.acct.Name), safe.Line(shellArg(n.query))
	switch len(left) {
	case 0:
	case 1:
		fmt.Fprintf(w, "1 unsaved note for %s is still kept as a draft: csm note %s --resume\n", name, q)
	default:
		fmt.Fprintf(w, "%d unsaved notes for %s are still kept as drafts: csm note %s --resume\n", len(left), name, q)
	}
}

// resume saves the account's newest draft, in the editor first unless
// noEdit.
func (n *Session) resume(ctx context.Context, noEdit bool) error {
	drafts, err := n.drafts.ForAccount(n.acct.ID)
	if err != nil {
		return err
	}
	// An empty draft is an editor still open in another csm, or one that
	// was closed before anything was typed: nothing to resume.
	i := slices.IndexFunc(drafts, func(d data.Draft) bool { return !n.adoptEditorFile(d).Empty() })
	if i < 0 {
		return n.noDraft()
	}
	d := n.adoptEditorFile(drafts[i])
	if noEdit {
		return n.save(ctx, d, n.editorPath(d.ID))
	}
	return n.edit(ctx, d, true)
}

// noDraft is the error of --resume on an account without drafts; it names
// the draft files csm could not read, which may be the one looked for.
func (n *Session) noDraft() error {
	msg := fmt.Sprintf("no unsaved note for %s to resume", n.acct.Name)
	if _, bad, err := n.drafts.List(); err == nil && len(bad) > 0 {
		msg += fmt.Sprintf(" (%s in %s could not be read, e.g. %s: %v)",
			model.Plural(len(bad), "file"), n.drafts.Dir(), filepath.Base(bad[0].Path), bad[0].Err)
	}
	return errors.New(msg)
}

// adoptEditorFile takes in the text of an editor's file left beside the
// draft by a csm that stopped before reading it: that text is newer than
// the draft's.
func (n *Session) adoptEditorFile(d data.Draft) data.Draft {
	raw, err := os.ReadFile(n.editorPath(d.ID))
	if err != nil {
		return d
	}
	if body, steps := ParseText(string(raw), time.Now()); body != "" || len(steps) > 0 {
		d.Body, d.NextSteps = body, draftSteps(steps)
	}
	return d
}

func (n *Session) editorPath(id string) string { return filepath.Join(n.drafts.Dir(), id+".md") }

// edit opens the editor on the draft's text and saves what comes back. The
// draft is on disk before the editor opens and its file lives beside it,
// so the words are recoverable at every step, whatever stops csm.
func (n *Session) edit(ctx context.Context, d data.Draft, resumed bool) error {
	path := n.editorPath(d.ID)
	initial := draftText(n.acct, d)
	if err := n.drafts.Save(d); err != nil {
		return fmt.Errorf("cannot keep a draft of the note, so the editor is not opened (use -m or --file): %w", err)
	}
	if err := os.WriteFile(path, []byte(initial), 0o600); err != nil {
		if !resumed {
			n.drop(d.ID, path)
		}
		return fmt.Errorf("write the note file: %w", err)
	}
	res := n.runEditor(ctx, path)
	edited, untouched := readEdited(d, path, initial, &res, resumed)
	switch {
	case res.keepFile:
		return n.keep(edited, path, res.err, res)
	case res.err != nil && untouched:
		n.drop(d.ID, path)
		return fmt.Errorf("%w; nothing saved", res.err)
	case res.err != nil:
		return n.keep(edited, path, res.err, res)
	}
	return n.save(ctx, edited, path)
}

// printSaved says the note is saved, with how many follow-ups it made.
func (n *Session) printSaved(note model.Note, steps int) {
	fmt.Fprintf(n.stdout, "saved note %s for %s (%s) · will sync\n",
		shortID(note.ID), safe.Line(n.acct.Name), model.Plural(steps, "follow-up"))
}
