package model

import (
	"fmt"
	"math"
	"slices"
)

// Kinds of change between two computations of a book.
const (
	ChangeEntered = "entered" // the account entered a segment or alert
	ChangeLeft    = "left"    // the account left one
	ChangeHealth  = "health"  // health moved by at least HealthMoveMin points
)

// HealthMoveMin is the smallest health move worth telling the CSM about:
// below it, a move is noise from a day's usage.
const HealthMoveMin = 5.0

// MetricChange is one thing that changed for an account between two
// computations, with its cause where there is one.
type MetricChange struct {
	AccountID string  `json:"account_id"`
	Kind      string  `json:"kind"`
	Key       string  `json:"key,omitempty"` // segment or alert key
	Before    float64 `json:"before,omitempty"`
	After     float64 `json:"after,omitempty"`
	// Cause names the health component that moved most, with its points
	// before and after, e.g. "utilization 18.0 → 9.5 points".
	Cause string `json:"cause,omitempty"`
}

// DiffMetrics lists what changed from before to after, account by account
// in the order of after. Accounts new to the book or gone from it are not
// changes of metrics and are left out.
func DiffMetrics(before, after []AccountMetrics) []MetricChange {
	prev := make(map[string]*AccountMetrics, len(before))
	for i := range before {
		prev[before[i].AccountID] = &before[i]
	}
	var out []MetricChange
	for i := range after {
		a := &after[i]
		b, ok := prev[a.AccountID]
		if !ok {
			continue
		}
		out = append(out, keyChanges(a.AccountID, b.Alerts, a.Alerts)...)
		out = append(out, keyChanges(a.AccountID, b.Segments, a.Segments)...)
		if d := a.Health.Score - b.Health.Score; math.Abs(d) >= HealthMoveMin {
			out = append(out, MetricChange{
				AccountID: a.AccountID, Kind: ChangeHealth,
				Before: b.Health.Score, After: a.Health.Score,
				Cause: healthCause(b.Health, a.Health, d),
			})
		}
	}
	return out
}

func keyChanges(id string, before, after []string) []MetricChange {
	var out []MetricChange
	for _, k := range after {
		if !slices.Contains(before, k) {
			out = append(out, MetricChange{AccountID: id, Kind: ChangeEntered, Key: k})
		}
	}
	for _, k := range before {
		if !slices.Contains(after, k) {
			out = append(out, MetricChange{AccountID: id, Kind: ChangeLeft, Key: k})
		}
	}
	return out
}

// healthCause names the component whose points moved most in the direction
// of the health move.
func healthCause(before, after Health, move float64) string {
	pts := make(map[string]float64, len(before.Components))
	for _, c := range before.Components {
		pts[c.Key] = c.Points
	}
	best, bestMove, bestBefore, bestAfter := "", 0.0, 0.0, 0.0
	for _, c := range after.Components {
		d := c.Points - pts[c.Key]
		if d*move > 0 && math.Abs(d) > math.Abs(bestMove) {
			best, bestMove, bestBefore, bestAfter = c.Key, d, pts[c.Key], c.Points
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("%s %.1f → %.1f points", best, bestBefore, bestAfter)
}
