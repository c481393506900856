package main

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"csm/crash"
	"csm/data"
	"csm/settings"
	csmsync "csm/sync"
	"csm/ui"
)

// runTUI opens the cockpit on the user's own database.
func runTUI(ctx context.Context, s settings.Settings) error {
	st, err := s.OpenConfigured(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	o := ui.Options{Store: st, AutoSync: 5 * time.Minute, Label: s.Label(), CRMURL: s.Config.CRMURL}
	if s.ServerURL != "" && s.Token != "" {
		c, err := csmsync.NewClient(s.ServerURL, s.Token)
		if err != nil {
			return usageError{Err: err}
		}
		o.Sync = syncFunc(c, st)
		o.SyncOnStart = true
	}
	return runProgram(ctx, o)
}

// syncFunc is the cockpit's sync: one csmsync.Run of the client on st,
// its progress shown in the footer.
func syncFunc(c *csmsync.Client, st *data.Store) ui.SyncFunc {
	return func(ctx context.Context) (string, error) {
		footer := func(p csmsync.Progress) { ui.SyncProgress(ctx, p.String()) }
		sum, err := csmsync.Run(csmsync.WithProgress(ctx, footer), c, st)
		return sum.String(), err
	}
}

// programOptions are added to every Bubble Tea program; tests run the
// cockpit without a terminal with them.
var programOptions []tea.ProgramOption

// runProgram runs the cockpit until the user quits or a signal stops it;
// a panic in it comes back as a *crash.Crash (see crash.RunTea).
func runProgram(ctx context.Context, o ui.Options) error {
	// The screens' store commands run under the program's context, so a
	// signal that ends the program cancels a running sync too.
	o.Context = ctx
	return crash.RunTea(ctx, ui.New(o), programOptions...)
}
