package servercmd

import (
	"cmp"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	csmsync "csm/sync"
)

// DBEnv names the team database when --db is not given.
const DBEnv = "CSM_SERVE_DB"

// demoFlags shape the generated book, which a database replaces.
var demoFlags = []string{"accounts", "days", "seed", "token"}

// OpenTeamStore opens the database of --db; tests replace it.
var OpenTeamStore = csmsync.OpenTeamDB

// NewServeCmd is csm serve.
func NewServeCmd() *cobra.Command {
	var c csmsync.ServeConfig
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the sync server, on a team database or a generated book",
		Long: `Run the REST server of docs/API.md.

With --db (or CSM_SERVE_DB) it serves the team's database: a file path or
sqlite:PATH for SQLite, postgres://... for PostgreSQL. Pending migrations run
at start; CSMs, tokens and data are managed with csm admin.

Without --db it serves a generated, realistic book from memory: two CSMs,
the first one's token is --token, the second's is --token followed by "-c2".
Usage history ends yesterday. Nothing survives the process.

GET /healthz answers 200 while the database answers, without a token. Every
request is logged as one JSON line on stderr. SIGTERM or Ctrl-C lets the
requests in flight finish (up to 5 s), then exits 0. --tls-cert and
--tls-key serve HTTPS; otherwise serve plain HTTP on loopback or behind a
reverse proxy that terminates TLS.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c.DB = cmp.Or(c.DB, os.Getenv(DBEnv))
			if err := validateServe(c, cmd.Flags()); err != nil {
				return err
			}
			c.Open = OpenTeamStore
			return csmsync.Serve(cmd.Context(), c, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&c.Addr, "addr", "127.0.0.1:8765", "address to listen on")
	f.StringVar(&c.DB, "db", "", "the team database: PATH, sqlite:PATH or postgres://... (env "+DBEnv+")")
	f.StringVar(&c.TLSCert, "tls-cert", "", "serve HTTPS with this PEM certificate (chain); needs --tls-key")
	f.StringVar(&c.TLSKey, "tls-key", "", "the PEM private key of --tls-cert")
	f.IntVar(&c.Demo.Accounts, "accounts", 200, "without --db: accounts per CSM")
	f.IntVar(&c.Demo.Days, "days", 365, "without --db: days of usage history")
	f.Int64Var(&c.Demo.Seed, "seed", 1, "without --db: seed of the generated book (same seed, same book)")
	f.StringVar(&c.Demo.Token, "token", "dev-token", "without --db: token of the first CSM")
	return cmd
}

// validateServe checks what serve adds to the generated book's options:
// a database replaces the book, and TLS needs a certificate and its key.
func validateServe(c csmsync.ServeConfig, flags *pflag.FlagSet) error {
	if c.DB != "" {
		if err := csmsync.CheckDBScheme(c.DB); err != nil {
			return UsageError{err}
		}
		for _, name := range demoFlags {
			if flags.Changed(name) {
				return UsageError{fmt.Errorf("--%s shapes the generated book and cannot be used with a database (--db or %s); tokens come from csm admin user", name, DBEnv)}
			}
		}
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return UsageError{errors.New("--tls-cert and --tls-key go together: give both or neither")}
	}
	return ValidateDemo(c.Demo)
}

// ValidateDemo checks the generated book's options (serve's and demo's).
func ValidateDemo(d csmsync.DemoBooks) error {
	var noToken error
	if d.Token == "" {
		noToken = UsageError{errors.New("--token must not be empty")}
	}
	return cmp.Or(checkRange("accounts", d.Accounts, 1, 100000), checkRange("days", d.Days, 1, 3660), noToken)
}

// checkRange is a usage error unless lo <= v <= hi.
func checkRange(flag string, v, lo, hi int) error {
	if v < lo || v > hi {
		return UsageError{fmt.Errorf("--%s must be between %d and %d, got %d", flag, lo, hi, v)}
	}
	return nil
}
