package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"csm/data"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// errNoBookData is what the table says on a database that was never synced.
var errNoBookData = errors.New("no data yet: run csm sync")

// segmentAttention selects what the cockpit's "Needs me" tab shows: an
// alert, or in or near the danger zone.
const segmentAttention = "attention"

// accountSorts are the --sort fields. Each puts what needs the CSM first:
// the worst health, utilization and trend, the biggest ARR and MAU, the
// soonest renewal. Undefined figures go last. Ties keep the urgency order.
var accountSorts = map[string]func(x, y *data.BookRow) int{
	"urgency": nil, // the store's order
	"health":  func(x, y *data.BookRow) int { return cmp.Compare(x.Metrics.Health.Score, y.Metrics.Health.Score) },
	"name": func(x, y *data.BookRow) int {
		return cmp.Or(cmp.Compare(strings.ToLower(x.Account.Name), strings.ToLower(y.Account.Name)), cmp.Compare(x.Account.ID, y.Account.ID))
	},
	"util":    func(x, y *data.BookRow) int { return compareDefined(x.Metrics.Util, y.Metrics.Util) },
	"trend":   func(x, y *data.BookRow) int { return compareDefined(x.Metrics.Trend, y.Metrics.Trend) },
	"arr":     func(x, y *data.BookRow) int { return cmp.Compare(y.Account.ARRCents, x.Account.ARRCents) },
	"renewal": func(x, y *data.BookRow) int { return cmp.Compare(x.Metrics.RenewalInDays, y.Metrics.RenewalInDays) },
	"mau":     func(x, y *data.BookRow) int { return cmp.Compare(y.Metrics.MAU, x.Metrics.MAU) },
}

// accountSortNames lists the --sort fields in the order help shows them.
var accountSortNames = []string{"urgency", "health", "name", "util", "trend", "arr", "renewal", "mau"}

// compareDefined orders ascending with undefined (nil) figures last.
func compareDefined(x, y *float64) int {
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		return 1
	case y == nil:
		return -1
	}
	return cmp.Compare(*x, *y)
}

// segmentFilterKeys lists what --segment accepts: attention, then every
// alert, segment and flag key.
func segmentFilterKeys() []string {
	keys := []string{segmentAttention}
	keys = append(keys, model.AlertKeys...)
	keys = append(keys, model.SegmentKeys...)
	return append(keys, model.FlagKeys...)
}

func newAccountsCmd() *cobra.Command {
	var segment, sortBy string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "Print the book as a table or as JSON",
		Long: `Print the book of accounts from the local database, most urgent first: a
table for a quick look, or with --json one JSON array for scripts.

--segment KEY keeps the accounts with that segment, alert or flag key, or
"attention" for those with an alert or in or near the danger zone.
--sort FIELD: urgency (default), health, util, trend (worst first), arr, mau
(largest first), renewal (soonest first), name.

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
			if segment != "" && !slices.Contains(segmentFilterKeys(), segment) {
				return usageError{fmt.Errorf("unknown segment %q: use one of %s", segment, strings.Join(segmentFilterKeys(), ", "))}
			}
			less, ok := accountSorts[sortBy]
			if !ok {
				return usageError{fmt.Errorf("unknown sort field %q: use one of %s", sortBy, strings.Join(accountSortNames, ", "))}
			}
			st, err := openReadingStore(cmd.Context(), settingsFrom(cmd), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer st.Close()
			book, err := st.Book(cmd.Context())
			if err != nil {
				return err
			}
			rows := filterBookRows(book.Rows, segment)
			if less != nil {
				slices.SortStableFunc(rows, func(x, y data.BookRow) int { return less(&x, &y) })
			}
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
	f.StringVar(&segment, "segment", "", "only accounts with this segment, alert or flag key, or attention")
	f.StringVar(&sortBy, "sort", "urgency", "sort by "+strings.Join(accountSortNames, ", "))
	f.BoolVar(&asJSON, "json", false, "print one JSON array, for scripts")
	cmd.RegisterFlagCompletionFunc("segment", cobra.FixedCompletions(segmentFilterKeys(), cobra.ShellCompDirectiveNoFileComp))
	cmd.RegisterFlagCompletionFunc("sort", cobra.FixedCompletions(accountSortNames, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// filterBookRows keeps the rows in segment ("" keeps all), in a new slice.
func filterBookRows(rows []data.BookRow, segment string) []data.BookRow {
	out := make([]data.BookRow, 0, len(rows))
	for _, r := range rows {
		if segment == "" || rowInSegment(r.Metrics, segment) {
			out = append(out, r)
		}
	}
	return out
}

func rowInSegment(m model.AccountMetrics, key string) bool {
	if key == segmentAttention {
		return len(m.Alerts) > 0 || slices.Contains(m.Segments, model.SegmentDangerZone) ||
			slices.Contains(m.Segments, model.SegmentApproachingDanger)
	}
	return slices.Contains(m.Segments, key) || slices.Contains(m.Alerts, key) || slices.Contains(m.Flags, key)
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
	t := textTable{right: []bool{false, false, true, true, true, true, true, true, false}}
	t.add("NAME", "STAGE", "HEALTH", "UTIL", "MAU", "TREND", "ARR", "RENEWAL", "FLAGS")
	for _, r := range rows {
		a, m := r.Account, r.Metrics
		flags := slices.Concat(m.Alerts, m.Segments, m.Flags)
		t.add(
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
	return t.write(w)
}

// textTable lays out already sanitized cells in columns measured in terminal
// cells (not bytes or runes, so wide and combining characters line up).
type textTable struct {
	right []bool // right-align column i
	rows  [][]string
}

func (t *textTable) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *textTable) write(w io.Writer) error {
	widths := make([]int, len(t.right))
	for _, r := range t.rows {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			gap := strings.Repeat(" ", widths[i]-ansi.StringWidth(c))
			last := i == len(r)-1
			switch {
			case t.right[i]:
				b.WriteString(gap + c)
			case last:
				b.WriteString(c) // no trailing spaces
			default:
				b.WriteString(c + gap)
			}
			if !last {
				b.WriteString("  ")
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
