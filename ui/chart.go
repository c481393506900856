package ui

import (
	"fmt"
	"math"
	"strings"

	"github.com/guptarohit/asciigraph"

	"csm/model"
)

// chart describes one line chart of a daily series ending at the book's
// as-of day.
type chart struct {
	values  []float64
	asOf    model.Date // the day of the last value
	caption string     // plain ASCII: asciigraph centres it by bytes
	// yLabel formats a value on the vertical axis ("42%", "17").
	yLabel func(float64) string
	// whole series (user counts) get no more rows than their top value,
	// so each row is one user rather than a fraction of one.
	whole bool
}

// chartOffset is asciigraph's default offset: the cells between the left
// edge and the axis, besides the labels.
const chartOffset = 3

// render draws the chart in at most width cells and height+4 lines (the
// plot's height+1 rows, the x axis, its date labels and the caption); a
// whole series may take fewer. The
// axis labels are dimmed and the line takes the accent colour; the colour
// comes from lipgloss, never from asciigraph.
func (c chart) render(width, height int, st *Styles) []string {
	if len(c.values) < 2 {
		return []string{st.Subtle.Render("no usage data yet")}
	}
	height = max(height, 2)
	if c.whole {
		height = min(height, max(int(math.Ceil(topOf(c.values))), 2))
	}
	upper := chartUpper(c.values, height)
	labelW := max(len(c.yLabel(upper)), len(c.yLabel(0)))
	leftPad := chartOffset + labelW
	// The last date label is centred on the last column and overhangs it by
	// up to half its width ("Nov 20" is 6 wide).
	plotW := max(width-leftPad-3, 8)
	ticks := min(max(plotW/14+1, 2), 7)
	first := c.asOf - model.Date(len(c.values)-1)

	out := asciigraph.Plot(c.values,
		asciigraph.Height(height),
		asciigraph.Width(plotW),
		asciigraph.LowerBound(0),
		asciigraph.UpperBound(upper),
		asciigraph.Precision(0),
		asciigraph.YAxisValueFormatter(c.yLabel),
		asciigraph.XAxisRange(0, float64(len(c.values)-1)),
		asciigraph.XAxisTickCount(ticks),
		asciigraph.XAxisValueFormatter(func(v float64) string {
			return (first + model.Date(math.Round(v))).Time().Format("Jan 2")
		}),
		asciigraph.Caption(c.caption),
	)
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		switch {
		case i < len(lines)-3:
			lines[i] = colourPlotRow(l, st)
		case i == len(lines)-1 && c.caption != "":
			lines[i] = st.Label.Render(l)
		default:
			lines[i] = st.Subtle.Render(l)
		}
		lines[i] = truncateLine(lines[i], width)
	}
	return lines
}

// colourPlotRow dims the label and axis of a plot row and colours the line
// right of the axis.
func colourPlotRow(l string, st *Styles) string {
	i := strings.IndexAny(l, "┤┼")
	if i < 0 {
		return st.Subtle.Render(l)
	}
	axisEnd := i + len("┤")
	return st.Subtle.Render(l[:axisEnd]) + st.Spark.Render(l[axisEnd:])
}

// chartUpper picks the top of the vertical axis: a round step (1, 2 or 5
// times a power of ten) times the rows, so every row's label is a whole
// number and an idle account still gets a readable, flat chart.
func chartUpper(values []float64, rows int) float64 {
	need := topOf(values) / float64(rows)
	for p := 1.0; ; p *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if m*p >= need {
				return m * p * float64(rows)
			}
		}
	}
}

// utilizationChart charts utilization in percent over the series, or the
// monthly active users when the account has no licenses.
func utilizationChart(m *model.AccountMetrics) chart {
	if m.UtilSeries == nil {
		return chart{
			values:  intsToFloats(m.MAUSeries),
			asOf:    m.AsOf,
			caption: "monthly active users (no licenses)",
			yLabel:  func(v float64) string { return fmt.Sprintf("%.0f", v) },
			whole:   true,
		}
	}
	pct := make([]float64, len(m.UtilSeries))
	for i, v := range m.UtilSeries {
		pct[i] = v * 100
	}
	return chart{
		values:  pct,
		asOf:    m.AsOf,
		caption: fmt.Sprintf("utilization %% (monthly active / %d licenses)", m.Licenses),
		yLabel:  func(v float64) string { return fmt.Sprintf("%.0f%%", v) },
	}
}

// dauChart charts the daily active users over the series.
func dauChart(m *model.AccountMetrics) chart {
	return chart{
		values:  intsToFloats(m.DAUSeries),
		asOf:    m.AsOf,
		caption: "daily active users",
		yLabel:  func(v float64) string { return fmt.Sprintf("%.0f", v) },
		whole:   true,
	}
}

// topOf is the largest value, 0 for none.
func topOf(values []float64) float64 {
	top := 0.0
	for _, v := range values {
		if !math.IsNaN(v) {
			top = max(top, v)
		}
	}
	return top
}

func intsToFloats(v []int) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}
