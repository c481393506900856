package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/model"
	"csm/safe"
)

// noteOptions are the flags of `csm note`.
type noteOptions struct {
	kind    string
	message string
	file    string
	at      string
	next    []string
	due     []string
	resume  bool
	noEdit  bool
}

// errNoteEmpty: an empty note is not saved. It exits 1, as `git commit`
// does on an empty message, so a script can tell that nothing was saved.
var errNoteEmpty = errors.New("note cancelled: empty; nothing saved")

func newNoteCmd() *cobra.Command {
	var o noteOptions
	cmd := &cobra.Command{
		Use:   "note ACCOUNT",
		Short: "Log a note on an account, with next steps",
		Long: `Log a note right after a call. ACCOUNT is an account id or the start of its
name (any case); when several names start that way, csm lists them.

Without -m or --file, csm opens $VISUAL or $EDITOR (vi when neither is set)
on a template. Lines starting with # are dropped; a line starting with
"- [ ]" or "next:" becomes a follow-up, with a due date when it ends in
"due" and a date word. --file takes text written the same way from a file (- for
standard input). An empty note is cancelled: nothing is saved and csm exits 1.

What you type is never lost. The editor's file is kept in a drafts folder
beside the database, and if the note cannot be saved (the editor fails, the
terminal closes, the database refuses the write) it stays there as a draft
and csm says so. --resume opens the account's newest draft in the editor
and saves it; with --no-edit it saves the draft as it is. A draft is saved
once, however often it is resumed.

Date words are the same as in the cockpit: YYYY-MM-DD, today, tomorrow,
+3d, +2w, or a weekday (fri: the next Friday after today). A day alone in
--at means noon of it.

The note is saved locally at once and pushed at the next sync; csm note
never contacts the server.

  csm note acme -m "Renewal call, happy with the rollout" --next "Send quote" --due fri
  csm note "Globex Co" -k qbr
  csm note acme --file call.md
  csm note acme --resume`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNote(cmd, args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.kind, "kind", "k", model.NoteCall, "kind of note: "+strings.Join(model.NoteKinds, ", "))
	f.StringVarP(&o.message, "message", "m", "", "the note's text (opens $EDITOR when absent)")
	f.StringVar(&o.file, "file", "", "read the note from a file written as in the editor (- for standard input)")
	f.StringVar(&o.at, "at", "", `when it happened, "YYYY-MM-DD HH:MM" or a day (noon of it), local time (default now)`)
	f.StringArrayVar(&o.next, "next", nil, "a next step, which becomes a follow-up (repeatable)")
	f.StringArrayVar(&o.due, "due", nil, "due day of the --next at the same position: YYYY-MM-DD, today, tomorrow, +3d, +2w, fri (repeatable)")
	f.BoolVar(&o.resume, "resume", false, "save the account's newest unsaved draft, opening it in the editor first")
	f.BoolVar(&o.noEdit, "no-edit", false, "with --resume: save the draft as it is, without the editor")
	return cmd
}

// checkNoteFlags refuses flags that contradict each other.
func checkNoteFlags(cmd *cobra.Command, o noteOptions) error {
	f := cmd.Flags()
	switch {
	case f.Changed("file") && f.Changed("message"):
		return usageError{errors.New("--file and -m both give the note's text: use one")}
	case o.noEdit && !o.resume:
		return usageError{errors.New("--no-edit goes with --resume")}
	case o.resume:
		for _, name := range []string{"message", "file", "kind", "at", "next", "due"} {
			if f.Changed(name) {
				return usageError{fmt.Errorf("--resume saves the draft as it was kept: --%s does not go with it (change it in the editor)", name)}
			}
		}
	}
	return nil
}

// noteFromFlags reads the kind, time and next steps given as flags; now is
// the clock, which date words count from.
func noteFromFlags(o noteOptions, now time.Time) (data.NewNote, error) {
	in := data.NewNote{HappenedAt: now}
	var err error
	if in.Kind, err = parseNoteKind(o.kind); err != nil {
		return in, err
	}
	if o.at != "" {
		if in.HappenedAt, err = model.ParseNoteTime(o.at, now); err != nil {
			return in, usageError{fmt.Errorf("--at %q: %w", o.at, err)}
		}
	}
	in.NextSteps, err = stepsFromFlags(o.next, o.due, model.LocalDay(now))
	return in, err
}

func runNote(cmd *cobra.Command, query string, o noteOptions) error {
	ctx := cmd.Context()
	if err := checkNoteFlags(cmd, o); err != nil {
		return err
	}
	now := time.Now()
	in, err := noteFromFlags(o, now)
	if err != nil {
		return err
	}
	var fileText string
	if cmd.Flags().Changed("file") {
		if fileText, err = readNoteFile(o.file, cmd.InOrStdin()); err != nil {
			return err
		}
	}

	st, err := openStore(ctx, settingsFrom(cmd))
	if err != nil {
		return err
	}
	defer st.Close()
	// The account is resolved before the editor opens: a typo must not
	// cost the CSM the note they just wrote.
	acct, err := st.FindAccount(ctx, query)
	if err != nil {
		return err
	}
	in.AccountID = acct.ID
	n := noteRun{cmd: cmd, st: st, drafts: st.Drafts(), acct: acct, query: query}

	switch {
	case o.resume:
		return n.resume(ctx, o.noEdit)
	case cmd.Flags().Changed("message"):
		in.Body = strings.TrimSpace(o.message)
	case cmd.Flags().Changed("file"):
		body, steps := parseNoteText(fileText, now)
		in.Body, in.NextSteps = body, append(in.NextSteps, steps...)
	default:
		return n.edit(ctx, draftOf(in), false)
	}
	return n.save(ctx, draftOf(in), "")
}

// maxNoteFile bounds what --file reads; a note body is cut far below it.
const maxNoteFile = 16 * model.MaxBodyBytes

// readNoteFile reads the text of --file, "-" being standard input.
func readNoteFile(path string, stdin io.Reader) (string, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("--file: %w", err)
		}
		defer f.Close()
		r = f
	}
	raw, err := io.ReadAll(io.LimitReader(r, maxNoteFile+1))
	if err != nil {
		return "", fmt.Errorf("--file %s: %w", path, err)
	}
	if len(raw) > maxNoteFile {
		return "", fmt.Errorf("--file %s: larger than %d bytes; a note is at most %d", path, maxNoteFile, model.MaxBodyBytes)
	}
	return string(raw), nil
}

