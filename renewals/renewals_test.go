package renewals

import (
	"bytes"
	"strings"
	"testing"

	"csm/data"
	"csm/model"
)

func bookOf(rows ...data.BookRow) data.Book {
	return data.Book{Rows: rows, Totals: model.BookMetrics{AsOf: model.MakeDate(2026, 11, 20)}, Computed: true}
}

func renewing(id, name, currency string, arr int64, inDays int, segments ...string) data.BookRow {
	r := data.BookRow{Account: model.Account{ID: id, Name: name, Currency: currency, ARRCents: arr,
		RenewalOn: model.MakeDate(2026, 11, 20) + model.Date(inDays)}}
	r.Metrics.RenewalInDays, r.Metrics.Segments = inDays, segments
	return r
}

// TestWriteTable: months in order, each with its totals per currency, and
// names sanitized.
func TestWriteTable(t *testing.T) {
	f := Forecast(bookOf(
		renewing("a", "Acme\x1b]0;owned\x07 Corp", "USD", 1_000_000, 40, model.SegmentDangerZone),
		renewing("b", "Beta", "EUR", 500_000, 5),
		renewing("c", "Later", "USD", 100, 200),
	), model.DefaultRenewalDays)
	var buf bytes.Buffer
	if err := WriteTable(&buf, f); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"2 renewals in the next 180 days · usage as of Nov 20, 2026\n",
		"€5.0k renewing, nothing at risk · $10k renewing, $10k at risk (1 of 1)\n",
		"November 2026 · €5.0k renewing, nothing at risk\n",
		"December 2026 · $10k renewing, $10k at risk (1 of 1)\n",
		"Acme Corp", "Danger zone",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") || strings.Contains(out, "Later") {
		t.Errorf("an escape sequence or a renewal past the window:\n%q", out)
	}
	if strings.Index(out, "November") > strings.Index(out, "December") {
		t.Errorf("months out of order:\n%s", out)
	}
}
