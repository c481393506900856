// Package snooze is `csm snooze ACCOUNT WHEN`: put an account to sleep
// until a day, as z does in the cockpit, or wake it with --off. How long
// a snooze lasts is read by model.SnoozeUntil, for both.
package snooze

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"csm/complete"
	"csm/data"
	"csm/exitcode"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// NewCmd makes the command; open opens the local database for writing.
func NewCmd(open func(cmd *cobra.Command) (*data.Store, error)) *cobra.Command {
	var off bool
	cmd := &cobra.Command{
		Use:   "snooze ACCOUNT WHEN | snooze ACCOUNT --off",
		Short: "Snooze an account until a day, or wake it",
		Long: `Snooze ACCOUNT (an id, or the start of its name when that names one
account): until the snooze ends it raises no alert, leaves "Needs me" and
sinks to the end of the book's urgency order, as z does in the cockpit.

WHEN is how long: ` + model.SnoozeWordsHelp + `.
The account sleeps through that day and wakes the day after.
--off wakes it now. A snooze syncs: your other devices sleep and wake
with this one.`,
		ValidArgsFunction: complete.Account,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case off && len(args) != 1:
				return usage("csm snooze ACCOUNT --off takes the account alone")
			case !off && len(args) != 2:
				return usage("csm snooze ACCOUNT WHEN: say for how long (%s), or --off to wake it", model.SnoozeWordsHelp)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			when := ""
			if !off {
				when = args[1]
			}
			return Run(cmd.Context(), st, cmd.OutOrStdout(), args[0], when, time.Now())
		},
	}
	cmd.Flags().BoolVar(&off, "off", false, "wake the account now")
	return cmd
}

func usage(f string, args ...any) error {
	return &exitcode.Error{Code: exitcode.Usage, Msg: fmt.Sprintf(f, args...)}
}

// Run snoozes account until when (a snooze word), or wakes it when when is
// empty, and says what it did.
func Run(ctx context.Context, st *data.Store, w io.Writer, account, when string, now time.Time) error {
	today := model.LocalDay(now)
	var until model.Date
	if when != "" {
		var err error
		if until, err = model.SnoozeUntil(when, today); err != nil {
			return usage("%v", err)
		}
	}
	a, err := st.FindAccount(ctx, account)
	if err != nil {
		return err
	}
	name := safe.Line(a.Name)
	if when == "" {
		snoozes, err := st.Snoozes(ctx, today)
		if err != nil {
			return err
		}
		if _, ok := snoozes[a.ID][model.SnoozeAll]; !ok {
			_, err = fmt.Fprintf(w, "%s is not snoozed: nothing to wake\n", name)
			return err
		}
		if err := st.Unsnooze(ctx, a.ID, model.SnoozeAll); err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "woke %s\n", name)
		return err
	}
	if err := st.Snooze(ctx, a.ID, model.SnoozeAll, until); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "snoozed %s until %s (csm snooze %s --off wakes it)\n", name, format.Day(until), a.ID)
	return err
}