// draftOf is a note given on the command line as a new draft, with the id
// it will be saved under.
func draftOf(in data.NewNote) data.Draft {
	d := data.NewDraft(in.AccountID, in.Kind, data.DraftFromCLI, in.HappenedAt)
	d.Body = in.Body
	for _, s := range in.NextSteps {
		ds := data.DraftStep{Title: s.Title}
		if s.DueOn != nil {
			ds.Due = s.DueOn.String()
		}
		d.NextSteps = append(d.NextSteps, ds)
	}
	return d
}

// noteRun is one `csm note` on a resolved account.
type noteRun struct {
	cmd    *cobra.Command
	st     *data.Store
	drafts *data.Drafts
	acct   model.Account
	query  string // as typed: what the CSM types again to resume
}

// save saves the draft's note once. On failure the draft is kept; on
// success it is removed, with the editor's file when there is one.
func (n noteRun) save(ctx context.Context, d data.Draft, editorFile string) error {
	if d.Empty() {
		n.drop(d.ID, editorFile)
		return errNoteEmpty
	}
	in := d.NewNote()
	note, err := n.st.CreateNote(ctx, in)
	if err != nil {
		return n.keep(d, editorFile, err, editorResult{})
	}
	printNoteSaved(n.cmd, note, n.acct, len(in.NextSteps))
	if err := n.drop(d.ID, editorFile); err != nil {
		// The note is saved; resuming the draft would find it saved.
		fmt.Fprintf(n.cmd.ErrOrStderr(), "csm: %s\n", safe.Text(err.Error()))
	}
	n.mentionDrafts()
	return nil
}

