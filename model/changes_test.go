package model

import (
	"reflect"
	"testing"
)

func metricsWith(id string, health float64, comps map[string]float64, segs, alerts []string) AccountMetrics {
	m := AccountMetrics{AccountID: id, Segments: segs, Alerts: alerts}
	m.Health.Score = health
	for _, k := range []string{HealthUtilization, HealthStickiness, HealthTrend} {
		m.Health.Components = append(m.Health.Components, HealthComponent{Key: k, Points: comps[k]})
	}
	return m
}

func TestDiffMetrics(t *testing.T) {
	tests := []struct {
		name          string
		before, after []AccountMetrics
		want          []MetricChange
	}{
		{
			name:   "nothing changed",
			before: []AccountMetrics{metricsWith("a", 50, nil, []string{SegmentGrowing}, nil)},
			after:  []AccountMetrics{metricsWith("a", 52, nil, []string{SegmentGrowing}, nil)},
		},
		{
			name:   "entered an alert and left a segment",
			before: []AccountMetrics{metricsWith("a", 50, nil, []string{SegmentGrowing}, nil)},
			after:  []AccountMetrics{metricsWith("a", 50, nil, nil, []string{AlertCrisis})},
			want: []MetricChange{
				{AccountID: "a", Kind: ChangeEntered, Key: AlertCrisis},
				{AccountID: "a", Kind: ChangeLeft, Key: SegmentGrowing},
			},
		},
		{
			name:   "health drop at exactly the threshold names the component that fell most",
			before: []AccountMetrics{metricsWith("a", 60, map[string]float64{HealthUtilization: 20, HealthStickiness: 10, HealthTrend: 5}, nil, nil)},
			after:  []AccountMetrics{metricsWith("a", 55, map[string]float64{HealthUtilization: 17, HealthStickiness: 12, HealthTrend: 1}, nil, nil)},
			want: []MetricChange{{AccountID: "a", Kind: ChangeHealth, Before: 60, After: 55,
				Cause: "trend 5.0 → 1.0 points"}},
		},
		{
			name:   "a move just under the threshold is noise",
			before: []AccountMetrics{metricsWith("a", 60, nil, nil, nil)},
			after:  []AccountMetrics{metricsWith("a", 55.1, nil, nil, nil)},
		},
		{
			name:   "new and gone accounts are not metric changes",
			before: []AccountMetrics{metricsWith("gone", 10, nil, []string{SegmentDangerZone}, nil)},
			after:  []AccountMetrics{metricsWith("new", 90, nil, []string{SegmentGrowing}, nil)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DiffMetrics(tt.before, tt.after)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DiffMetrics =\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
}
