package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"csm/model"
)

// storedRow is what the book screen shows of an account, stored packed in
// book_rows at each recompute. The first screen of a 5,000-account book reads
// these few hundred bytes per account rather than the account and all of
// its metrics.
type storedRow struct {
	Name          string
	Tier          string
	Stage         string
	Licenses      int
	ARRCents      int64
	Currency      string
	RenewalOn     string
	Health        float64
	Util          *float64
	Trend         *float64
	MAU           int
	RenewalInDays int
	Urgency       int
	Segments      []string
	Alerts        []string
	Flags         []string
	// Spark holds the daily active users as unsigned varints: decoding a
	// byte string is many times faster than a JSON array of 90 numbers,
	// and this column is read for every account on every start.
	Spark []byte
	// MAUSpark holds the 30-day active users of each of the 90 days, packed
	// as Spark: the row's sparkline draws the window its trend compares
	// (issue 13). A row stored before it has none until the next recompute.
	MAUSpark []byte
}

func packInts(v []int) []byte {
	out := make([]byte, 0, len(v)+len(v)/2)
	for _, x := range v {
		out = binary.AppendUvarint(out, uint64(max(x, 0)))
	}
	return out
}

func unpackInts(b []byte) []int {
	out := make([]int, 0, len(b))
	for len(b) > 0 {
		x, n := binary.Uvarint(b)
		if n <= 0 {
			break
		}
		out = append(out, int(x))
		b = b[n:]
	}
	return out
}

func accountsByID(accts []model.AccountData) map[string]*model.Account {
	out := make(map[string]*model.Account, len(accts))
	for i := range accts {
		out[accts[i].Account.ID] = &accts[i].Account
	}
	return out
}

func bookRowOf(a *model.Account, m model.AccountMetrics) storedRow {
	r := storedRow{
		Health: m.Health.Score, Util: m.Util, Trend: m.Trend, MAU: m.MAU, RenewalInDays: m.RenewalInDays,
		Urgency: m.Urgency, Segments: m.Segments, Alerts: m.Alerts, Flags: m.Flags, Spark: packInts(m.DAUSeries),
		MAUSpark: packInts(m.MAUSeries),
	}
	if a != nil {
		r.Name, r.Tier, r.Stage, r.Licenses = a.Name, a.Tier, a.Stage, a.Licenses
		r.ARRCents, r.Currency, r.RenewalOn = a.ARRCents, a.Currency, a.RenewalOn.String()
	}
	return r
}

// BookScreen reads what the book screen shows, most urgent first: each row
// holds the account's id, name, tier, stage, licenses, ARR and renewal, and
// of its metrics the health score, utilization, trend, MAU, renewal in
// days, urgency, segments, alerts, flags and the daily active users of the
// last 90 days (DAUSeries). Other fields are left empty: the
// account screen reads them with AccountDetail, scripts with Book.
func (s *Store) BookScreen(ctx context.Context) (Book, error) {
	var b Book
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if b.Computed, b.Totals, err = readTotals(ctx, tx); err != nil {
			return err
		}
		// Read in table order and sorted here: an ORDER BY over a join
		// to accounts for the names costs SQLite more than Go's sort.
		rows, err := tx.QueryContext(ctx, `SELECT account_id, row FROM book_rows`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var id string
		var raw []byte
		for rows.Next() {
			if err := rows.Scan(&id, &raw); err != nil {
				return err
			}
			r, err := decodeRow(raw)
			if err != nil {
				return fmt.Errorf("decode row of %s: %w", id, err)
			}
			b.Rows = append(b.Rows, r.bookRow(id))
		}
		return rows.Err()
	})
	if err != nil {
		return b, fmt.Errorf("read book: %w", err)
	}
	sortByUrgency(b.Rows)
	return b, nil
}

