package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/exitcode"
	"csm/safe"
	csmsync "csm/sync"
)

func newSyncCmd() *cobra.Command {
	var verbose, quiet bool
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Push local changes, pull the server's, and print a summary",
		Long: `Push the outbox, pull the server's change feed, recompute metrics; print one
summary line (what was applied before a failure is kept). Another csm syncing
this database: says so, exits 0. No server reachable: says so at once, and
what waits stays saved on this computer. While it runs, progress goes to
stderr: one line redrawn on a terminal (pages, changes, a percentage), a
plain line every few seconds otherwise, and what a retry waits for.` + exitcode.SyncHelp,
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
				return usageError{Err: err}
			}
			st, err := s.OpenConfigured(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			ctx, meter := cmd.Context(), csmsync.NewMeterFor(cmd.ErrOrStderr())
			if !quiet {
				ctx = csmsync.WithProgress(ctx, meter.Report)
			}
			sum, err := csmsync.Run(ctx, c, st)
			meter.Done()
			out := cmd.OutOrStdout()
			if quiet {
				out = io.Discard
			}
			if _, code := csmsync.Plain(err, 0); code == exitcode.Offline || code == exitcode.Auth {
				return err // offline or a refused token: said in words by main, no summary
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
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print nothing but errors: no progress, no summary (for cron)")
	return cmd
}
