package data

import (
	"context"
	"strings"
)

// A page's upserts are written a hundred rows to a statement rather than
// one: each statement costs the driver a round of its own, and each one
// that touches a note or a follow-up makes the full-text index flush its
// pending terms to disk (FTS5 does at every statement's savepoint), which
// was a tenth of a full sync. Rows are queued in feed order per table and
// written accounts first, so a row always finds its account; a delete
// writes everything queued before it (see pageWriter.apply).

// batchRows is how many rows one statement writes.
const batchRows = 100

// upsertCols is the shape of one table's upsert: its columns, and what an
// existing row takes from the new one.
type upsertCols struct {
	names string // "id, data, gen"
	n     int    // how many
	set   string // "data = excluded.data, gen = excluded.gen"
}

var (
	accountCols = upsertCols{"id, data, gen, name", 4, "data = excluded.data, gen = excluded.gen, name = excluded.name"}
	plainCols   = upsertCols{"id, data, gen", 3, "data = excluded.data, gen = excluded.gen"}
	scopedCols  = upsertCols{"id, account_id, data, gen", 4, "account_id = excluded.account_id, data = excluded.data, gen = excluded.gen"}
	// The usage table also keeps the month as a column, to read a window
	// of months without decoding the rest, and the columns packed in bin.
	usageCols = upsertCols{"id, account_id, data, gen, month, bin", 6,
		"account_id = excluded.account_id, data = excluded.data, gen = excluded.gen, month = excluded.month, bin = excluded.bin"}
)

// upsertBatch is the rows of one table waiting to be written.
type upsertBatch struct {
	table string
	cols  upsertCols
	args  []any
	rows  int
}

// queue adds a row to its table's batch, writing the batch once full
// (after the accounts waiting, which its rows may belong to).
func (w *pageWriter) queue(ctx context.Context, table string, cols upsertCols, args ...any) error {
	if w.batches == nil {
		w.batches = map[string]*upsertBatch{}
	}
	b := w.batches[table]
	if b == nil {
		b = &upsertBatch{table: table, cols: cols, args: make([]any, 0, batchRows*cols.n)}
		w.batches[table] = b
		w.batchOrder = append(w.batchOrder, b)
	}
	if b.rows > 0 && b.cols != cols {
		// A table has one shape; should one ever change mid-page, what
		// waits goes first.
		if err := w.write(ctx, b); err != nil {
			return err
		}
		b.cols = cols
	}
	b.args = append(b.args, args...)
	b.rows++
	if b.rows < batchRows {
		return nil
	}
	if b.table != "accounts" {
		if err := w.flushAccounts(ctx); err != nil {
			return err
		}
	}
	return w.write(ctx, b)
}

// flushAccounts writes the accounts queued.
func (w *pageWriter) flushAccounts(ctx context.Context) error {
	if a := w.batches["accounts"]; a != nil && a.rows > 0 {
		return w.write(ctx, a)
	}
	return nil
}

// flush writes every queued row, accounts first.
func (w *pageWriter) flush(ctx context.Context) error {
	if err := w.flushAccounts(ctx); err != nil {
		return err
	}
	for _, b := range w.batchOrder {
		if b.rows > 0 {
			if err := w.write(ctx, b); err != nil {
				return err
			}
		}
	}
	return nil
}

// write runs one statement for a batch's rows and empties it. Statements
// are prepared once per page and size (see pageWriter.stmt).
func (w *pageWriter) write(ctx context.Context, b *upsertBatch) error {
	row := "(?" + strings.Repeat(", ?", b.cols.n-1) + ")"
	q := "INSERT INTO " + b.table + " (" + b.cols.names + ") VALUES " + row + strings.Repeat(", "+row, b.rows-1) +
		" ON CONFLICT(id) DO UPDATE SET " + b.cols.set
	if _, err := w.exec(ctx, q, b.args...); err != nil {
		return err
	}
	clear(b.args)
	b.args, b.rows = b.args[:0], 0
	return nil
}
