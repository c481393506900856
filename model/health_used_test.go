package model

import (
	"math"
	"slices"
	"testing"
)

// The weights a health breakdown shows are the ones used: weight × score
// gives each component's points and the points add up to the score, also
// when an undefined component is left out.
func TestHealthUsedWeightsAddUp(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(*HealthInputs)
		leftOut []string
	}{
		{"every figure defined", func(*HealthInputs) {}, nil},
		{"no high-value feature", func(in *HealthInputs) { in.FeatureAdoption = nil }, []string{HealthFeatureAdoption}},
		{"no licenses, no NPS", func(in *HealthInputs) { in.Util, in.NPS = nil, nil }, []string{HealthUtilization, HealthNPS}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := fullInputs()
			tc.change(&in)
			w := DefaultThresholds().Weights
			h := ScoreHealth(in, w)
			sumW, sumP := 0.0, 0.0
			for _, c := range h.Components {
				used := h.UsedWeight(c.Key)
				if !c.Counted {
					if used != 0 {
						t.Errorf("%s left out but used weight %v", c.Key, used)
					}
					continue
				}
				if math.Abs(100*c.Score*used-c.Points) > 1e-9 {
					t.Errorf("%s: 100 × %v × %v ≠ %v points", c.Key, c.Score, used, c.Points)
				}
				sumW += used
				sumP += c.Points
			}
			if math.Abs(sumW-1) > 1e-9 || math.Abs(math.Round(sumP*10)/10-h.Score) > 1e-9 {
				t.Errorf("used weights add to %v, points to %v; want 1 and the score %v", sumW, sumP, h.Score)
			}
			if got := h.LeftOut(); !slices.Equal(got, tc.leftOut) {
				t.Errorf("LeftOut = %v, want %v", got, tc.leftOut)
			}
		})
	}
}
