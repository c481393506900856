package servercmd

import (
	"cmp"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	csmsync "csm/sync"
)

// NewAdminCmd is csm admin.
func NewAdminCmd() *cobra.Command {
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
	cmd.PersistentFlags().StringVar(&db.flag, "db", "", "the team database: PATH, sqlite:PATH or postgres://... (env "+DBEnv+")")
	cmd.AddCommand(newAdminMigrateCmd(db), newAdminUserCmd(db), newAdminImportCmd(db), newAdminSeedCmd(db))
	return cmd
}

// adminDB is the database of an admin command.
type adminDB struct {
	flag string // --db
}

// admin is the database's operations: --db, else CSM_SERVE_DB; none, or
// one of a scheme csm does not know, is bad usage. Commands check their
// arguments first: a bad invocation must not create a database file.
func (a *adminDB) admin() (csmsync.Admin, error) {
	u := cmp.Or(a.flag, os.Getenv(DBEnv))
	if u == "" {
		return csmsync.Admin{}, UsageError{fmt.Errorf("no database: give --db URL or set %s", DBEnv)}
	}
	if err := csmsync.CheckDBScheme(u); err != nil {
		return csmsync.Admin{}, UsageError{err}
	}
	return csmsync.Admin{DB: u}, nil
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
			a, err := db.admin()
			if err != nil {
				return err
			}
			v, err := a.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "schema version %d\n", v)
			return nil
		},
	}
}

// checkEmail is a usage error unless email can be a CSM's.
func checkEmail(email string) error {
	if err := csmsync.CheckEmail(email); err != nil {
		return UsageError{err}
	}
	return nil
}
