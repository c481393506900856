package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/model"
	"csm/ui/safe"
)

// noteOptions are the flags of `csm note`.
type noteOptions struct {
	kind    string
	message string
	at      string
	next    []string
	due     []string
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

Without -m, csm opens $VISUAL or $EDITOR (vi when neither is set) on a
template. Lines starting with # are dropped; a line starting with "- [ ]" or
"next:" becomes a follow-up, with a due date when it ends in
"due YYYY-MM-DD". An empty note is cancelled: nothing is saved and csm exits 1.

The note is saved locally at once and pushed at the next sync; csm note
never contacts the server.

  csm note acme -m "Renewal call, happy with the rollout" --next "Send quote" --due 2026-12-01
  csm note "Globex Co" -k qbr`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNote(cmd, args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.kind, "kind", "k", model.NoteCall, "kind of note: "+strings.Join(model.NoteKinds, ", "))
	f.StringVarP(&o.message, "message", "m", "", "the note's text (opens $EDITOR when absent)")
	f.StringVar(&o.at, "at", "", `when it happened, "YYYY-MM-DD HH:MM" or YYYY-MM-DD, local time (default now)`)
	f.StringArrayVar(&o.next, "next", nil, "a next step, which becomes a follow-up (repeatable)")
	f.StringArrayVar(&o.due, "due", nil, "due date YYYY-MM-DD of the --next at the same position (repeatable)")
	return cmd
}

func runNote(cmd *cobra.Command, query string, o noteOptions) error {
	ctx := cmd.Context()
	in := data.NewNote{HappenedAt: time.Now()}
	var err error
	if in.Kind, err = parseNoteKind(o.kind); err != nil {
		return err
	}
	if o.at != "" {
		if in.HappenedAt, err = parseNoteTime(o.at); err != nil {
			return err
		}
	}
	if in.NextSteps, err = stepsFromFlags(o.next, o.due); err != nil {
		return err
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

	// The editor's file is removed once the note is saved or cancelled,
	// and kept if saving fails, so the text is never lost.
	editorFile := ""
	if cmd.Flags().Changed("message") {
		in.Body = strings.TrimSpace(o.message)
	} else {
		path, text, err := editNote(cmd, acct, in)
		editorFile = path
		if err != nil {
			removeNoteFile(editorFile)
			return err
		}
		body, steps := parseNoteText(text)
		in.Body = body
		in.NextSteps = append(in.NextSteps, steps...)
	}
	if in.Body == "" && len(in.NextSteps) == 0 {
		removeNoteFile(editorFile)
		return errNoteEmpty
	}
	n, err := st.CreateNote(ctx, in)
	if err != nil {
		if editorFile != "" {
			return fmt.Errorf("%w (your text is kept in %s)", err, editorFile)
		}
		return err
	}
	removeNoteFile(editorFile)
	printNoteSaved(cmd, n, acct, len(in.NextSteps))
	return nil
}

func removeNoteFile(path string) {
	if path != "" {
		os.Remove(path)
	}
}

func printNoteSaved(cmd *cobra.Command, n model.Note, acct model.Account, steps int) {
	plural := "s"
	if steps == 1 {
		plural = ""
	}
	fmt.Fprintf(cmd.OutOrStdout(), "saved note %s for %s (%d follow-up%s) · will sync\n",
		noteShortID(n.ID), safe.Line(acct.Name), steps, plural)
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

// parseNoteTime reads --at in local time. A day alone means noon, so the
// day stays the same in every time zone the note is later shown in.
func parseNoteTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, time.Local); err == nil {
		return t.Add(12 * time.Hour), nil
	}
	return time.Time{}, usageError{fmt.Errorf(`--at %q: write "YYYY-MM-DD HH:MM" or YYYY-MM-DD`, s)}
}

// stepsFromFlags pairs each --due with the --next at the same position.
func stepsFromFlags(next, due []string) ([]data.NextStep, error) {
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
			d, err := model.ParseDate(strings.TrimSpace(due[i]))
			if err != nil {
				return nil, usageError{fmt.Errorf("--due %d: %w", i+1, err)}
			}
			s.DueOn = &d
		}
		steps = append(steps, s)
	}
	return steps, nil
}

// noteTemplate is what the editor opens with. The first line is left empty
// for the text.
func noteTemplate(acct model.Account, in data.NewNote) string {
	return fmt.Sprintf(`
# Note on %s (%s), %s.
#
# Write the note above. Lines starting with # are dropped.
# A line starting with "- [ ]" or "next:" becomes a follow-up; end it with
# "due YYYY-MM-DD" to give it a due date:
#   - [ ] Send the renewal quote due 2026-12-01
#   next: Book a training session
# An empty note is cancelled and nothing is saved.
`, safe.Line(acct.Name), in.Kind, in.HappenedAt.Format("2006-01-02 15:04"))
}

// editNote writes the template to a temporary file, opens the editor on it
// and returns the file's path (for the caller to remove) and its text.
func editNote(cmd *cobra.Command, acct model.Account, in data.NewNote) (path, text string, err error) {
	f, err := os.CreateTemp("", "csm-note-*.md") // mode 0600: notes are private
	if err != nil {
		return "", "", fmt.Errorf("create the note file: %w", err)
	}
	path = f.Name()
	_, err = f.WriteString(noteTemplate(acct, in))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return path, "", fmt.Errorf("write the note file: %w", err)
	}
	editor := strings.Fields(firstNonEmpty(os.Getenv("VISUAL"), os.Getenv("EDITOR"), "vi"))
	c := exec.CommandContext(cmd.Context(), editor[0], append(editor[1:], path)...)
	c.Stdin, c.Stdout, c.Stderr = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	if err := c.Run(); err != nil {
		return path, "", fmt.Errorf("editor %s: %w; nothing saved", editor[0], err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return path, "", fmt.Errorf("read the note file: %w", err)
	}
	return path, string(raw), nil
}

// parseNoteText splits what the CSM wrote into the body and the next steps.
func parseNoteText(text string) (body string, steps []data.NextStep) {
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			continue
		}
		if rest, ok := stepLine(trimmed); ok {
			if s, ok := parseStep(rest); ok {
				steps = append(steps, s)
			}
			continue
		}
		lines = append(lines, line)
	}
	return strings.TrimSpace(strings.Join(lines, "\n")), steps
}

// stepLine says whether a line is a next step and returns its text.
func stepLine(line string) (string, bool) {
	for _, p := range []string{"- [ ]", "* [ ]", "next:"} {
		if len(line) >= len(p) && strings.EqualFold(line[:len(p)], p) {
			return strings.TrimSpace(line[len(p):]), true
		}
	}
	return "", false
}

// parseStep reads "title [due YYYY-MM-DD]". A date that does not parse
// stays in the title, where the CSM will see it, rather than be lost.
func parseStep(s string) (data.NextStep, bool) {
	fields := strings.Fields(s)
	if n := len(fields); n >= 3 && strings.EqualFold(fields[n-2], "due") {
		if d, err := model.ParseDate(fields[n-1]); err == nil {
			return data.NextStep{Title: strings.Join(fields[:n-2], " "), DueOn: &d}, true
		}
	}
	if s == "" {
		return data.NextStep{}, false
	}
	return data.NextStep{Title: s}, true
}
