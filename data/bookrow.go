package data

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"csm/model"
)

// storedRow is what the book screen shows of an account, stored beside its
// metrics at each recompute. The first screen of a 5,000-account book reads
// these few hundred bytes per account rather than the account and all of
// its metrics.
type storedRow struct {
	Name          string   `json:"n"`
	Tier          string   `json:"t"`
	Stage         string   `json:"s"`
	Licenses      int      `json:"l"`
	ARRCents      int64    `json:"a"`
	Currency      string   `json:"c"`
	RenewalOn     string   `json:"r"`
	Health        float64  `json:"h"`
	Util          *float64 `json:"u"`
	Trend         *float64 `json:"tr"`
	MAU           int      `json:"m"`
	RenewalInDays int      `json:"rd"`
	Urgency       int      `json:"ug"`
	Segments      []string `json:"sg"`
	Alerts        []string `json:"al"`
	Flags         []string `json:"fl"`
	// Spark holds the daily active users as unsigned varints: decoding a
	// byte string is many times faster than a JSON array of 90 numbers,
	// and this column is read for every account on every start.
	Spark []byte `json:"sp"`
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

func rowsByAccount(accts []model.AccountData) map[string]*model.Account {
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
// last 90 days (Spark and DAUSeries). Other fields are left empty: the
// account screen reads them with AccountDetail, scripts with Book.
func (s *Store) BookScreen(ctx context.Context) (Book, error) {
	var b Book
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if b.Computed, b.Totals, err = readTotals(ctx, tx); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT m.account_id, m.row FROM metrics m JOIN accounts a ON a.id = m.account_id
			ORDER BY m.urgency DESC, m.health ASC, a.name, a.id`)
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
			var r storedRow
			if len(raw) == 0 {
				return fmt.Errorf("metrics of %s predate this csm: recompute (sync) first", id)
			}
			if err := json.Unmarshal(raw, &r); err != nil {
				return fmt.Errorf("decode row of %s: %w", id, err)
			}
			b.Rows = append(b.Rows, r.bookRow(id))
		}
		return rows.Err()
	})
	if err != nil {
		return b, fmt.Errorf("read book: %w", err)
	}
	return b, nil
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
	m.Spark = m.DAUSeries
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
