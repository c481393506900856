package model

import (
	"math"
	"testing"
)

// fullInputs is an account with every health figure defined.
func fullInputs() HealthInputs {
	return HealthInputs{
		Util:            metricPtr(0.5),
		Stickiness:      0.25,
		FeatureAdoption: metricPtr(0.5),
		Trend:           metricPtr(0.0),
		NPS:             metricPtr(5),
		Champion:        ChampionNone,
	}
}

func TestHealthComponentScores(t *testing.T) {
	tests := []struct {
		name   string
		change func(*HealthInputs)
		key    string
		want   float64
	}{
		{"utilization as is", func(in *HealthInputs) { in.Util = metricPtr(0.42) }, HealthUtilization, 0.42},
		{"utilization saturates at 1", func(in *HealthInputs) { in.Util = metricPtr(1.7) }, HealthUtilization, 1},
		{"stickiness 0.25 is half marks", func(in *HealthInputs) { in.Stickiness = 0.25 }, HealthStickiness, 0.5},
		{"stickiness saturates at 0.5", func(in *HealthInputs) { in.Stickiness = 0.9 }, HealthStickiness, 1},
		{"feature adoption as is", func(in *HealthInputs) { in.FeatureAdoption = metricPtr(0.75) }, HealthFeatureAdoption, 0.75},
		{"flat trend is half marks", func(in *HealthInputs) { in.Trend = metricPtr(0.0) }, HealthTrend, 0.5},
		{"trend +25%", func(in *HealthInputs) { in.Trend = metricPtr(0.25) }, HealthTrend, 0.75},
		{"trend −50% is zero", func(in *HealthInputs) { in.Trend = metricPtr(-0.5) }, HealthTrend, 0},
		{"trend −100% clamps at zero", func(in *HealthInputs) { in.Trend = metricPtr(-1.0) }, HealthTrend, 0},
		{"trend +300% clamps at one", func(in *HealthInputs) { in.Trend = metricPtr(3.0) }, HealthTrend, 1},
		{"NPS 7", func(in *HealthInputs) { in.NPS = metricPtr(7) }, HealthNPS, 0.7},
		{"NPS 10", func(in *HealthInputs) { in.NPS = metricPtr(10) }, HealthNPS, 1},
		{"active champion", func(in *HealthInputs) { in.Champion = ChampionActive }, HealthChampion, 1},
		{"champion left", func(in *HealthInputs) { in.Champion = ChampionLeft }, HealthChampion, 0},
		{"never a champion", func(in *HealthInputs) { in.Champion = ChampionNone }, HealthChampion, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := fullInputs()
			tt.change(&in)
			h := ScoreHealth(in, DefaultThresholds().Weights)
			c := component(t, h, tt.key)
			if !c.Counted || !approx(c.Score, tt.want) {
				t.Errorf("%s score = %v (counted %v), want %v", tt.key, c.Score, c.Counted, tt.want)
			}
		})
	}
}

func component(t *testing.T, h Health, key string) HealthComponent {
	t.Helper()
	for _, c := range h.Components {
		if c.Key == key {
			return c
		}
	}
	t.Fatalf("health has no component %q", key)
	return HealthComponent{}
}

func TestHealthIsTheWeightedMean(t *testing.T) {
	in := HealthInputs{
		Util:            metricPtr(0.8),  // 0.8 × 30
		Stickiness:      0.1,             // 0.2 × 20
		FeatureAdoption: metricPtr(0.5),  // 0.5 × 20
		Trend:           metricPtr(0.25), // 0.75 × 10
		NPS:             metricPtr(9),    // 0.9 × 10
		Champion:        ChampionActive,  // 1 × 10
	}
	h := ScoreHealth(in, DefaultThresholds().Weights)
	want := 0.8*30 + 0.2*20 + 0.5*20 + 0.75*10 + 0.9*10 + 1*10
	if !approx(h.Score, want) {
		t.Errorf("health = %v, want %v", h.Score, want)
	}
	sum := 0.0
	for _, c := range h.Components {
		sum += c.Points
	}
	if math.Abs(sum-h.Score) > 0.05 {
		t.Errorf("components add to %v, score is %v", sum, h.Score)
	}
}

