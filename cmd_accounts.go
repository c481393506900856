package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/accounts"
	"csm/model"
)

// errNoBookData is what the table says on a database that was never synced.
var errNoBookData = errors.New("no data yet: run csm sync")

// accountsSortHelp lists the --sort keys and what each puts first.
func accountsSortHelp() string {
	var b strings.Builder
	for _, s := range model.BookSorts {
		fmt.Fprintf(&b, "  %-8s %s\n", s.Key, s.About)
	}
	return b.String()
}

func newAccountsCmd() *cobra.Command {
	var segment, sortBy string
	var asJSON, asCSV bool
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "Print the book as a table, JSON or CSV",
		Long: `Print the book of accounts from the local database, most urgent first: a
table for a quick look, or with --json one JSON array for scripts. The book
is the cockpit's: its tabs are the --segment keys, its sort key (o) cycles
through the --sort fields, and snoozes apply as they do there.

--segment KEY keeps the accounts in a view: needs_me ("Needs me": an alert,
or in or near the danger zone, and not snoozed; "attention" is its old
name), or any segment, alert or flag key (snoozed and snoozed_alert among
them). A snoozed alert is not listed in alerts while it sleeps.

--sort FIELD (ties go to the urgency order, which ends by name and id):
` + accountsSortHelp() + `
Each JSON object has id, name, tier, stage, licenses, arr_cents, currency,
renewal_on, renewal_in_days, mau, wau, dau, util, stickiness, trend,
weekly_use, feature_adoption, nps, champion, health (the 0-100 score),
segments, alerts and flags (arrays of keys) and reasons (key: sentence).
Ratios are fractions (0.42, not 42); a figure that is undefined (utilization
without licenses, trend without users 30 days ago, feature adoption without
high-value features, no NPS answer) is null.

--csv prints those fields as CSV for a spreadsheet (null is an empty cell,
lists are joined by ";"); text that would run as a formula starts with '.

On a database that was never synced, the table is an error ("no data yet")
while --json prints [] (--csv a header) and succeeds, so that scripts need
no special case.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if asJSON && asCSV {
				return usageError{Err: errors.New("--json and --csv: choose one")}
			}
			if segment != "" && !model.IsViewKey(segment) {
				return usageError{Err: fmt.Errorf("unknown segment %q: use one of %s (or attention, the old name of needs_me)", segment, strings.Join(model.ViewKeys(), ", "))}
			}
			order, ok := model.FindBookSort(sortBy)
			if !ok {
				return usageError{Err: fmt.Errorf("unknown sort field %q: use one of %s", sortBy, strings.Join(model.BookSortKeys(), ", "))}
			}
			st, err := openReadingStore(cmd.Context(), settingsFrom(cmd), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer st.Close()
			book, err := accounts.Read(cmd.Context(), st, time.Now())
			if err != nil {
				return err
			}
			rows := accounts.Select(book.Rows, segment, order)
			out := cmd.OutOrStdout()
			if asJSON {
				return accounts.WriteJSON(out, rows, book.Totals.AsOf)
			}
			if asCSV {
				return accounts.WriteCSV(out, rows, book.Totals.AsOf)
			}
			if len(book.Rows) == 0 {
				return errNoBookData
			}
			return accounts.WriteTable(out, rows, book, segment)
		},
	}
	f := cmd.Flags()
	f.StringVar(&segment, "segment", "", "only accounts in this view: needs_me, or a segment, alert or flag key")
	f.StringVar(&sortBy, "sort", model.BookSorts[0].Key, "sort by "+strings.Join(model.BookSortKeys(), ", "))
	f.BoolVar(&asJSON, "json", false, "print one JSON array, for scripts")
	f.BoolVar(&asCSV, "csv", false, "print CSV with the fields of --json, for a spreadsheet")
	cmd.RegisterFlagCompletionFunc("segment", cobra.FixedCompletions(model.ViewKeys(), cobra.ShellCompDirectiveNoFileComp))
	cmd.RegisterFlagCompletionFunc("sort", cobra.FixedCompletions(model.BookSortKeys(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}
