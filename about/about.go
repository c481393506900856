// Package about is what csm says of itself: its version (csm --version,
// csm version), its man page (csm man) and the help topics that are not
// commands (csm help exit-codes, csm help environment).
package about

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"csm/buildinfo"
	"csm/exitcode"
)

// Register adds --version, the version and man commands and the help
// topics to the root command: the root's one line of wiring.
func Register(root *cobra.Command) {
	root.Version = buildinfo.Get().String()
	root.SetVersionTemplate("{{.Version}}\n")
	root.AddCommand(newVersionCmd(), newManCmd(root), exitCodesTopic(), environmentTopic())
}

func newVersionCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and Go version",
		Long: `Print which csm this is: its version, the commit it was built from, when,
and with which Go. The same line as csm --version; --json for scripts
(fields version, commit, date, go_version, modified).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info := buildinfo.Get()
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(info)
			}
			_, err := fmt.Fprintln(cmd.OutOrStdout(), info.String())
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the build information as JSON")
	return cmd
}

// exitCodesTopic is `csm help exit-codes`: a help topic, not a command.
func exitCodesTopic() *cobra.Command {
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "What csm's exit codes mean (0, 1, 2, 3, 4, 130)",
		Long:  exitcode.Help,
	}
}

// environmentTopic is `csm help environment`.
func environmentTopic() *cobra.Command {
	return &cobra.Command{
		Use:   "environment",
		Short: "Every environment variable csm reads",
		Long:  Environment,
	}
}

// Environment is the text of `csm help environment`. A test checks that
// every variable the code reads is named here.
const Environment = `csm reads these environment variables. A flag beats the environment,
which beats the config file.

  CSM_DATA_DIR     where the database lives (flag --data-dir); default
                   $XDG_DATA_HOME/csm, else ~/.local/share/csm
  CSM_SERVER_URL   the sync server's URL (flag --server); default the one
                   csm login stored
  CSM_TOKEN        the token for the server; beats the one csm login stored
                   in the OS keyring (it is never printed)
  CSM_CONFIG       the config file of thresholds and health weights; default
                   $XDG_CONFIG_HOME/csm/config.toml, else ~/.config/csm/...
  CSM_SERVE_DB     csm serve and csm admin: the team database's URL
                   (postgres://... or sqlite:PATH; flag --db)
  XDG_DATA_HOME    the base of the default data directory
  XDG_CONFIG_HOME  the base of the default config directory
  HOME             the base of both when the XDG variables are unset
  VISUAL, EDITOR   the editor of csm note without -m: VISUAL first, then
                   EDITOR, else vi. Run through the shell as git does, so
                   "code --wait" and quoted paths with spaces work
  NO_COLOR         set (to anything): no colours; bold and reverse stay
  TERM, COLORTERM  how many colours the terminal shows
  COLORFGBG        csm brief on a terminal: a light background ("0;15")
                   gets the light style
  TMPDIR           where a crash report goes when the data directory cannot
                   take it
  SOURCE_DATE_EPOCH  csm man: the date printed in the man page (for
                   reproducible packages)`
