package servercmd

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"csm/model"
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
docs/API.md entity per line with a "type" field (feature, playbook, checklist,
account, contact, usage_month, nps); an account line may carry csm_email.

Daily usage is folded into each month stored: rows may come in any order and
in later imports, and a day given again replaces that day. Features go into
the book of every account imported; imported alone, into every book.

Any bad row and nothing is written: each is reported as FILE:LINE: COLUMN:
what is wrong, and the exit code is 1. Only what changed is written, so
importing the same files again adds nothing to the CSMs' feeds.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			a, err := db.admin()
			if err != nil {
				return err
			}
			// The files are read and checked before the database is
			// opened: most bad rows need no database to be found.
			imp, err := teamdata.Parse(files)
			if err != nil {
				return err
			}
			return a.With(cmd.Context(), func(st *csmsync.SQLStore) error {
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

func newAdminSeedCmd(db *adminDB) *cobra.Command {
	var o model.GenOptions
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
			err := cmp.Or(checkRange("accounts", o.Accounts, 1, 100000), checkRange("csms", o.CSMs, 1, 1000), checkRange("days", o.Days, 1, 3660))
			if err != nil {
				return err
			}
			a, err := db.admin()
			if err != nil {
				return err
			}
			tenants, err := a.Seed(cmd.Context(), o)
			if errors.Is(err, csmsync.ErrCSMExists) {
				return fmt.Errorf("%w; the generated CSMs are there already, and nothing was seeded", err)
			}
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "seeded %d CSMs with %d accounts each; their tokens, shown this once:\n", len(tenants), o.Accounts)
			csmsync.WriteTokens(out, tenants)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Accounts, "accounts", 200, "accounts per CSM")
	f.IntVar(&o.CSMs, "csms", 2, "number of CSMs, one book each")
	f.IntVar(&o.Days, "days", 365, "days of usage history, ending yesterday")
	f.Int64Var(&o.Seed, "seed", 1, "seed of the generated books (same seed, same books)")
	return cmd
}
