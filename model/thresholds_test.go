package model

import (
	"math"
	"strings"
	"testing"
)

func TestDefaultThresholdsAreValid(t *testing.T) {
	if err := DefaultThresholds().Validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
}

func TestDefaultThresholdsMatchSpec(t *testing.T) {
	th := DefaultThresholds()
	got := []float64{
		th.LowUtilization, th.LowStickiness, float64(th.SettleDays), th.DropRatio, th.GrowingTrend,
		th.TopCustomersShare, th.DangerPercentile, th.ApproachingMargin, float64(th.RenewalWindowDays),
		float64(th.DetractorMaxScore), th.FlatTrend, th.FlatMaxUtilization, float64(th.HandoffDays),
		th.HandoffUtilization, th.CrisisUtilization, th.SurpriseTrend, float64(th.SurpriseMinMAU),
		th.SurpriseUtilization, float64(th.LowUtilizationTarget), float64(th.QBRIntervalDays),
	}
	want := []float64{0.60, 0.20, 30, 0.70, 0.10, 0.10, 0.25, 5, 90, 6, 0.05, 0.80, 45, 0.40, 0.60, 0.25, 5, 0.80, 10, 91}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("default %d = %v, want %v", i, got[i], want[i])
		}
	}
	if th.DangerLine != nil {
		t.Errorf("default danger line = %v, want none (book percentile)", *th.DangerLine)
	}
}

func TestValidateNamesTheKey(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Thresholds)
		key    string
	}{
		{"utilization as a percentage", func(th *Thresholds) { th.LowUtilization = 60 }, "low_utilization"},
		{"negative utilization", func(th *Thresholds) { th.LowUtilization = -0.1 }, "low_utilization"},
		{"NaN", func(th *Thresholds) { th.LowStickiness = math.NaN() }, "low_stickiness"},
		{"negative days", func(th *Thresholds) { th.SettleDays = -1 }, "onboarding_settle_days"},
		{"drop ratio above 1", func(th *Thresholds) { th.DropRatio = 1.5 }, "drop_ratio"},
		{"trend below −100%", func(th *Thresholds) { th.GrowingTrend = -2 }, "growing_trend"},
		{"share above 1", func(th *Thresholds) { th.TopCustomersShare = 10 }, "top_customers_share"},
		{"danger line above 100", func(th *Thresholds) { th.DangerLine = metricPtr(101.0) }, "danger_line"},
		{"zero percentile", func(th *Thresholds) { th.DangerPercentile = 0 }, "danger_percentile"},
		{"negative margin", func(th *Thresholds) { th.ApproachingMargin = -1 }, "approaching_margin"},
		{"negative renewal window", func(th *Thresholds) { th.RenewalWindowDays = -1 }, "renewal_window_days"},
		{"detractor above 10", func(th *Thresholds) { th.DetractorMaxScore = 11 }, "detractor_max_score"},
		{"negative flat trend", func(th *Thresholds) { th.FlatTrend = -0.05 }, "flat_trend"},
		{"infinite flat utilization", func(th *Thresholds) { th.FlatMaxUtilization = math.Inf(1) }, "flat_max_utilization"},
		{"negative handoff days", func(th *Thresholds) { th.HandoffDays = -45 }, "handoff_days"},
		{"handoff utilization NaN", func(th *Thresholds) { th.HandoffUtilization = math.NaN() }, "handoff_utilization"},
		{"crisis utilization", func(th *Thresholds) { th.CrisisUtilization = -1 }, "crisis_utilization"},
		{"surprise trend", func(th *Thresholds) { th.SurpriseTrend = math.NaN() }, "surprise_trend"},
		{"surprise mau", func(th *Thresholds) { th.SurpriseMinMAU = -5 }, "surprise_min_mau"},
		{"surprise utilization", func(th *Thresholds) { th.SurpriseUtilization = 80 }, "surprise_utilization"},
		{"target", func(th *Thresholds) { th.LowUtilizationTarget = -1 }, "low_utilization_target"},
		{"QBR every 0 days", func(th *Thresholds) { th.QBRIntervalDays = 0 }, "qbr_interval_days"},
		{"negative weight", func(th *Thresholds) { th.Weights.Trend = -1 }, "weights.trend"},
		{"NaN weight", func(th *Thresholds) { th.Weights.Champion = math.NaN() }, "weights.champion"},
		{"all weights zero", func(th *Thresholds) { th.Weights = Weights{} }, "weights"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := DefaultThresholds()
			tt.change(&th)
			err := th.Validate()
			if err == nil {
				t.Fatal("Validate accepted it")
			}
			if !strings.HasPrefix(err.Error(), tt.key+" ") && !strings.HasPrefix(err.Error(), tt.key+":") {
				t.Errorf("error %q does not start with key %q", err, tt.key)
			}
		})
	}
}

func TestValidateReportsEveryBadKey(t *testing.T) {
	th := DefaultThresholds()
	th.LowUtilization = 60
	th.QBRIntervalDays = 0
	err := th.Validate()
	if err == nil {
		t.Fatal("Validate accepted two bad keys")
	}
	for _, key := range []string{"low_utilization", "qbr_interval_days"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %q does not name %s", err, key)
		}
	}
}

func TestValidateAcceptsEdges(t *testing.T) {
	th := DefaultThresholds()
	th.DangerLine = metricPtr(0.0)
	th.DangerPercentile = 1
	th.LowUtilization = 0
	th.RenewalWindowDays = 0
	th.Weights = Weights{NPS: 1}
	if err := th.Validate(); err != nil {
		t.Errorf("edge values rejected: %v", err)
	}
}
