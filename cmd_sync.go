package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/exitcode"
	"csm/safe"
	csmsync "csm/sync"
)

func newSyncCmd() *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Push local changes, pull the server's, and print a summary",
		Long: `Push the changes waiting in the outbox, then pull the server's change feed
into the local database and recompute metrics. Prints one summary line (what
was applied before a failure is kept). When another csm is syncing the same
database, says so and exits 0. When the server cannot be reached, says so at
once: offline is a state, and what waits stays saved on this computer.

Exit codes:
  0  synced (or another csm is syncing: nothing to do)
  1  the sync failed
  2  bad invocation (no server configured, bad flags or URL)
  3  offline: the server cannot be reached; changes wait on this computer
  4  the server refused the token: run csm login again`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := settingsFrom(cmd)
			if err := requireServer(s); err != nil {
				return err
			}
			// The URL is checked before the database is opened, so a bad
			// invocation changes nothing, not even by creating a file.
			c, err := csmsync.NewClient(s.ServerURL, s.Token)
			if err != nil {
				return usageError{err}
			}
			st, err := s.OpenConfigured(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			sum, err := csmsync.Run(cmd.Context(), c, st)
			out := cmd.OutOrStdout()
			if pending, _, _ := st.OutboxCounts(cmd.Context()); err != nil {
				if msg, code := csmsync.Plain(err, pending); code != exitcode.Failed {
					return &exitcode.Error{Code: code, Msg: msg}
				}
			}
			if errors.Is(err, data.ErrSyncBusy) || errors.Is(err, data.ErrCursorMoved) {
				// cron and the TUI's timer meet here often: the other
				// sync does this one's work, so this is no failure.
				fmt.Fprintf(out, "%s; nothing to do\n", safe.Line(err.Error()))
				return nil
			}
			fmt.Fprintln(out, safe.Line(sum.String()))
			if verbose {
				for _, inv := range sum.Invalid {
					fmt.Fprintf(out, "  skipped: %s\n", safe.Line(inv))
				}
			}
			return err
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every invalid entity that was skipped")
	return cmd
}
