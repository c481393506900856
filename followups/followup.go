package followups

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/complete"
	"csm/data"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// NewFollowupCmd makes `csm followup add|due|done`; open opens the local
// database for writing.
func NewFollowupCmd(open func(cmd *cobra.Command) (*data.Store, error)) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "followup",
		Short: "Add a follow-up, change its due day, or tick it done",
		Long: `Work on one follow-up from the shell, as the cockpit's follow-ups screen does.
Each change is saved on this computer at once and pushed by the next sync.

Dates are typed as everywhere in csm: ` + model.DateWordsHelp + `.
ID is the id csm followups prints (a play step's is "<play_run_id>/<step_key>").`,
		Args: cobra.NoArgs,
	}
	var due string
	add := &cobra.Command{
		Use:               "add ACCOUNT TITLE",
		ValidArgsFunction: complete.Account,
		Short:             "Add a follow-up to an account",
		Long: `Add a follow-up to ACCOUNT (an id, or the start of its name when that names
one account). The words after ACCOUNT are the title. --due WHEN sets its
due day (` + model.DateWordsHelp + `); without it the follow-up has no date.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, open, func(ctx context.Context, st *data.Store, w io.Writer, now time.Time) error {
				return Add(ctx, st, w, args[0], strings.Join(args[1:], " "), due, now)
			})
		},
	}
	add.Flags().StringVar(&due, "due", "", "when it is due: "+model.DateWordsHelp)
	dueCmd := &cobra.Command{
		Use:   "due ID WHEN",
		Short: "Change when a follow-up is due",
		Long: `Change when follow-up ID is due: WHEN is ` + model.DateWordsHelp + `, or none
for no date. A follow-up already done, or a step of a play (due a set
number of days after the play started), is refused.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, open, func(ctx context.Context, st *data.Store, w io.Writer, now time.Time) error {
				return Due(ctx, st, w, args[0], args[1], now)
			})
		},
	}
	var undo bool
	done := &cobra.Command{
		Use:   "done ID",
		Short: "Tick a follow-up done (a play step ticks the play's step)",
		Long: `Tick follow-up ID done; --undo reopens it. A play step's id ticks that step
of its play.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd, open, func(ctx context.Context, st *data.Store, w io.Writer, now time.Time) error {
				return Done(ctx, st, w, args[0], !undo, now)
			})
		},
	}
	done.Flags().BoolVar(&undo, "undo", false, "reopen the follow-up instead")
	cmd.AddCommand(add, dueCmd, done)
	return cmd
}

func run(cmd *cobra.Command, open func(*cobra.Command) (*data.Store, error), fn func(context.Context, *data.Store, io.Writer, time.Time) error) error {
	st, err := open(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(cmd.Context(), st, cmd.OutOrStdout(), time.Now())
}

// dueText says when a follow-up is due, as the screens write days.
func dueText(due *model.Date, today model.Date) string {
	if due == nil {
		return "no due day"
	}
	return "due " + format.ShortDay(*due, today)
}

// Add saves a follow-up on account, due on the date word due ("" for no
// date), and says what it saved.
func Add(ctx context.Context, st *data.Store, w io.Writer, account, title, due string, now time.Time) error {
	today := model.LocalDay(now)
	var day *model.Date
	if strings.TrimSpace(due) != "" {
		var err error
		if day, err = model.ParseDueWord(due, today); err != nil {
			return usage("--due: %v", err)
		}
	}
	if strings.TrimSpace(title) == "" {
		return usage("the follow-up has no title: csm followup add ACCOUNT TITLE")
	}
	a, err := st.FindAccount(ctx, account)
	if err != nil {
		return err
	}
	t, err := st.CreateTask(ctx, a.ID, title, day)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "added “%s” to %s, %s (id %s) · will sync\n", safe.Line(t.Title), safe.Line(a.Name), dueText(t.DueOn, today), t.ID)
	return err
}

// Due re-dates follow-up id to the date word when.
func Due(ctx context.Context, st *data.Store, w io.Writer, id, when string, now time.Time) error {
	today := model.LocalDay(now)
	day, err := model.ParseDueWord(when, today)
	if err != nil {
		return usage("%v", err)
	}
	r, err := st.FollowUp(ctx, id)
	if err != nil {
		return err
	}
	t, err := st.SetTaskDue(ctx, id, day)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "“%s” (%s) is now %s · will sync\n", safe.Line(t.Title), safe.Line(r.AccountName), dueText(t.DueOn, today))
	return err
}

// Done ticks follow-up id done, or reopens it.
func Done(ctx context.Context, st *data.Store, w io.Writer, id string, done bool, _ time.Time) error {
	r, err := st.SetFollowUpDone(ctx, id, done)
	if err != nil {
		return err
	}
	what := "done"
	if !done {
		what = "reopened"
	}
	if r.Step != nil {
		what = "step of " + safe.Line(r.Step.PlaybookName) + " " + what
	}
	_, err = fmt.Fprintf(w, "“%s” (%s): %s · will sync\n", safe.Line(r.Task.Title), safe.Line(r.AccountName), what)
	return err
}
