package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/settings"
	csmsync "csm/sync"
)

func newRepairCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "repair",
		Short: "Rebuild a damaged database, keeping the changes not yet sent",
		Long: `Check every page of the database. A sound database is left alone. A damaged
one is copied aside, as it was, to csm.db.damaged-<time>; a fresh database is
built in its place with every unsent change that can still be read (and the
notes, follow-ups, checklist ticks and plays they describe); then, if a server
is configured, a full sync pushes those changes and brings the book back.

Quit every other csm before you run it: one still running would go on writing
to the damaged file.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRepair(cmd.Context(), settingsFrom(cmd), cmd.OutOrStdout(), time.Now())
		},
	}
}

func runRepair(ctx context.Context, s settings.Settings, out io.Writer, now time.Time) error {
	path := s.DBPath()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("there is no database at %s, so there is nothing to repair; check --data-dir or CSM_DATA_DIR", path)
	}
	err := data.Check(ctx, path)
	if err == nil {
		fmt.Fprintf(out, "The database at %s is sound; nothing to repair.\n", path)
		return nil
	}
	var dbe *data.DBError
	if !errors.As(err, &dbe) || !errors.Is(err, data.ErrCorrupt) {
		return err // locked, unreadable: repair would not help
	}
	fmt.Fprintf(out, "The database at %s is damaged (%s); rebuilding it.\n", path, dbe.Detail)
	rep, err := data.Repair(ctx, path, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Copied the damaged file, as it was, to %s.\n", rep.DamagedCopy)
	fmt.Fprintln(out, rep.String())
	if rep.RowsLost > 0 {
		fmt.Fprintf(out, "%d notes, follow-ups, ticks or plays could not be read; their changes are kept, and the server sends them back after the next sync.\n", rep.RowsLost)
	}
	if s.ServerURL == "" || s.Token == "" {
		fmt.Fprintln(out, "Run `csm sync` to push the kept changes and bring your book back from the server.")
		return nil
	}
	c, err := csmsync.NewClient(s.ServerURL, s.Token)
	if err != nil {
		return fmt.Errorf("the database is rebuilt with your unsent changes, but the server is not usable (%v); fix it and run `csm sync`", err)
	}
	st, err := s.OpenConfigured(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := csmsync.Run(ctx, c, st)
	if err != nil {
		return fmt.Errorf("the database is rebuilt with your unsent changes, but the sync failed (%v); run `csm sync` when the server can be reached", err)
	}
	fmt.Fprintf(out, "Synced: %s.\n", sum)
	return nil
}
