package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"csm/model"
)

func TestChartUpperIsARoundStepPerRow(t *testing.T) {
	for _, c := range []struct {
		name   string
		values []float64
		rows   int
		want   float64
	}{
		{"idle", []float64{0, 0, 0}, 6, 6},
		{"small", []float64{1, 2}, 10, 10},
		{"percent", []float64{10, 42, 30}, 6, 60},
		{"exact", []float64{60}, 6, 60},
		{"large", []float64{1234}, 8, 200 * 8},
	} {
		if got := chartUpper(c.values, c.rows); got != c.want {
			t.Errorf("%s: chartUpper = %g, want %g", c.name, got, c.want)
		}
	}
}

func series(n int, f func(i int) float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func TestChartFitsAndLabelsDates(t *testing.T) {
	st := NewStyles(true)
	asOf := model.MakeDate(2026, 11, 20)
	c := chart{
		values:  series(90, func(i int) float64 { return float64(i % 40) }),
		asOf:    asOf,
		caption: "utilization %",
		yLabel:  func(v float64) string { return fmt.Sprintf("%.0f%%", v) },
	}
	for _, w := range []int{30, 60, 78, 120} {
		lines := c.render(w, 6, &st)
		if len(lines) != 6+4 {
			t.Errorf("width %d: %d lines, want plot 7 + axis + dates + caption", w, len(lines))
		}
		for i, l := range lines {
			if lw := ansi.StringWidth(l); lw > w {
				t.Errorf("width %d: line %d is %d wide: %q", w, i, lw, ansi.Strip(l))
			}
		}
		dates := ansi.Strip(lines[len(lines)-2])
		if !strings.Contains(dates, "Aug 23") || !strings.Contains(dates, "Nov 20") {
			t.Errorf("width %d: the x axis does not run from Aug 23 to Nov 20: %q", w, dates)
		}
	}
}

func TestChartOfFewUsersHasOneRowPerUser(t *testing.T) {
	st := NewStyles(true)
	m := &model.AccountMetrics{DAUSeries: make([]int, 90)}
	m.AsOf = model.MakeDate(2026, 11, 20)
	m.DAUSeries[50] = 2
	lines := dauChart(m).render(80, 10, &st)
	// Rows 2, 1 and 0, then axis, dates and caption.
	if len(lines) != 3+3 {
		t.Fatalf("%d lines, want 6:\n%s", len(lines), ansi.Strip(strings.Join(lines, "\n")))
	}
	if got := strings.TrimSpace(ansi.Strip(lines[0])); !strings.HasPrefix(got, "2┤") {
		t.Errorf("top row %q, want the label 2", got)
	}
}

func TestUtilizationChartFallsBackToMAU(t *testing.T) {
	m := &model.AccountMetrics{MAUSeries: []int{1, 2, 3}}
	if c := utilizationChart(m); !strings.Contains(c.caption, "monthly active users") || !c.whole {
		t.Errorf("without licenses the chart is %q (whole %v), want monthly active users", c.caption, c.whole)
	}
	m.Licenses = 10
	m.UtilSeries = []float64{0.1, 0.2, 0.5}
	c := utilizationChart(m)
	if c.values[2] != 50 || c.yLabel(50) != "50%" {
		t.Errorf("utilization chart values %v, label %q: want percent", c.values, c.yLabel(50))
	}
}

func TestChartWithoutDataSaysSo(t *testing.T) {
	st := NewStyles(true)
	lines := chart{asOf: model.MakeDate(2026, 11, 20)}.render(40, 6, &st)
	if len(lines) != 1 || !strings.Contains(ansi.Strip(lines[0]), "no usage data") {
		t.Fatalf("empty chart: %q", lines)
	}
}
