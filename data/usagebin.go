package data

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"csm/model"
)

// Usage months are stored as packed varints (bin) beside their id, account
// and month columns, not as JSON: a year of usage for 5,000 accounts is
// 65,000 months, whose JSON was half the database and most of a recompute.
// Rows written before migration 6 keep their JSON in data and no bin; both
// read the same through readUsage.

// packUsage encodes the columns of a usage month.
func packUsage(u model.UsageMonth) []byte {
	b := make([]byte, 0, 16+u.Days*6)
	b = binary.AppendUvarint(b, uint64(u.Days))
	for _, col := range [][]int{u.DAU, u.WAU, u.MAU, u.Sessions, u.Minutes} {
		b = appendCol(b, col)
	}
	// The count of features is written plus one, so that no map (null in
	// JSON) and an empty one read back as they were.
	if u.Features == nil {
		return binary.AppendUvarint(b, 0)
	}
	keys := make([]string, 0, len(u.Features))
	for k := range u.Features {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = binary.AppendUvarint(b, uint64(len(keys))+1)
	for _, k := range keys {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = appendCol(b, u.Features[k])
	}
	return b
}

func appendCol(b []byte, col []int) []byte {
	b = binary.AppendUvarint(b, uint64(len(col)))
	for _, v := range col {
		b = binary.AppendUvarint(b, uint64(max(v, 0)))
	}
	return b
}

var errBadPack = errors.New("damaged packed usage")

// unpackUsage decodes what packUsage wrote into u's columns.
func unpackUsage(b []byte, u *model.UsageMonth) error {
	r := unpacker{b: b}
	u.Days = int(r.uint())
	cols := []*[]int{&u.DAU, &u.WAU, &u.MAU, &u.Sessions, &u.Minutes}
	for _, c := range cols {
		*c = r.col()
	}
	n := int(r.uint()) - 1
	if n >= 0 {
		u.Features = make(map[string][]int, n)
	}
	for i := 0; i < n && r.err == nil; i++ {
		k := r.str()
		u.Features[k] = r.col()
	}
	return r.err
}

type unpacker struct {
	b   []byte
	err error
}

func (r *unpacker) uint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errBadPack
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *unpacker) col() []int {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errBadPack
		return nil
	}
	out := make([]int, n)
	for i := range out {
		out[i] = int(r.uint())
	}
	return out
}

func (r *unpacker) str() string {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errBadPack
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// eachUsage reads usage months one at a time, in the order tail gives,
// handing each to fn; a month stored before migration 6 is read from its
// JSON.
func eachUsage(ctx context.Context, q rowQuerier, tail string, args []any, fn func(model.UsageMonth) error) error {
	rows, err := q.QueryContext(ctx, `SELECT id, account_id, month, bin, CASE WHEN bin IS NULL THEN data END
		FROM usage_months `+tail, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var bin, raw []byte
	for rows.Next() {
		var u model.UsageMonth
		if err := rows.Scan(&u.ID, &u.AccountID, &u.Month, &bin, &raw); err != nil {
			return err
		}
		if bin != nil {
			err = unpackUsage(bin, &u)
		} else {
			err = json.Unmarshal(raw, &u)
		}
		if err != nil {
			return fmt.Errorf("usage %s: %w", u.ID, err)
		}
		if err := fn(u); err != nil {
			return err
		}
	}
	return rows.Err()
}

// readUsage reads usage months; tail is the rest of the query after FROM
// (a WHERE and an ORDER BY), with its args.
func readUsage(ctx context.Context, q rowQuerier, tail string, args ...any) ([]model.UsageMonth, error) {
	var out []model.UsageMonth
	err := eachUsage(ctx, q, tail, args, func(u model.UsageMonth) error {
		out = append(out, u)
		return nil
	})
	return out, err
}

func (r *unpacker) int() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errBadPack
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *unpacker) float() float64 {
	if r.err != nil || len(r.b) < 8 {
		r.err = errBadPack
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return v
}

func (r *unpacker) optFloat() *float64 {
	if r.err != nil || len(r.b) < 1 {
		r.err = errBadPack
		return nil
	}
	present := r.b[0] == 1
	r.b = r.b[1:]
	if !present {
		return nil
	}
	v := r.float()
	return &v
}

func (r *unpacker) strs() []string {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errBadPack
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}
