// Command csm is a terminal cockpit for a Customer Success Manager: a local
// copy of the book of accounts, synced from a REST API, for triage, stage
// checklists, plays and notes, online or not.
//
// This package is wiring only: flags and subcommands that call the
// packages (settings, credentials, data, sync, ui, brief, status, crash…).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"csm/about"
	"csm/brief"
	"csm/campaign"
	"csm/contacts"
	"csm/crash"
	"csm/crm"
	"csm/exitcode"
	"csm/followups"
	"csm/renewals"
	"csm/safe"
	"csm/search"
	"csm/servercmd"
	"csm/settings"
	"csm/snooze"
	"csm/status"
	csmsync "csm/sync"
	"csm/timeline"
)

// usageError marks a bad invocation: csm prints usage and exits 2.
type usageError = exitcode.UsageError

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one invocation and returns the exit code: 0 done, 1 failed,
// 2 bad invocation, 3 offline with changes waiting, 4 token refused, 130
// interrupted (see csm help exit-codes).
func run(args []string, stdout, stderr *os.File) int {
	return runRoot(newRootCmd(), args, stdout, stderr)
}

// runRoot is run with its command tree given (tests add to it). A panic
// ends in a crash report and exit 1 (see the crash package).
func runRoot(root *cobra.Command, args []string, stdout, stderr *os.File) (code int) {
	// SIGTERM and SIGHUP stop a command as Ctrl-C does; only Ctrl-C
	// (SIGINT) makes a failed command exit 130, the shell's convention.
	stopped, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	ctx, stopInt := signal.NotifyContext(stopped, os.Interrupt)
	defer stopInt()
	defer func() {
		if r := recover(); r != nil {
			code = crash.Report(stderr, crashDataDir(root), commandName(root, args), crash.Recovered(r))
		}
	}()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var c *crash.Crash
	if errors.As(err, &c) {
		return crash.Report(stderr, crashDataDir(root), commandName(root, args), c)
	}
	if ctx.Err() != nil && stopped.Err() == nil {
		// Ctrl-C: what was done stays done.
		fmt.Fprintf(stderr, "csm: interrupted (%s)\n", safe.Line(err.Error()))
		return exitcode.Interrupted
	}
	if msg, code := exitcode.Words(root, args, err, csmsync.Plain); code != exitcode.Failed {
		fmt.Fprintf(stderr, "csm: %s\n", safe.Text(msg))
		return code
	}
	var ue usageError
	var sue servercmd.UsageError // serve's and admin's
	if errors.As(err, &ue) || errors.As(err, &sue) || exitcode.IsCobraUsage(err) {
		fmt.Fprintf(stderr, "csm: %s\nRun 'csm --help' for usage.\n", safe.Text(err.Error()))
		return 2
	}
	// Errors can quote the server or the data: printed through the one
	// sanitizer, like everything drawn on the terminal.
	fmt.Fprintf(stderr, "csm: %s\n", safe.Text(err.Error()))
	return 1
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "csm",
		Short: "A terminal cockpit for a Customer Success Manager",
		Long: `csm keeps a local copy of your book of accounts, synced from your server,
and shows who needs you today and why: health, utilization, segments and
alerts, stage checklists, plays and notes. Everything works offline; changes
are pushed exactly once when the network is back.

Try it with no setup:  csm demo`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTUI(cmd.Context(), settingsFrom(cmd))
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{Err: err} })
	addSettingsFlags(root)
	root.AddCommand(newDemoCmd(), servercmd.NewServeCmd(), newSyncCmd(), newAccountsCmd(), brief.NewCmd(openForReading), newConfigCmd(),
		newNoteCmd(), status.NewCmd(openForReading, settingsFrom), search.NewCmd(openForReading), newLoginCmd(), newLogoutCmd(), newRepairCmd())
	root.AddCommand(servercmd.NewAdminCmd())
	root.AddCommand(campaign.NewCmd(openForReading))
	root.AddCommand(contacts.NewCmd(openForWriting))
	root.AddCommand(renewals.NewCmd(openForReading))
	root.AddCommand(crm.NewCmd(openForReading, settingsFrom))
	root.AddCommand(followups.NewCmd(openForReading), followups.NewFollowupCmd(openForWriting), snooze.NewCmd(openForWriting))
	root.AddCommand(timeline.NewCmd(openForReading))
	about.Register(root)
	return root
}

// crashDataDir is where a crash report of this invocation goes: the data
// directory as the flag, the environment or the config file name it.
func crashDataDir(root *cobra.Command) string {
	var fromFlag string
	if f := root.PersistentFlags().Lookup("data-dir"); f != nil {
		fromFlag = f.Value.String()
	}
	return settings.DataDir(fromFlag)
}

// commandName is the command an invocation ran ("csm sync"), without its
// arguments, which may hold private text.
func commandName(root *cobra.Command, args []string) string {
	if c, _, err := root.Find(args); err == nil {
		return c.CommandPath()
	}
	return root.Name()
}
