package main

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"csm/model"
	"csm/safe"
	csmsync "csm/sync"
	"csm/teamdata"
)

func newAdminImportCmd(db *adminDB) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE...",
		Short: "Load the team's data from CSV or .jsonl files, all or nothing",
		Long: `Load the team's data into the CSMs' books, in one transaction. CSV files are
named by what they hold, with a header row and columns in any order:

  features.csv     key, name, high_value
  accounts.csv     id, name, tier, stage, licenses, arr_cents, currency,
                   purchased_on, onboarding_started_on, onboarding_completed_on,
                   renewal_on, ae_name, ae_email, industry, region, csm_email
  contacts.csv     id, account_id, name, email, title, role, is_champion,
                   left_company_on, last_active_on
  usage_daily.csv  account_id, date, dau, wau, mau, sessions, minutes,
                   then feature:KEY per feature (users of it that day)
  nps.csv          id, account_id, contact_id, score, comment, responded_on

Dates are YYYY-MM-DD; an empty cell is null, and a column whose cells may all
be empty may be left out. csm_email puts a new account in that CSM's book;
empty, the account stays in the book that holds it. A .jsonl file holds one
API.md entity per line with a "type" field (feature, playbook, checklist,
account, contact, usage_month, nps); an account line may carry csm_email.

Daily usage is folded into each month stored: rows may come in any order and
in later imports, and a day given again replaces that day. Features go into
the book of every account imported; imported alone, into every book.

Any bad row and nothing is written: each is reported as FILE:LINE: COLUMN:
what is wrong, and the exit code is 1. Only what changed is written, so
importing the same files again adds nothing to the CSMs' feeds.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			if _, err := db.url(); err != nil {
				return err
			}
			// The files are read and checked before the database is
			// opened: most bad rows need no database to be found.
			imp, err := teamdata.Parse(files)
			if err != nil {
				return err
			}
			return db.with(cmd.Context(), func(st *csmsync.SQLStore) error {
				rep, err := teamdata.Apply(cmd.Context(), st, imp)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				tot := rep.Total()
				fmt.Fprintf(out, "imported %d rows from %d files: %d added, %d changed, %d unchanged\n",
					imp.Rows(), len(files), tot.Added, tot.Changed, tot.Unchanged)
				fmt.Fprint(out, rep.String())
				return nil
			})
		},
	}
}

type seedOptions struct {
	Accounts, CSMs, Days int
	Seed                 int64
}

func (o seedOptions) validate() error {
	switch {
	case o.Accounts < 1 || o.Accounts > 100000:
		return usageError{fmt.Errorf("--accounts must be between 1 and 100000, got %d", o.Accounts)}
	case o.CSMs < 1 || o.CSMs > 1000:
		return usageError{fmt.Errorf("--csms must be between 1 and 1000, got %d", o.CSMs)}
	case o.Days < 1 || o.Days > 3660:
		return usageError{fmt.Errorf("--days must be between 1 and 3660, got %d", o.Days)}
	}
	return nil
}

func newAdminSeedCmd(db *adminDB) *cobra.Command {
	var o seedOptions
	cmd := &cobra.Command{
		Use:   "seed --accounts N --csms K",
		Short: "Add K CSMs with generated books, for demos and load tests",
		Long: `Add K CSMs, each with a generated, realistic book of N accounts (usage ending
yesterday, notes, follow-ups, plays), in one transaction, and print each
CSM's email and token, this once. The generated CSMs' emails are fixed
(dana@example.com, …): seeding a database that has them fails and changes
nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			return db.with(cmd.Context(), func(st *csmsync.SQLStore) error {
				asOf := model.DateOf(time.Now()) - 1
				books := model.Generate(model.GenOptions{Seed: o.Seed, Accounts: o.Accounts, Days: o.Days, AsOf: asOf, CSMs: o.CSMs})
				tenants := make([]csmsync.Tenant, len(books))
				for i, b := range books {
					tenants[i] = csmsync.Tenant{Token: csmsync.NewToken(), Book: b}
				}
				err := st.SeedTenants(cmd.Context(), tenants)
				if errors.Is(err, csmsync.ErrCSMExists) {
					return fmt.Errorf("%w; the generated CSMs are there already, and nothing was seeded", err)
				}
				if err != nil {
					return err
				}
				printSeeded(cmd.OutOrStdout(), tenants, o.Accounts)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Accounts, "accounts", 200, "accounts per CSM")
	f.IntVar(&o.CSMs, "csms", 2, "number of CSMs, one book each")
	f.IntVar(&o.Days, "days", 365, "days of usage history, ending yesterday")
	f.Int64Var(&o.Seed, "seed", 1, "seed of the generated books (same seed, same books)")
	return cmd
}

// printSeeded lists each seeded CSM's email and token, one per line.
func printSeeded(out io.Writer, tenants []csmsync.Tenant, accounts int) {
	fmt.Fprintf(out, "seeded %d CSMs with %d accounts each; their tokens, shown this once:\n", len(tenants), accounts)
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, t := range tenants {
		fmt.Fprintf(w, "%s\t%s\n", safe.Line(t.Book.CSM.Email), t.Token)
	}
	_ = w.Flush() // errors of out are the caller's to see, as with Fprintf
}
