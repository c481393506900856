// Package renewals is `csm renewals`: the accounts renewing in the next N
// days, by month, with ARR, health and the risks that matter, and the
// renewing and at-risk ARR per currency, as the cockpit's Renewals screen
// shows them. The rules are the model's (model.ForecastRenewals): within
// rules.renewal_window_days the list is exactly the renewal_soon segment.
package renewals

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/accounts"
	"csm/data"
	"csm/exitcode"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// MaxDays bounds --days: ten years ahead is past any contract.
const MaxDays = 3660

// NewCmd makes the command; open opens the local database for reading.
func NewCmd(open func(cmd *cobra.Command) (*data.Store, error)) *cobra.Command {
	var days int
	var asJSON, asCSV bool
	cmd := &cobra.Command{
		Use:   "renewals",
		Short: "The accounts renewing in the next N days, by month, with the ARR at risk",
		Long: `List the accounts whose renewal date falls between the book's usage day and
--days days later (default 180), by month, soonest first: each with its ARR,
health and the risks that matter for the renewal (danger zone, the crisis
and relationship change alerts, champion left, detractor, low utilization).
Totals are per currency, never added across currencies: the ARR renewing
and the ARR at risk (renewals with at least one risk).

Within rules.renewal_window_days (90 by default) the list is exactly the
renewal_soon segment: csm renewals --days 90 and csm accounts --segment
renewal_soon name the same accounts. Snoozed alerts do not count as risks
while they sleep, as in the cockpit.

--json prints one object: as_of, days, totals (per currency: currency,
accounts, at_risk, renewing_arr_cents, at_risk_arr_cents) and months (each
with month, totals and renewals: id, name, arr_cents, currency, renewal_on,
renewal_in_days, health, stage, risks).

--csv prints one row per renewal, for a spreadsheet: id, name, month,
renewal_on, renewal_in_days, arr_cents, currency, health, stage, risks
(separated by ;) and at_risk. Text that a spreadsheet would read as a
formula starts with '.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if days < 0 || days > MaxDays {
				return &exitcode.Error{Code: exitcode.Usage, Msg: fmt.Sprintf("--days %d: give a number of days from 0 to %d", days, MaxDays)}
			}
			if asJSON && asCSV {
				return &exitcode.Error{Code: exitcode.Usage, Msg: "--json and --csv: choose one"}
			}
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			book, err := accounts.Read(cmd.Context(), st, time.Now())
			if err != nil {
				return err
			}
			f := Forecast(book, days)
			out := cmd.OutOrStdout()
			switch {
			case asJSON:
				return WriteJSON(out, f)
			case asCSV:
				return WriteCSV(out, f)
			case !book.Computed:
				return fmt.Errorf("no data yet: run csm sync")
			}
			return WriteTable(out, f)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&days, "days", model.DefaultRenewalDays, "how many days ahead to look")
	fl.BoolVar(&asJSON, "json", false, "print one JSON object, for scripts")
	fl.BoolVar(&asCSV, "csv", false, "print CSV, one row per renewal, for a spreadsheet")
	return cmd
}

// Forecast is the book's renewals of the next days days, by the model's
// one rule (the cockpit's Renewals screen calls model.ForecastRenewals on
// the same rows).
func Forecast(book data.Book, days int) model.RenewalForecast {
	return model.ForecastRenewals(Inputs(book.Rows), book.Totals.AsOf, days)
}

// Inputs points the model at the rows' accounts and metrics.
func Inputs(rows []data.BookRow) []model.RenewalInput {
	in := make([]model.RenewalInput, len(rows))
	for i := range rows {
		in[i] = model.RenewalInput{Account: &rows[i].Account, Metrics: &rows[i].Metrics}
	}
	return in
}

// WriteJSON prints the forecast as one JSON object. Names go out as
// stored: the encoder escapes control characters.
func WriteJSON(w io.Writer, f model.RenewalForecast) error {
	for i := range f.Months {
		for j := range f.Months[i].Renewals {
			if f.Months[i].Renewals[j].Risks == nil {
				f.Months[i].Renewals[j].Risks = []string{}
			}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// CSVHeader is the first row of --csv.
var CSVHeader = []string{"id", "name", "month", "renewal_on", "renewal_in_days", "arr_cents", "currency", "health", "stage", "risks", "at_risk"}

// WriteCSV prints one row per renewal, soonest first.
func WriteCSV(w io.Writer, f model.RenewalForecast) error {
	var rows [][]string
	for _, m := range f.Months {
		for _, r := range m.Renewals {
			rows = append(rows, []string{
				safe.CSVText(r.AccountID), safe.CSVText(r.Name), m.Month, r.RenewalOn.String(),
				strconv.Itoa(r.RenewalInDays), strconv.FormatInt(r.ARRCents, 10), safe.CSVText(r.Currency),
				strconv.FormatFloat(r.Health, 'f', -1, 64), safe.CSVText(r.Stage),
				strings.Join(r.Risks, ";"), strconv.FormatBool(r.AtRisk()),
			})
		}
	}
	return safe.WriteCSV(w, CSVHeader, rows)
}

// WriteTable prints the forecast as aligned plain text: a head line, the
// totals, then each month with its totals and its renewals.
func WriteTable(w io.Writer, f model.RenewalForecast) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s in the next %d days · usage as of %s\n", model.Plural(f.Len(), "renewal"), f.Days, format.Day(f.AsOf))
	fmt.Fprintf(&b, "%s\n", format.RenewalTotals(f.Totals))
	for _, m := range f.Months {
		fmt.Fprintf(&b, "\n%s · %s\n", format.Month(m.Month), format.RenewalTotals(m.Totals))
		t := format.Table{Right: []bool{false, false, true, true, true, false}}
		t.Add("NAME", "RENEWS", "IN", "ARR", "HEALTH", "RISKS")
		for _, r := range m.Renewals {
			risks := format.RiskLabels(r.Risks)
			t.Add(safe.Truncate(r.Name, 32), r.RenewalOn.Time().Format("Jan 2"), format.Days(r.RenewalInDays),
				format.Money(r.ARRCents, r.Currency), fmt.Sprintf("%.1f", r.Health), risks)
		}
		if err := t.Write(&b); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
