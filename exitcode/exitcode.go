// Package exitcode holds csm's exit codes and the plain-words errors that
// carry them to main, so every command answers the same way.
package exitcode

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// The exit codes of every csm command (documented in `csm help exit-codes`,
// the README and `csm sync --help`).
const (
	OK          = 0   // done
	Failed      = 1   // the command failed
	Usage       = 2   // bad invocation
	Offline     = 3   // the server cannot be reached; changes wait on this computer
	Auth        = 4   // the server refused the token
	Interrupted = 130 // stopped by Ctrl-C (SIGINT) or a termination signal
)

// Help is the text of `csm help exit-codes`.
const Help = `Every csm command ends with one of these exit codes:

  0    done (csm sync: synced, or another csm is syncing: nothing to do)
  1    the command failed (the message says why)
  2    bad invocation: an unknown command or flag, a missing or extra
       argument, a bad value, no server configured
  3    offline: the server cannot be reached; changes wait, saved on this
       computer, and are sent by the next sync that reaches it
  4    authentication: the server refused the token; run csm login again
  130  interrupted: Ctrl-C stopped the command; what a sync had already
       applied is kept, the rest comes with the next one

Scripts can tell "try later" (3) from "fix the setup" (2, 4) from a
failure (1), for example in cron:

  csm sync --quiet || [ $? -eq 3 ]`

// Error is a message for the CSM with the exit code it ends in.
type Error struct {
	Code int
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// UsageError marks a bad invocation: csm prints the error, points to
// --help and exits 2.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }

// Usagef is a UsageError with a message made as fmt.Errorf makes one.
func Usagef(format string, a ...any) error { return UsageError{fmt.Errorf(format, a...)} }

// Unwrap gives the error inside.
func (e UsageError) Unwrap() error { return e.Err }

// SyncHelp is the table of exit codes `csm sync --help` ends with.
const SyncHelp = `

Exit codes:
  0  synced (or another csm is syncing: nothing to do)
  1  the sync failed
  2  bad invocation (no server configured, bad flags or URL)
  3  offline: the server cannot be reached; changes wait on this computer
  4  the server refused the token: run csm login again
  130  interrupted (Ctrl-C): what was applied is kept

See csm help exit-codes.`

// Words says an error in the CSM's words with its exit code: an Error as
// it is; cobra's wrong argument count with the command's usage line;
// otherwise what plain makes of it (the sync package's offline and refused
// token). Failed means none of these: the caller says it its own way.
func Words(root *cobra.Command, args []string, err error, plain func(error, int) (string, int)) (string, int) {
	var e *Error
	if errors.As(err, &e) {
		return e.Msg, e.Code
	}
	if cmd, _, ferr := root.Find(args); ferr == nil && cmd != root && strings.Contains(err.Error(), " arg(s)") {
		return fmt.Sprintf("%s\nRun '%s --help' for usage.", ArgsMessage(cmd, err), cmd.CommandPath()), Usage
	}
	if msg, code := plain(err, -1); code != Failed {
		return msg, code
	}
	return "", Failed
}

// IsCobraUsage recognises the errors cobra makes for unknown commands and
// wrong argument counts, which it does not type.
func IsCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires ", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// ArgsMessage turns cobra's "accepts 1 arg(s), received 0" into words:
// "csm note needs ACCOUNT: csm note ACCOUNT [flags]" (what the command's
// usage line names), or "csm sync takes no arguments: csm sync [flags]".
func ArgsMessage(cmd *cobra.Command, err error) string {
	line := cmd.UseLine()
	path := cmd.CommandPath()
	fields := strings.Fields(cmd.Use)
	var want []string
	for _, f := range fields[1:] {
		if strings.HasPrefix(f, "-") {
			break
		}
		if !strings.HasPrefix(f, "[") {
			want = append(want, strings.TrimSuffix(f, "..."))
		}
	}
	switch {
	case len(want) == 0:
		return fmt.Sprintf("%s takes no arguments: %s", path, line)
	case strings.Contains(err.Error(), "received 0") || strings.HasPrefix(err.Error(), "requires at least"):
		return fmt.Sprintf("%s needs %s: %s", path, strings.Join(want, " "), line)
	default:
		return fmt.Sprintf("%s takes %s only: %s", path, strings.Join(want, " "), line)
	}
}
