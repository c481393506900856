package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"csm/safe"
)

// truncateLine cuts an already styled line to width cells, keeping its
// escape sequences balanced.
//
// ansi.Truncate measures a grapheme cluster that starts with an ASCII byte
// (a keycap such as "1️⃣") by that byte alone, so its result can come out a
// cell too wide; cutting one cell more until it fits keeps every line
// within the terminal.
//
// A line of no more bytes than cells fits as it is: no character takes
// more cells than bytes (a wide one takes 3 or 4 bytes for its 2 cells,
// an escape sequence bytes for no cell), and most plain lines are that
// short, so they skip the measuring.
func truncateLine(s string, width int) string {
	if len(s) <= width {
		return s
	}
	out := ansi.Truncate(s, width, "…")
	for w := width - 1; w > 0 && ansi.StringWidth(out) > width; w-- {
		out = ansi.Truncate(s, w, "…")
	}
	return out
}

// cell sanitizes untrusted text and fits it to exactly width cells.
func cell(s string, width int) string {
	return pad(safe.Truncate(s, width), width)
}

// pad right-pads plain text to width cells.
func pad(s string, width int) string {
	w := lipgloss.Width(s)
	if w >= width {
		return s
	}
	return s + strings.Repeat(" ", width-w)
}

// padLeft left-pads plain text to width cells.
func padLeft(s string, width int) string {
	w := lipgloss.Width(s)
	if w >= width {
		return s
	}
	return strings.Repeat(" ", width-w) + s
}

// trendArrow shows the direction of the 30-day trend.
func trendArrow(t *float64) string {
	switch {
	case t == nil:
		return "·"
	case *t > 0.10:
		return "↑"
	case *t > 0.05:
		return "↗"
	case *t < -0.10:
		return "↓"
	case *t < -0.05:
		return "↘"
	default:
		return "→"
	}
}

// errText is an error as one safe line: messages can quote ids and names
// that came from the server.
func errText(err error) string {
	return safe.Line(firstLine(err.Error()))
}
