package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"

	"csm/model"
)

// computeStored runs the rules over the book stored in tx, account by
// account (model.BookComputer): each account's usage months are read,
// computed and dropped before the next account's, so a recompute holds one
// account's usage at a time rather than the book's (a year of 5,000
// accounts is 60,000 months, most of a first sync's peak memory). It
// returns the accounts it read, without their usage, and the book.
func computeStored(ctx context.Context, tx *sql.Tx, th model.Thresholds) ([]model.AccountData, model.BookMetrics, error) {
	accts, err := loadAccountData(ctx, tx)
	if err != nil {
		return nil, model.BookMetrics{}, err
	}
	cat, err := loadCatalogue(ctx, tx)
	if err != nil {
		return nil, model.BookMetrics{}, err
	}
	day, known, err := latestUsageDay(ctx, tx)
	if err != nil {
		return nil, model.BookMetrics{}, fmt.Errorf("read usage: %w", err)
	}
	if !known {
		// No usage at all: the accounts, read without it, give the day.
		day, _ = model.BookDay(accts)
	}
	// The usage comes in account id order, and the accounts with it.
	slices.SortStableFunc(accts, func(x, y model.AccountData) int { return cmp.Compare(x.Account.ID, y.Account.ID) })
	c := model.NewBookComputer(day, known, len(accts), cat.Features, cat.Playbooks, th)
	next := 0 // the first account not yet added
	// addUpTo adds the accounts before id (they have no usage) and the
	// account id itself with usage; a usage group of an unknown account
	// is left out, as the rules never see it.
	addUpTo := func(id string, usage []model.UsageMonth) {
		for next < len(accts) && accts[next].Account.ID < id {
			c.Add(&accts[next])
			next++
		}
		if next < len(accts) && accts[next].Account.ID == id {
			accts[next].Usage = usage
			c.Add(&accts[next])
			accts[next].Usage = nil
			next++
		}
	}
	var group []model.UsageMonth
	current := ""
	err = eachUsage(ctx, tx, "ORDER BY account_id, month", nil, func(u model.UsageMonth) error {
		if u.AccountID != current && len(group) > 0 {
			addUpTo(current, group)
			group = group[:0]
		}
		current = u.AccountID
		group = append(group, u)
		return nil
	})
	if err != nil {
		return nil, model.BookMetrics{}, fmt.Errorf("read usage: %w", err)
	}
	if len(group) > 0 {
		addUpTo(current, group)
	}
	for ; next < len(accts); next++ {
		c.Add(&accts[next])
	}
	return accts, c.Finish(), nil
}

// latestUsageDay is model.LatestDay over every stored usage month, read
// from each month's name and count of days alone (the first varint of the
// packed columns, or the days of a month stored as JSON).
func latestUsageDay(ctx context.Context, q rowQuerier) (day model.Date, known bool, err error) {
	rows, err := q.QueryContext(ctx, `SELECT month, substr(bin, 1, 10), CASE WHEN bin IS NULL THEN json_extract(data, '$.days') END FROM usage_months`)
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	one := make([]model.UsageMonth, 1)
	var head []byte
	var jsonDays sql.NullInt64
	for rows.Next() {
		one[0] = model.UsageMonth{}
		if err := rows.Scan(&one[0].Month, &head, &jsonDays); err != nil {
			return 0, false, err
		}
		if head != nil {
			days, n := binary.Uvarint(head)
			if n <= 0 {
				return 0, false, fmt.Errorf("usage month %s: %w", one[0].Month, errBadPack)
			}
			one[0].Days = int(min(days, 1<<20))
		} else {
			one[0].Days = int(jsonDays.Int64)
		}
		if d, ok := model.LatestDay(one); ok && (!known || d > day) {
			day, known = d, true
		}
	}
	return day, known, rows.Err()
}
