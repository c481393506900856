// Package exitcode holds csm's exit codes and the plain-words errors that
// carry them to main, so every command answers the same way.
package exitcode

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// The exit codes of every csm command (documented in `csm sync --help`).
const (
	OK      = 0 // done
	Failed  = 1 // the command failed
	Usage   = 2 // bad invocation
	Offline = 3 // the server cannot be reached; changes wait on this computer
	Auth    = 4 // the server refused the token
)

// Error is a message for the CSM with the exit code it ends in.
type Error struct {
	Code int
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

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
