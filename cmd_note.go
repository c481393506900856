package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/complete"
	"csm/compose"
	"csm/data"
	"csm/model"
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
"due" and a date word. --file takes text written the same way from a file
(- for standard input). An empty note is cancelled: nothing is saved and
csm exits 1.

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
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: complete.Account,
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
	complete.Flag(cmd, "kind", complete.NoteKinds)
	return cmd
}

// checkNoteFlags refuses flags that contradict each other.
func checkNoteFlags(cmd *cobra.Command, o noteOptions) error {
	f := cmd.Flags()
	switch {
	case f.Changed("file") && f.Changed("message"):
		return usageError{Err: errors.New("--file and -m both give the note's text: use one")}
	case o.noEdit && !o.resume:
		return usageError{Err: errors.New("--no-edit goes with --resume")}
	case o.resume:
		for _, name := range []string{"message", "file", "kind", "at", "next", "due"} {
			if f.Changed(name) {
				return usageError{Err: fmt.Errorf("--resume saves the draft as it was kept: --%s does not go with it (change it in the editor)", name)}
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
			return in, usageError{Err: fmt.Errorf("--at %q: %w", o.at, err)}
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
		if fileText, err = compose.ReadFile(o.file, cmd.InOrStdin()); err != nil {
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
	n := compose.New(st, acct, query, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())

	switch {
	case o.resume:
		return n.Resume(ctx, o.noEdit)
	case cmd.Flags().Changed("message"):
		in.Body = strings.TrimSpace(o.message)
	case cmd.Flags().Changed("file"):
		body, steps := compose.ParseText(fileText, now)
		in.Body, in.NextSteps = body, append(in.NextSteps, steps...)
	default:
		return n.Edit(ctx, compose.DraftOf(in))
	}
	return n.Save(ctx, compose.DraftOf(in))
}

// parseNoteKind accepts a kind in any case, with - for _ ("check-in").
func parseNoteKind(s string) (string, error) {
	k := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")
	if !slices.Contains(model.NoteKinds, k) {
		return "", usageError{Err: fmt.Errorf("%q is not a kind of note: use one of %s", s, strings.Join(model.NoteKinds, ", "))}
	}
	return k, nil
}

// stepsFromFlags pairs each --due with the --next at the same position;
// today resolves its date words.
func stepsFromFlags(next, due []string, today model.Date) ([]data.NextStep, error) {
	if len(due) > len(next) {
		return nil, usageError{Err: errors.New("each --due goes with a --next, in the same order: there are more --due than --next")}
	}
	var steps []data.NextStep
	for i, title := range next {
		title = strings.TrimSpace(title)
		if title == "" {
			return nil, usageError{Err: fmt.Errorf("--next %d is empty", i+1)}
		}
		s := data.NextStep{Title: title}
		if i < len(due) && strings.TrimSpace(due[i]) != "" {
			d, err := model.ParseDateWord(due[i], today)
			if err != nil {
				return nil, usageError{Err: fmt.Errorf("--due %d: %w", i+1, err)}
			}
			s.DueOn = &d
		}
		steps = append(steps, s)
	}
	return steps, nil
}