func TestHealthLeavesOutUndefinedComponents(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*HealthInputs)
		dropped []string
	}{
		{"no licenses", func(in *HealthInputs) { in.Util = nil }, []string{HealthUtilization}},
		{"no NPS answer", func(in *HealthInputs) { in.NPS = nil }, []string{HealthNPS}},
		{"undefined trend", func(in *HealthInputs) { in.Trend = nil }, []string{HealthTrend}},
		{"no high-value features", func(in *HealthInputs) { in.FeatureAdoption = nil }, []string{HealthFeatureAdoption}},
		{"a NaN is undefined too", func(in *HealthInputs) { in.Util = metricPtr(math.NaN()) }, []string{HealthUtilization}},
		{
			"everything optional missing",
			func(in *HealthInputs) { in.Util, in.NPS, in.Trend, in.FeatureAdoption = nil, nil, nil, nil },
			[]string{HealthUtilization, HealthNPS, HealthTrend, HealthFeatureAdoption},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := fullInputs()
			tt.change(&in)
			w := DefaultThresholds().Weights
			h := ScoreHealth(in, w)

			// The score is the weighted mean over the components left.
			sumW, sum := 0.0, 0.0
			for _, c := range h.Components {
				dropped := hasKey(tt.dropped, c.Key)
				if c.Counted == dropped {
					t.Errorf("%s counted = %v, want %v", c.Key, c.Counted, !dropped)
				}
				if dropped {
					if c.Points != 0 || c.Value != nil {
						t.Errorf("%s left out but has points %v, value %v", c.Key, c.Points, c.Value)
					}
					continue
				}
				sumW += c.Weight
				sum += c.Weight * c.Score
			}
			if want := math.Round(1000*sum/sumW) / 10; !approx(h.Score, want) {
				t.Errorf("health = %v, want %v", h.Score, want)
			}
		})
	}
}

func TestHealthLoginsAloneDoNotMakeItHigh(t *testing.T) {
	// Daily logins by every monthly user, nothing else known or good: the
	// account has no licenses, no trend, no NPS, no adopted feature, and
	// its champion left.
	in := HealthInputs{Stickiness: 1, FeatureAdoption: metricPtr(0.0), Champion: ChampionLeft}
	if h := ScoreHealth(in, DefaultThresholds().Weights); h.Score > 50 {
		t.Errorf("health = %v from logins alone, want at most 50", h.Score)
	}
}

func TestHealthWeights(t *testing.T) {
	in := fullInputs()
	in.Util = metricPtr(1.0)
	in.Stickiness = 0
	onlyUtil := Weights{Utilization: 1}
	if h := ScoreHealth(in, onlyUtil); h.Score != 100 {
		t.Errorf("health with only utilization weighted = %v, want 100", h.Score)
	}
	onlyStickiness := Weights{Stickiness: 1}
	if h := ScoreHealth(in, onlyStickiness); h.Score != 0 {
		t.Errorf("health with only stickiness weighted = %v, want 0", h.Score)
	}
	// Weights are relative: doubling all of them changes nothing.
	w := DefaultThresholds().Weights
	double := Weights{w.Utilization * 2, w.Stickiness * 2, w.FeatureAdoption * 2, w.Trend * 2, w.NPS * 2, w.Champion * 2}
	if a, b := ScoreHealth(fullInputs(), w), ScoreHealth(fullInputs(), double); a.Score != b.Score {
		t.Errorf("doubled weights give %v, want %v", b.Score, a.Score)
	}
	// Only undefined components weighted: nothing to score.
	in.Util = nil
	if h := ScoreHealth(in, onlyUtil); h.Score != 0 {
		t.Errorf("health with no weighted component defined = %v, want 0", h.Score)
	}
}

func TestHealthStaysInRange(t *testing.T) {
	extremes := []HealthInputs{
		{Util: metricPtr(100.0), Stickiness: 50, FeatureAdoption: metricPtr(1.0), Trend: metricPtr(99.0), NPS: metricPtr(10), Champion: ChampionActive},
		{Util: metricPtr(-1.0), Stickiness: -1, FeatureAdoption: metricPtr(-1.0), Trend: metricPtr(-99.0), NPS: metricPtr(-3), Champion: ChampionLeft},
		{Util: metricPtr(math.Inf(1)), Stickiness: math.NaN(), Trend: metricPtr(math.Inf(-1)), NPS: metricPtr(11), Champion: "odd"},
	}
	for i, in := range extremes {
		h := ScoreHealth(in, DefaultThresholds().Weights)
		if !(h.Score >= 0 && h.Score <= 100) {
			t.Errorf("case %d: health = %v, want 0..100", i, h.Score)
		}
	}
}