// sortByUrgency orders rows as Book does: most urgent first, then lower
// health, then by name and id.
func sortByUrgency(rows []BookRow) {
	slices.SortFunc(rows, func(x, y BookRow) int {
		return cmp.Or(
			cmp.Compare(y.Metrics.Urgency, x.Metrics.Urgency),
			cmp.Compare(x.Metrics.Health.Score, y.Metrics.Health.Score),
			strings.Compare(x.Account.Name, y.Account.Name),
			strings.Compare(x.Account.ID, y.Account.ID),
		)
	})
}

func (r storedRow) bookRow(id string) BookRow {
	var br BookRow
	br.Account = model.Account{ID: id, Name: r.Name, Tier: r.Tier, Stage: r.Stage, Licenses: r.Licenses, ARRCents: r.ARRCents, Currency: r.Currency}
	if d, err := model.ParseDate(r.RenewalOn); err == nil {
		br.Account.RenewalOn = d
	}
	m := &br.Metrics
	m.AccountID = id
	m.Health.Score, m.Util, m.Trend, m.MAU = r.Health, r.Util, r.Trend, r.MAU
	m.RenewalInDays, m.Urgency = r.RenewalInDays, r.Urgency
	m.Segments, m.Alerts, m.Flags = r.Segments, r.Alerts, r.Flags
	m.DAUSeries = unpackInts(r.Spark)
	if len(r.MAUSpark) > 0 {
		m.MAUSeries = unpackInts(r.MAUSpark)
	}
	return br
}

// readTotals reads the book-wide figures; computed is false before the
// first recompute.
func readTotals(ctx context.Context, tx *sql.Tx) (computed bool, t model.BookMetrics, err error) {
	var raw []byte
	err = tx.QueryRowContext(ctx, "SELECT data FROM book_metrics WHERE id = 1").Scan(&raw)
	switch {
	case err == sql.ErrNoRows:
		return false, t, nil
	case err != nil:
		return false, t, err
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return false, t, fmt.Errorf("decode book metrics: %w", err)
	}
	return true, t, nil
}

// A book row is stored packed rather than as JSON: the first screen decodes
// one per account, and JSON's field-by-field decoding was most of its time.

func (r storedRow) encode() []byte {
	b := make([]byte, 0, 128+len(r.Spark))
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	num := func(v int64) { b = binary.AppendVarint(b, v) }
	flt := func(v float64) { b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) }
	opt := func(v *float64) {
		if v == nil {
			b = append(b, 0)
			return
		}
		b = append(b, 1)
		flt(*v)
	}
	strs := func(v []string) {
		b = binary.AppendUvarint(b, uint64(len(v)))
		for _, s := range v {
			str(s)
		}
	}
	str(r.Name)
	str(r.Tier)
	str(r.Stage)
	num(int64(r.Licenses))
	num(r.ARRCents)
	str(r.Currency)
	str(r.RenewalOn)
	flt(r.Health)
	opt(r.Util)
	opt(r.Trend)
	num(int64(r.MAU))
	num(int64(r.RenewalInDays))
	num(int64(r.Urgency))
	strs(r.Segments)
	strs(r.Alerts)
	strs(r.Flags)
	str(string(r.Spark))
	str(string(r.MAUSpark)) // last: a row stored before it ends after Spark
	return b
}

func decodeRow(b []byte) (storedRow, error) {
	var r storedRow
	d := unpacker{b: b}
	r.Name = d.str()
	r.Tier = d.str()
	r.Stage = d.str()
	r.Licenses = int(d.int())
	r.ARRCents = d.int()
	r.Currency = d.str()
	r.RenewalOn = d.str()
	r.Health = d.float()
	r.Util = d.optFloat()
	r.Trend = d.optFloat()
	r.MAU = int(d.int())
	r.RenewalInDays = int(d.int())
	r.Urgency = int(d.int())
	r.Segments = d.strs()
	r.Alerts = d.strs()
	r.Flags = d.strs()
	r.Spark = []byte(d.str())
	if d.err == nil && len(d.b) > 0 {
		r.MAUSpark = []byte(d.str())
	}
	return r, d.err
}
