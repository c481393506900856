package safe

import (
	"encoding/csv"
	"fmt"
	"io"
)

// CSVText makes text from data safe for a spreadsheet cell: sanitized as
// Line does (no escape sequence reaches a terminal that shows the file),
// and a cell that starts with = + - @ (or a tab or carriage return, which
// some spreadsheets skip before reading a formula) gets a leading ', so a
// spreadsheet shows it as text instead of running it as a formula (CSV or
// formula injection). Numbers csm writes itself need no guard: they are
// not text from data, and a leading ' would stop them being numbers.
func CSVText(s string) string {
	s = Line(s)
	if s != "" && csvFormulaStart(s[0]) {
		return "'" + s
	}
	return s
}

func csvFormulaStart(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// WriteCSV writes a header and rows as CSV (RFC 4180, by encoding/csv).
// The caller passes text from data through CSVText.
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}
