package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"csm/data"
	csmsync "csm/sync"
	"csm/ui"
)

func newDemoCmd() *cobra.Command {
	o := serveOptions{Token: "demo-token", Seed: 1, Accounts: 200, Days: 365}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Try csm on a generated book, no setup",
		Long: `Start the reference server on a loopback port with a generated, realistic
book, sync it into a demo database in the data directory (demo.db, made anew
on each run), and open the cockpit. The server stops when you quit.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			return runDemo(cmd.Context(), settingsFrom(cmd), o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Accounts, "accounts", o.Accounts, "accounts in the generated book")
	f.IntVar(&o.Days, "days", o.Days, "days of usage history")
	f.Int64Var(&o.Seed, "seed", o.Seed, "seed of the generated book")
	return cmd
}

func runDemo(ctx context.Context, s settings, o serveOptions) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("start the demo server: %w", err)
	}
	srv, _ := newDemoServer(o)
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()

	path := filepath.Join(s.DataDir, "demo.db")
	if err := removeDB(path); err != nil {
		return err
	}
	st, err := data.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	if s.configErr != nil {
		return s.configErr
	}
	if _, err := st.EnsureThresholds(ctx, s.Config.Thresholds); err != nil {
		return err
	}
	c, err := csmsync.NewClient("http://"+ln.Addr().String(), o.Token)
	if err != nil {
		return err
	}
	return runProgram(ctx, ui.Options{
		Store:       st,
		Sync:        syncFunc(c, st),
		SyncOnStart: true,
		AutoSync:    5 * time.Minute,
		Label:       "demo",
	})
}

// removeDB deletes a database file with its WAL and shared-memory files.
func removeDB(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("reset the demo database: %w", err)
		}
	}
	return nil
}
