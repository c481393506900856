package ui

import (
	"fmt"
	"math"
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
func truncateLine(s string, width int) string {
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

// Money formats cents compactly: $1.2M, €840k, £9.5k, CHF 950.
func Money(cents int64, currency string) string {
	sym := map[string]string{"USD": "$", "EUR": "€", "GBP": "£"}[currency]
	if sym == "" {
		sym = safe.Truncate(currency, 3) + " "
	}
	v := float64(cents) / 100
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%s%.1fM", sym, v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%s%.0fk", sym, v/1e3)
	case v >= 1e3:
		return fmt.Sprintf("%s%.1fk", sym, v/1e3)
	default:
		return fmt.Sprintf("%s%.0f", sym, v)
	}
}

// percent formats a ratio as a whole percentage; "—" when undefined.
func percent(r *float64) string {
	if r == nil {
		return "—"
	}
	return fmt.Sprintf("%d%%", int(math.Round(*r*100)))
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

// days says how far a day count is: "in 12d", "today", "3d ago".
func days(n int) string {
	switch {
	case n == 0:
		return "today"
	case n > 0:
		return fmt.Sprintf("%dd", n)
	default:
		return fmt.Sprintf("%dd ago", -n)
	}
}

// errText is an error as one safe line: messages can quote ids and names
// that came from the server.
func errText(err error) string {
	return safe.Line(firstLine(err.Error()))
}
