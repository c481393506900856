package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/format"
	"csm/model"
	"csm/safe"
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
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "Print the book as a table or as JSON",
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

On a database that was never synced, the table is an error ("no data yet")
while --json prints [] and succeeds, so that scripts need no special case.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if segment != "" && !model.IsViewKey(segment) {
				return usageError{fmt.Errorf("unknown segment %q: use one of %s (or attention, the old name of needs_me)", segment, strings.Join(model.ViewKeys(), ", "))}
			}
			order, ok := model.FindBookSort(sortBy)
			if !ok {
				return usageError{fmt.Errorf("unknown sort field %q: use one of %s", sortBy, strings.Join(model.BookSortKeys(), ", "))}
			}
			st, err := openReadingStore(cmd.Context(), settingsFrom(cmd), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer st.Close()
			book, err := readBookView(cmd.Context(), st, time.Now())
			if err != nil {
				return err
			}
			rows := bookView(book.Rows, segment, order)
			out := cmd.OutOrStdout()
			if asJSON {
				return writeAccountsJSON(out, rows, book.Totals.AsOf)
			}
			if len(book.Rows) == 0 {
				return errNoBookData
			}
			return writeAccountsTable(out, rows, book, segment)
		},
	}
	f := cmd.Flags()
	f.StringVar(&segment, "segment", "", "only accounts in this view: needs_me, or a segment, alert or flag key")
	f.StringVar(&sortBy, "sort", model.BookSorts[0].Key, "sort by "+strings.Join(model.BookSortKeys(), ", "))
	f.BoolVar(&asJSON, "json", false, "print one JSON array, for scripts")
	cmd.RegisterFlagCompletionFunc("segment", cobra.FixedCompletions(model.ViewKeys(), cobra.ShellCompDirectiveNoFileComp))
	cmd.RegisterFlagCompletionFunc("sort", cobra.FixedCompletions(model.BookSortKeys(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// readBookView reads the book with the snoozes in force on now's day taken
// in (model.ApplySnoozes), as the cockpit shows it.
func readBookView(ctx context.Context, st *data.Store, now time.Time) (data.Book, error) {
	book, err := st.Book(ctx)
	if err != nil {
		return book, err
	}
	snoozes, err := st.Snoozes(ctx, model.DateOf(now))
	if err != nil {
		return book, err
	}
	for i := range book.Rows {
		model.ApplySnoozes(&book.Rows[i].Metrics, snoozes[book.Rows[i].Account.ID])
	}
	return book, nil
}

// bookView keeps the rows in the view named segment ("" keeps all,
// model.InView) in the given order, in a new slice.
func bookView(rows []data.BookRow, segment string, order model.BookSort) []data.BookRow {
	out := make([]data.BookRow, 0, len(rows))
	for _, r := range rows {
		if model.InView(&r.Metrics, segment) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(x, y data.BookRow) int { return order.Compare(&x.Account, &y.Account, &x.Metrics, &y.Metrics) })
	return out
}

// accountJSON is one object of `csm accounts --json`. Its field names are an
// interface for scripts: add fields, never rename or remove one.
type accountJSON struct {
	ID              string            `json:"id"`
	Name            string            `json:"name"`
	Tier            string            `json:"tier"`
	Stage           string            `json:"stage"`
	Licenses        int               `json:"licenses"`
	ARRCents        int64             `json:"arr_cents"`
	Currency        string            `json:"currency"`
	RenewalOn       model.Date        `json:"renewal_on"`
	RenewalInDays   int               `json:"renewal_in_days"`
	AsOf            model.Date        `json:"as_of"`
	MAU             int               `json:"mau"`
	WAU             int               `json:"wau"`
	DAU             float64           `json:"dau"`
	Util            *float64          `json:"util"`
	Stickiness      float64           `json:"stickiness"`
	Trend           *float64          `json:"trend"`
	WeeklyUse       bool              `json:"weekly_use"`
	FeatureAdoption *float64          `json:"feature_adoption"`
	NPS             *int              `json:"nps"`
	Champion        string            `json:"champion"`
	Health          float64           `json:"health"`
	Segments        []string          `json:"segments"`
	Alerts          []string          `json:"alerts"`
	Flags           []string          `json:"flags"`
	Reasons         map[string]string `json:"reasons"`
}

func newAccountJSON(r data.BookRow, asOf model.Date) accountJSON {
	a, m := r.Account, r.Metrics
	reasons := m.Reasons
	if reasons == nil {
		reasons = map[string]string{}
	}
	return accountJSON{
		ID: a.ID, Name: a.Name, Tier: a.Tier, Stage: a.Stage, Licenses: a.Licenses,
		ARRCents: a.ARRCents, Currency: a.Currency, RenewalOn: a.RenewalOn, RenewalInDays: m.RenewalInDays,
		AsOf: asOf, MAU: m.MAU, WAU: m.WAU, DAU: m.DAU, Util: m.Util, Stickiness: m.Stickiness,
		Trend: m.Trend, WeeklyUse: m.WeeklyUse, FeatureAdoption: m.FeatureAdoption,
		NPS: m.NPS, Champion: m.Champion, Health: m.Health.Score,
		Segments: keysOrEmpty(m.Segments), Alerts: keysOrEmpty(m.Alerts), Flags: keysOrEmpty(m.Flags),
		Reasons: reasons,
	}
}

// keysOrEmpty makes a nil list encode as [] rather than null.
func keysOrEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeAccountsJSON prints the rows as one JSON array. Names go out as
// stored: the encoder escapes control characters, so nothing in them can
// reach a terminal raw, and scripts get the exact string.
func writeAccountsJSON(w io.Writer, rows []data.BookRow, asOf model.Date) error {
	list := make([]accountJSON, len(rows))
	for i, r := range rows {
		list[i] = newAccountJSON(r, asOf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(list); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// accountNameWidth caps the name column, in terminal cells.
const accountNameWidth = 32

// writeAccountsTable prints the rows as an aligned plain-text table, with
// a first line saying how many accounts and as of which usage day.
func writeAccountsTable(w io.Writer, rows []data.BookRow, book data.Book, segment string) error {
	head := fmt.Sprintf("%d accounts · usage as of %s", len(book.Rows), format.Day(book.Totals.AsOf))
	if segment != "" {
		head = fmt.Sprintf("%d of %d accounts in %s · usage as of %s", len(rows), len(book.Rows), segment, format.Day(book.Totals.AsOf))
	}
	t := format.Table{Right: []bool{false, false, true, true, true, true, true, true, false}}
	t.Add("NAME", "STAGE", "HEALTH", "UTIL", "MAU", "TREND", "ARR", "RENEWAL", "FLAGS")
	for _, r := range rows {
		a, m := r.Account, r.Metrics
		flags := slices.Concat(m.Alerts, m.Segments, m.Flags)
		t.Add(
			safe.Truncate(a.Name, accountNameWidth),
			safe.Line(a.Stage),
			fmt.Sprintf("%.1f", m.Health.Score),
			format.Percent(m.Util),
			fmt.Sprint(m.MAU),
			format.SignedPercent(m.Trend),
			format.Money(a.ARRCents, a.Currency),
			format.Days(m.RenewalInDays),
			strings.Join(flags, ","),
		)
	}
	if _, err := fmt.Fprintln(w, head); err != nil {
		return err
	}
	if len(rows) == 0 {
		_, err := fmt.Fprintf(w, "no account in %s\n", segment)
		return err
	}
	return t.Write(w)
}
