package status

import (
	"os"
	"time"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/safe"
	"csm/settings"
)

// NewCmd is csm status; open opens the local database for reading, and
// settingsOf gives the invocation's settings (the server, the token).
func NewCmd(open func(*cobra.Command) (*data.Store, error), settingsOf func(*cobra.Command) settings.Settings) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the last sync, changes waiting to be pushed, and rejected changes",
		Long: `Show when the last sync ended, which server is configured, the changes
waiting in the outbox (by type), the changes the server rejected (with its
reason), and where the database is. Works offline: it reads the local
database only.

--json prints one JSON object for scripts: last_sync (at, summary; null
if never), server (url, configured, token: where it comes from, never the
token), waiting (total, by_type), rejected (id, type, account_id,
account_name, at, error_code, error_message), database (path, size_bytes,
schema_version) and book_as_of (null before usage). Field names are kept:
new ones may be added.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := settingsOf(cmd)
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			report, err := st.Status(cmd.Context())
			if err != nil {
				return err
			}
			srv := Server{URL: s.ServerURL, Token: TokenState(s)}
			if asJSON {
				return WriteJSON(cmd.OutOrStdout(), report, srv)
			}
			Write(cmd.OutOrStdout(), report, srv, time.Now())
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object, for scripts")
	return cmd
}

// TokenState says where the token comes from, never what it is.
func TokenState(s settings.Settings) string {
	switch {
	case os.Getenv("CSM_TOKEN") != "":
		return "token from CSM_TOKEN"
	case s.Token != "":
		return "token saved by csm login"
	case s.TokenErr != nil:
		return "token unreadable: " + safe.Line(s.TokenErr.Error())
	default:
		return "no token: run `csm login`"
	}
}