// drop removes a draft whose words are saved or were never typed.
func (n noteRun) drop(id, editorFile string) error {
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
func (n noteRun) keep(d data.Draft, editorFile string, cause error, ed editorResult) error {
	d.UpdatedAt, d.Seq = time.Time{}, 0
	if err := n.drafts.Save(d); err != nil {
		if editorFile != "" {
			return fmt.Errorf("%w; nothing saved, and no draft could be written (%v): your text is in %s", cause, err, editorFile)
		}
		// The last place left for the words is the terminal.
		fmt.Fprintf(n.cmd.ErrOrStderr(), "csm: no draft could be written (%s); the note was:\n%s\n",
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
	return &draftKeptError{cause: cause, path: path, resume: resume}
}

// draftKeptError is a failure after which the CSM's words are safe in a
// draft: one sentence says where, and how to get them back.
type draftKeptError struct {
	cause  error
	path   string
	resume string
}

func (e *draftKeptError) Error() string {
	return fmt.Sprintf("%v; nothing saved: your note is kept in %s; get it back with: %s", e.cause, e.path, e.resume)
}

func (e *draftKeptError) Unwrap() error { return e.cause }

// mentionDrafts says, after a save, that the account has notes still
// kept as drafts, so a forgotten one does not stay forgotten.
func (n noteRun) mentionDrafts() {
	left, err := n.drafts.ForAccount(n.acct.ID)
	if err != nil {
		return
	}
	left = slices.DeleteFunc(left, data.Draft.Empty)
	w, name, q := n.cmd.ErrOrStderr(), safe.Line(n.acct.Name), safe.Line(shellArg(n.query))
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
func (n noteRun) resume(ctx context.Context, noEdit bool) error {
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
func (n noteRun) noDraft() error {
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
func (n noteRun) adoptEditorFile(d data.Draft) data.Draft {
	raw, err := os.ReadFile(n.editorPath(d.ID))
	if err != nil {
		return d
	}
	if body, steps := parseNoteText(string(raw), time.Now()); body != "" || len(steps) > 0 {
		d.Body, d.NextSteps = body, draftSteps(steps)
	}
	return d
}

func (n noteRun) editorPath(id string) string { return filepath.Join(n.drafts.Dir(), id+".md") }

// edit opens the editor on the draft's text and saves what comes back. The
// draft is on disk before the editor opens and its file lives beside it,
// so the words are recoverable at every step, whatever stops csm.
func (n noteRun) edit(ctx context.Context, d data.Draft, resumed bool) error {
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
	res := runEditor(ctx, n.cmd, path)
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
	body, steps := parseNoteText(string(raw), time.Now())
	typed := body != "" || len(steps) > 0
	// After a failure, a resumed draft whose file lost its words keeps
	// the words it had.
	if typed || res.err == nil {
		d.Body, d.NextSteps = body, draftSteps(steps)
	}
	return d, !resumed && (string(raw) == initial || !typed)
}

func draftSteps(steps []data.NextStep) []data.DraftStep {
	return draftOf(data.NewNote{NextSteps: steps}).NextSteps
}

// editorResult is how the editor ended.
type editorResult struct {
	err error
	// keepFile: the editor's file may hold words the draft lacks, because
	// csm was interrupted and the editor had not exited after editorGrace
	// (it may still write the file), or the file could not be read.
	keepFile bool
	noStart  bool // the editor could not be started
}

// editorGrace is how long an interrupted csm waits for the editor, which
// got the same hangup or interrupt from the terminal, to write its file.
var editorGrace = time.Second

// runEditor runs the editor on path. It is not tied to the command's
// context: on a hangup the editor gets the terminal's signal itself and
// may save its buffer, which killing it would lose. csm stops waiting for
// it after editorGrace, keeping whatever it wrote.
func runEditor(ctx context.Context, cmd *cobra.Command, path string) editorResult {
	editor := strings.Fields(firstNonEmpty(strings.TrimSpace(os.Getenv("VISUAL")), strings.TrimSpace(os.Getenv("EDITOR")), "vi"))
	c := exec.Command(editor[0], append(editor[1:], path)...)
	c.Stdin, c.Stdout, c.Stderr = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
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
	case <-time.After(editorGrace):
		return editorResult{err: interrupted, keepFile: true}
	}
}

func printNoteSaved(cmd *cobra.Command, n model.Note, acct model.Account, steps int) {
	fmt.Fprintf(cmd.OutOrStdout(), "saved note %s for %s (%s) · will sync\n",
		noteShortID(n.ID), safe.Line(acct.Name), model.Plural(steps, "follow-up"))
}

// shellArg quotes s for a POSIX shell when it needs it, so a command csm
// suggests can be pasted as it is.
func shellArg(s string) string {
	plain := func(r rune) bool {
		return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_./:@%+=,", r))
	}
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool { return !plain(r) }) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// noteShortID is enough of a UUID to tell notes apart on screen.
func noteShortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// parseNoteKind accepts a kind in any case, with - for _ ("check-in").
func parseNoteKind(s string) (string, error) {
	k := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")
	if !slices.Contains(model.NoteKinds, k) {
		return "", usageError{fmt.Errorf("%q is not a kind of note: use one of %s", s, strings.Join(model.NoteKinds, ", "))}
	}
	return k, nil
}

// stepsFromFlags pairs each --due with the --next at the same position;
// today resolves its date words.
func stepsFromFlags(next, due []string, today model.Date) ([]data.NextStep, error) {
	if len(due) > len(next) {
		return nil, usageError{errors.New("each --due goes with a --next, in the same order: there are more --due than --next")}
	}
	var steps []data.NextStep
	for i, title := range next {
		title = strings.TrimSpace(title)
		if title == "" {
			return nil, usageError{fmt.Errorf("--next %d is empty", i+1)}
		}
		s := data.NextStep{Title: title}
		if i < len(due) && strings.TrimSpace(due[i]) != "" {
			d, err := model.ParseDateWord(due[i], today)
			if err != nil {
				return nil, usageError{fmt.Errorf("--due %d: %w", i+1, err)}
			}
			s.DueOn = &d
		}
		steps = append(steps, s)
	}
	return steps, nil
}

// draftText is what the editor opens with: the draft's text, its next
// steps as "- [ ]" lines, and the template's explanation. For a new note
// the first line is left empty for the text.
func draftText(acct model.Account, d data.Draft) string {
	return draftWords(d) + noteTemplate(acct, d.Kind, d.HappenedAt)
}

// draftWords is the draft written as in the editor, without the template.
func draftWords(d data.Draft) string {
	var b strings.Builder
	if d.Body != "" {
		b.WriteString(d.Body + "\n")
	}
	for _, s := range d.NextSteps {
		b.WriteString("- [ ] " + s.Title)
		if s.Due != "" {
			b.WriteString(" due " + s.Due)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// noteTemplate explains the editor's text in comment lines, which are
// dropped from the note.
func noteTemplate(acct model.Account, kind string, at time.Time) string {
	return fmt.Sprintf(`
# Note on %s (%s), %s.
#
# Write the note above. Lines starting with # are dropped.
# A line starting with "- [ ]" or "next:" becomes a follow-up; end it with
# "due" and a day (YYYY-MM-DD, today, tomorrow, +3d, +2w, fri) to give it
# a due date:
#   - [ ] Send the renewal quote due 2026-12-01
#   next: Book a training session due fri
# An empty note is cancelled and nothing is saved.
`, safe.Line(acct.Name), kind, at.Format("2006-01-02 15:04"))
}

// parseNoteText splits what the CSM wrote into the body and the next steps
// (model.ParseNoteText), with date words counted from now's day.
func parseNoteText(text string, now time.Time) (body string, steps []data.NextStep) {
	body, typed := model.ParseNoteText(text, model.LocalDay(now))
	for _, s := range typed {
		steps = append(steps, data.NextStep(s))
	}
	return body, steps
}
