package brief

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"csm/data"
)

// The health table of a brief adds up: each counted row's weight × score
// is its points, and the points add up to the health shown.
func TestHealthTableAddsUp(t *testing.T) {
	for name, d := range map[string]data.AccountDetail{"flagged": flaggedDetail(), "quiet": quietDetail(), "healthy": healthyDetail()} {
		var b strings.Builder
		writeHealthTable(&b, d.Metrics)
		sum := 0.0
		for _, line := range strings.Split(b.String(), "\n") {
			cells := strings.Split(strings.Trim(line, "|"), "|")
			if len(cells) != 5 || !strings.HasSuffix(strings.TrimSpace(cells[3]), "%") {
				continue
			}
			num := func(s string) float64 {
				v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
				if err != nil {
					t.Fatalf("%s: %q in %q", name, s, line)
				}
				return v
			}
			score, weight, points := num(cells[2]), num(cells[3]), num(cells[4])
			if math.Abs(score*weight-points) > 0.1 {
				t.Errorf("%s: %q: %v × %v%% ≠ %v", name, line, score, weight, points)
			}
			sum += points
		}
		if math.Abs(sum-d.Metrics.Health.Score) > 0.15 {
			t.Errorf("%s: points add to %.1f, health %.1f\n%s", name, sum, d.Metrics.Health.Score, b.String())
		}
		if !strings.Contains(b.String(), "renormalised") {
			t.Errorf("%s: a component is left out and the table does not say the weights were renormalised:\n%s", name, b.String())
		}
	}
}
