package format

import (
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Table lays out already sanitized cells in columns for the command line,
// measured in terminal cells (not bytes or runes, so wide and combining
// characters line up), two spaces apart, with no trailing spaces.
type Table struct {
	Right []bool // right-align column i
	rows  [][]string
}

// Add appends a row; it has at most len(Right) cells.
func (t *Table) Add(cells ...string) { t.rows = append(t.rows, cells) }

// Write prints the rows.
func (t *Table) Write(w io.Writer) error {
	widths := make([]int, len(t.Right))
	for _, r := range t.rows {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	var b, line strings.Builder
	for _, r := range t.rows {
		line.Reset()
		for i, c := range r {
			gap := strings.Repeat(" ", widths[i]-ansi.StringWidth(c))
			if t.Right[i] {
				line.WriteString(gap + c + "  ")
			} else {
				line.WriteString(c + gap + "  ")
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
