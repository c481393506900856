package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	csmsync "csm/sync"
)

func newAdminCmd() *cobra.Command {
	db := &adminDB{}
	cmd := &cobra.Command{
		Use:   "admin",
		Short: "Manage the team server's database: schema, CSMs and tokens, imports",
		Long: `Manage the database csm serve --db serves: its schema, the CSMs and their
tokens, and the team's data.

The database is --db or CSM_SERVE_DB: a file path or sqlite:PATH for SQLite,
postgres://... for PostgreSQL. Pending migrations run whenever it is opened.

Exit codes: 0 done, 1 failed (nothing was changed by a failed import), 2 bad
usage.`,
		// A RunE makes cobra refuse an unknown subcommand (exit 2) instead
		// of printing the help as if it had been asked for.
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVar(&db.flag, "db", "", "the team database: PATH, sqlite:PATH or postgres://... (env "+serveDBEnv+")")
	cmd.AddCommand(newAdminMigrateCmd(db), newAdminUserCmd(db), newAdminImportCmd(db), newAdminSeedCmd(db))
	return cmd
}

// adminDB is the database of an admin command.
type adminDB struct {
	flag string // --db
}

// url is --db, else CSM_SERVE_DB; none, or one of a scheme csm does not
// know, is bad usage.
func (a *adminDB) url() (string, error) {
	u := cmp.Or(a.flag, os.Getenv(serveDBEnv))
	if u == "" {
		return "", usageError{fmt.Errorf("no database: give --db URL or set %s", serveDBEnv)}
	}
	if scheme, _, ok := strings.Cut(u, "://"); ok {
		switch strings.ToLower(scheme) {
		case "postgres", "postgresql", "sqlite":
		default:
			return "", usageError{fmt.Errorf("--db %s: unknown scheme %q (use a file path, sqlite:PATH or postgres://...)", redactDB(u), scheme)}
		}
	}
	return u, nil
}

// open opens (and migrates) the database. Commands check their arguments
// first: a bad invocation must not create a database file.
func (a *adminDB) open(ctx context.Context) (*csmsync.SQLStore, string, error) {
	u, err := a.url()
	if err != nil {
		return nil, "", err
	}
	st, err := csmsync.OpenSQLStore(ctx, u)
	if err != nil {
		return nil, "", dbError("open", u, err)
	}
	return st, u, nil
}

// with opens the database, runs fn and closes it; a failure to close is
// an error too, since it may be the commit of what fn wrote.
func (a *adminDB) with(ctx context.Context, fn func(st *csmsync.SQLStore) error) (err error) {
	st, u, err := a.open(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = dbError("close", u, cerr)
		}
	}()
	if err := fn(st); err != nil {
		return scrubPassword(err, u)
	}
	return nil
}

func newAdminMigrateCmd(db *adminDB) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the schema, and print its version",
		Long: `Create the schema of an empty database or run the migrations an older one
lacks, in one transaction, then print the schema version. A database of a
newer schema than this csm knows is left unchanged, and the command fails.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return db.with(cmd.Context(), func(st *csmsync.SQLStore) error {
				v, err := st.Migrate(cmd.Context())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "schema version %d\n", v)
				return nil
			})
		},
	}
}

// checkEmail refuses what cannot be a CSM's email: it names them in
// every list and message, and is how the admin finds them again.
func checkEmail(email string) error {
	local, domain, ok := strings.Cut(email, "@")
	switch {
	case !ok || local == "" || domain == "" || strings.Contains(domain, "@"):
		return usageError{fmt.Errorf("%q is not an email address", email)}
	case len(email) > 254:
		return usageError{errors.New("the email is longer than 254 bytes")}
	case !utf8.ValidString(email) || strings.IndexFunc(email, func(r rune) bool { return r == ' ' || !unicode.IsPrint(r) }) >= 0:
		return usageError{fmt.Errorf("%q: an email has no spaces or control characters", email)}
	}
	return nil
}
