// Package accounts is the book as csm accounts prints it: read as the
// cockpit shows it (snoozes taken in), narrowed to a view and put in an
// order of model's, then written as one JSON array for scripts, whose field
// names are an interface, or as an aligned table.
package accounts

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"csm/data"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// Read reads the book with the snoozes in force on now's day taken in
// (model.ApplySnoozes), as the cockpit shows it.
func Read(ctx context.Context, st *data.Store, now time.Time) (data.Book, error) {
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

// Select keeps the rows in the view named view ("" keeps all,
// model.InView) in the given order, in a new slice.
func Select(rows []data.BookRow, view string, order model.BookSort) []data.BookRow {
	out := make([]data.BookRow, 0, len(rows))
	for _, r := range rows {
		if model.InView(&r.Metrics, view) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(x, y data.BookRow) int { return order.Compare(&x.Account, &y.Account, &x.Metrics, &y.Metrics) })
	return out
}

// Row is one object of `csm accounts --json`. Its field names are an
// interface for scripts: add fields, never rename or remove one.
type Row struct {
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

func newAccountJSON(r data.BookRow, asOf model.Date) Row {
	a, m := r.Account, r.Metrics
	reasons := m.Reasons
	if reasons == nil {
		reasons = map[string]string{}
	}
	return Row{
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

// WriteJSON prints the rows as one JSON array. Names go out as
// stored: the encoder escapes control characters, so nothing in them can
// reach a terminal raw, and scripts get the exact string.
func WriteJSON(w io.Writer, rows []data.BookRow, asOf model.Date) error {
	list := make([]Row, len(rows))
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

// nameWidth caps the name column, in terminal cells.
const nameWidth = 32

// WriteTable prints the rows of the view named view as an aligned
// plain-text table, with a first line saying how many accounts of the
// book and as of which usage day. Text from the store is sanitized.
func WriteTable(w io.Writer, rows []data.BookRow, book data.Book, view string) error {
	head := model.Plural(len(book.Rows), "account")
	if view != "" {
		head = fmt.Sprintf("%d of %s in %s", len(rows), head, view)
	}
	head += " · usage as of " + format.Day(book.Totals.AsOf)
	t := format.Table{Right: []bool{false, false, true, true, true, true, true, true, false}}
	t.Add("NAME", "STAGE", "HEALTH", "UTIL", "MAU", "TREND", "ARR", "RENEWAL", "FLAGS")
	for _, r := range rows {
		a, m := r.Account, r.Metrics
		flags := slices.Concat(m.Alerts, m.Segments, m.Flags)
		t.Add(
			safe.Truncate(a.Name, nameWidth),
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
		_, err := fmt.Fprintf(w, "no account in %s\n", view)
		return err
	}
	return t.Write(w)
}

// CSVHeader is the first row of `csm accounts --csv`: the fields of --json
// (Row's JSON names), in the same order.
var CSVHeader = []string{
	"id", "name", "tier", "stage", "licenses", "arr_cents", "currency", "renewal_on", "renewal_in_days",
	"as_of", "mau", "wau", "dau", "util", "stickiness", "trend", "weekly_use", "feature_adoption", "nps",
	"champion", "health", "segments", "alerts", "flags", "reasons",
}

// WriteCSV prints the rows as CSV for a spreadsheet, with the fields of
// WriteJSON: an undefined figure is an empty cell, a list of keys is joined
// by ";", and reasons are "key: sentence" joined by " | " in the order of
// alerts, segments and flags. Text from the store is sanitized and never
// starts a formula (safe.CSVText).
func WriteCSV(w io.Writer, rows []data.BookRow, asOf model.Date) error {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = csvRow(newAccountJSON(r, asOf))
	}
	return safe.WriteCSV(w, CSVHeader, out)
}

func csvRow(r Row) []string {
	opt := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	nps := ""
	if r.NPS != nil {
		nps = strconv.Itoa(*r.NPS)
	}
	var reasons []string
	for _, k := range slices.Concat(r.Alerts, r.Segments, r.Flags) {
		if s, ok := r.Reasons[k]; ok {
			reasons = append(reasons, k+": "+s)
		}
	}
	keys := func(ks []string) string { return safe.CSVText(strings.Join(ks, ";")) }
	return []string{
		safe.CSVText(r.ID), safe.CSVText(r.Name), safe.CSVText(r.Tier), safe.CSVText(r.Stage),
		strconv.Itoa(r.Licenses), strconv.FormatInt(r.ARRCents, 10), safe.CSVText(r.Currency),
		r.RenewalOn.String(), strconv.Itoa(r.RenewalInDays), r.AsOf.String(),
		strconv.Itoa(r.MAU), strconv.Itoa(r.WAU), strconv.FormatFloat(r.DAU, 'f', -1, 64), opt(r.Util),
		strconv.FormatFloat(r.Stickiness, 'f', -1, 64), opt(r.Trend), strconv.FormatBool(r.WeeklyUse),
		opt(r.FeatureAdoption), nps, safe.CSVText(r.Champion), strconv.FormatFloat(r.Health, 'f', -1, 64),
		keys(r.Segments), keys(r.Alerts), keys(r.Flags), safe.CSVText(strings.Join(reasons, " | ")),
	}
}
