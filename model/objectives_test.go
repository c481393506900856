package model

import (
	"testing"
)

func TestComputeObjectives(t *testing.T) {
	th := DefaultThresholds()
	th.LowUtilizationTarget = 1
	acct := func(util *float64, dau float64, mau int, weekly, qbr bool, segs []string, alerts []string) AccountMetrics {
		m := AccountMetrics{Segments: segs, Alerts: alerts, QBRDue: qbr}
		m.Util, m.DAU, m.MAU, m.WeeklyUse = util, dau, mau, weekly
		return m
	}
	ms := []AccountMetrics{
		acct(metricPtr(0.2), 2, 10, true, true, []string{SegmentLowUtilization, SegmentDangerZone}, []string{AlertCrisis}),
		acct(metricPtr(0.5), 6, 20, true, false, []string{SegmentLowUtilization, SegmentGrowing}, nil),
		acct(metricPtr(0.9), 20, 60, false, true, []string{SegmentGrowing}, []string{AlertSurprise, AlertCrisis}),
		acct(nil, 10, 10, false, false, nil, nil), // no licenses
	}
	o := ComputeObjectives(ms, th)
	want := Objectives{
		Accounts:             4,
		LowUtilization:       2,
		LowUtilizationTarget: 1,
		LowUtilizationMet:    false,
		Growing:              2,
		WeeklyUse:            2,
		QBRsDue:              2,
		Alerts:               2,
		DangerZone:           1,
	}
	gotCounts := o
	gotCounts.AvgUtilization, gotCounts.Stickiness = nil, 0
	if gotCounts != want {
		t.Errorf("objectives = %+v, want %+v", gotCounts, want)
	}
	// Average utilization leaves out the account without licenses.
	if o.AvgUtilization == nil || !approx(*o.AvgUtilization, (0.2+0.5+0.9)/3) {
		t.Errorf("average utilization = %s, want %v", optional(o.AvgUtilization), (0.2+0.5+0.9)/3)
	}
	// Book stickiness pools every account: Σ average DAU / Σ MAU.
	if want := (2.0 + 6 + 20 + 10) / (10 + 20 + 60 + 10); !approx(o.Stickiness, want) {
		t.Errorf("book stickiness = %v, want %v", o.Stickiness, want)
	}
}

func TestComputeObjectivesEdges(t *testing.T) {
	o := ComputeObjectives(nil, DefaultThresholds())
	if o.Accounts != 0 || o.AvgUtilization != nil || o.Stickiness != 0 || !o.LowUtilizationMet {
		t.Errorf("empty book objectives = %+v", o)
	}
	// At the target is met.
	th := DefaultThresholds()
	th.LowUtilizationTarget = 1
	o = ComputeObjectives([]AccountMetrics{{Segments: []string{SegmentLowUtilization}}}, th)
	if !o.LowUtilizationMet {
		t.Errorf("1 low_utilization account against a target of 1 should meet it")
	}
}

func TestQBRDue(t *testing.T) {
	tests := []struct {
		name      string
		completed *Date
		lastQBR   *Date
		want      bool
		wantNext  *Date
	}{
		{"onboarding not complete", nil, nil, false, nil},
		{"completion after T", metricPtr(fxT + 1), nil, false, nil},
		{"no QBR, 90 days since completion", metricPtr(fxT - 90), nil, false, metricPtr(fxT + 1)},
		{"no QBR, 91 days since completion", metricPtr(fxT - 91), nil, true, metricPtr(fxT)},
		{"last QBR 90 days ago", metricPtr(fxT - 300), metricPtr(fxT - 90), false, metricPtr(fxT + 1)},
		{"last QBR 91 days ago", metricPtr(fxT - 300), metricPtr(fxT - 91), true, metricPtr(fxT)},
		{"QBR before completion does not count", metricPtr(fxT - 91), metricPtr(fxT - 200), true, metricPtr(fxT)},
		{"QBR before a recent completion", metricPtr(fxT - 10), metricPtr(fxT - 200), false, metricPtr(fxT + 81)},
		{"QBR dated after T", metricPtr(fxT - 300), metricPtr(fxT + 2), false, metricPtr(fxT + 93)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := fxAccount("a", completedOn(tt.completed), func(a *AccountData) { a.LastQBR = tt.lastQBR })
			m := computeOne(a, DefaultThresholds())
			if m.QBRDue != tt.want || optional(m.NextQBROn) != optional(tt.wantNext) {
				t.Errorf("due %v, next %s; want %v, %s", m.QBRDue, optional(m.NextQBROn), tt.want, optional(tt.wantNext))
			}
		})
	}
}
