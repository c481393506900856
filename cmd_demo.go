package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	gosync "sync"
	"time"

	"github.com/spf13/cobra"

	"csm/model"
	"csm/servercmd"
	"csm/settings"
	csmsync "csm/sync"
	"csm/ui"
)

func newDemoCmd() *cobra.Command {
	d := csmsync.DemoBooks{Token: "demo-token", Seed: 1, Accounts: 200, Days: 365}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Try csm on a generated book, no setup",
		Long: `Start the reference server on a loopback port with a generated, realistic
book, sync it into a demo database in the data directory (demo.db, made anew
on each run: demo notes are reset by the next csm demo; yours never touched),
and open the cockpit. csm --demo accounts|brief|search|status reads it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := servercmd.ValidateDemo(d); err != nil {
				return err
			}
			return runDemo(cmd.Context(), settingsFrom(cmd), d)
		},
	}
	f := cmd.Flags()
	f.IntVar(&d.Accounts, "accounts", d.Accounts, "accounts in the generated book")
	f.IntVar(&d.Days, "days", d.Days, "days of usage history")
	f.Int64Var(&d.Seed, "seed", d.Seed, "seed of the generated book")
	return cmd
}

func runDemo(ctx context.Context, s settings.Settings, d csmsync.DemoBooks) error {
	o, stop, err := startDemo(ctx, s, d)
	if err != nil {
		return err
	}
	defer stop()
	defer fmt.Fprintf(os.Stderr, "the demo's database: %s (read it with csm --demo accounts|brief|search|status)\n", s.DemoDBPath())
	return runProgram(ctx, o)
}

// startDemo starts the demo's server and opens its fresh database, and
// returns the cockpit's options; stop closes both.
//
// The book is generated while the database opens and the cockpit starts
// (saying it loads the demo book): the server listens at once, and its
// first request waits for the book.
func startDemo(ctx context.Context, s settings.Settings, d csmsync.DemoBooks) (ui.Options, func(), error) {
	ready := make(chan http.Handler, 1)
	// Its client is in this process: compressing pages would be work for
	// nothing.
	go func() { ready <- csmsync.NewServer(demoTenants(d), csmsync.ServerUncompressed()).Handler() }()
	var (
		once    gosync.Once
		handler http.Handler
	)
	url, stopServer, err := csmsync.ServeLoopback(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { handler = <-ready })
		handler.ServeHTTP(w, r)
	}))
	if err != nil {
		return ui.Options{}, nil, fmt.Errorf("start the demo server: %w", err)
	}
	path := s.DemoDBPath()
	if err := removeDB(path); err != nil {
		stopServer()
		return ui.Options{}, nil, err
	}
	st, err := s.OpenConfiguredAt(ctx, path)
	if err != nil {
		stopServer()
		return ui.Options{}, nil, err
	}
	stop := func() { st.Close(); stopServer() }
	c, err := csmsync.NewClient(url, d.Token)
	if err != nil {
		stop()
		return ui.Options{}, nil, err
	}
	return ui.Options{
		Store:       st,
		Sync:        syncFunc(c, st),
		SyncOnStart: true,
		AutoSync:    5 * time.Minute,
		Label:       settings.DemoLabel,
	}, stop, nil
}

// demoTenants is the demo's book: the first book of csm serve's demo, the
// only one csm demo signs in to, so the only one it generates.
func demoTenants(d csmsync.DemoBooks) []csmsync.Tenant {
	o := model.GenOptions{Seed: d.Seed, Accounts: d.Accounts, Days: d.Days, CSMs: 1}
	return csmsync.GenerateTenants(o, func(int, model.Book) string { return d.Token })
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
