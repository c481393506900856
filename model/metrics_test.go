package model

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// metricsOf computes the metrics of one account's fixture usage as of fxT.
func metricsOf(f *fxUsage, licenses int) Metrics {
	a := fxAccount("a", func(a *AccountData) { a.Account.Licenses = licenses })
	return ComputeMetrics(BuildUsage(f.months("a")), a.Account, highValueKeys(fxFeatures), fxT)
}

func approx(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// optional formats an optional figure for failure messages.
func optional[T any](p *T) string {
	if p == nil {
		return "undefined"
	}
	return fmt.Sprint(*p)
}

func sameOptional(got, want *float64) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	return approx(*got, *want)
}

func TestUtilization(t *testing.T) {
	tests := []struct {
		name     string
		mau      int
		licenses int
		want     *float64
	}{
		{"half the licenses", 25, 50, metricPtr(0.5)},
		{"exactly 60%", 30, 50, metricPtr(0.6)},
		{"more users than licenses", 60, 50, metricPtr(1.2)},
		{"no users", 0, 50, metricPtr(0.0)},
		{"no licenses is undefined", 30, 0, nil},
		{"negative licenses is undefined", 30, -5, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metricsOf(newUsage().steady(1, tt.mau), tt.licenses)
			if !sameOptional(m.Util, tt.want) {
				t.Errorf("util = %s, want %s", optional(m.Util), optional(tt.want))
			}
		})
	}
}

func TestAverageDAUWindow(t *testing.T) {
	// The average runs over T−29..T: 30 days, both ends included.
	tests := []struct {
		name string
		from Date
		to   Date
		want float64
	}{
		{"only T", fxT, fxT, 30.0 / 30},
		{"only T−29, the first day", fxT - 29, fxT - 29, 30.0 / 30},
		{"only T−30, the day before", fxT - 30, fxT - 30, 0},
		{"every day of the window", fxT - 29, fxT, 30},
		{"half the window", fxT - 14, fxT, 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metricsOf(newUsage().dau(tt.from, tt.to, 30), 50)
			if !approx(m.DAU, tt.want) {
				t.Errorf("dau = %v, want %v", m.DAU, tt.want)
			}
		})
	}
}

func TestMissingDaysCountAsZero(t *testing.T) {
	full := metricsOf(newUsage().steady(10, 20), 50)
	gappy := metricsOf(newUsage().steady(10, 20).drop(fxT-9, fxT-5), 50)
	if want := full.DAU * 25 / 30; !approx(gappy.DAU, want) {
		t.Errorf("dau with 5 missing days = %v, want %v", gappy.DAU, want)
	}
	// T−6 and T−5 of the last 7 days are missing.
	if want := full.Sessions7 * 5 / 7; gappy.Sessions7 != want {
		t.Errorf("sessions over 7 days with 2 missing = %d, want %d", gappy.Sessions7, want)
	}
	// T itself missing: mau(T), wau(T) and so utilization read as zero.
	noT := metricsOf(newUsage().steady(10, 20).drop(fxT, fxT), 50)
	if noT.MAU != 0 || noT.WAU != 0 || noT.Util == nil || *noT.Util != 0 {
		t.Errorf("T missing: mau %d, wau %d, util %s; want 0, 0, 0", noT.MAU, noT.WAU, optional(noT.Util))
	}
	if noT.WeeklyUse {
		t.Error("T missing: weekly use holds, want it not to")
	}
}

func TestStickiness(t *testing.T) {
	tests := []struct {
		name     string
		dau, mau int
		want     float64
	}{
		{"a quarter", 5, 20, 0.25},
		{"everyone every day", 20, 20, 1},
		{"no monthly users", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metricsOf(newUsage().steady(tt.dau, tt.mau), 50)
			if !approx(m.Stickiness, tt.want) {
				t.Errorf("stickiness = %v, want %v", m.Stickiness, tt.want)
			}
		})
	}
}

func TestWeeklyUse(t *testing.T) {
	// The four windows end at T−21, T−14, T−7 and T; the four before end at
	// T−49, T−42, T−35 and T−28.
	tests := []struct {
		name      string
		idle      []Date // days whose wau is zero
		want      bool
		wantPrior bool
	}{
		{"every week active", nil, true, true},
		{"idle at T", []Date{fxT}, false, true},
		{"idle at T−7", []Date{fxT - 7}, false, true},
		{"idle at T−21, the oldest window's end", []Date{fxT - 21}, false, true},
		{"idle at T−22, inside no window end", []Date{fxT - 22}, true, true},
		{"idle at T−28 breaks the prior weeks only", []Date{fxT - 28}, true, false},
		{"idle at T−49, the oldest prior week", []Date{fxT - 49}, true, false},
		{"idle at T−50, before every window end", []Date{fxT - 50}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newUsage().steady(2, 8)
			for _, d := range tt.idle {
				f.wau(d, 0)
			}
			m := metricsOf(f, 50)
			if m.WeeklyUse != tt.want || m.WeeklyUsePrior != tt.wantPrior {
				t.Errorf("weekly use %v, prior %v; want %v, %v (windows %v)", m.WeeklyUse, m.WeeklyUsePrior, tt.want, tt.wantPrior, m.WeeklyActive)
			}
		})
	}
}

func TestWeeklyActiveOrder(t *testing.T) {
	f := newUsage().steady(1, 5).wau(fxT-21, 1).wau(fxT-14, 2).wau(fxT-7, 3).wau(fxT, 4)
	m := metricsOf(f, 50)
	if want := [4]int{1, 2, 3, 4}; m.WeeklyActive != want {
		t.Errorf("weekly active = %v, want %v (oldest first)", m.WeeklyActive, want)
	}
}

func TestFeatureAdoption(t *testing.T) {
	// Windows: T−27..T−21, T−20..T−14, T−13..T−7, T−6..T.
	tests := []struct {
		name    string
		reports []Date // days "reports" (high value) is used
		other   []Date // days "login" (not high value) is used
		want    float64
	}{
		{"first day of three windows", []Date{fxT - 27, fxT - 20, fxT - 13}, nil, 0.5},
		{"last day of three windows", []Date{fxT - 21, fxT - 14, fxT - 7}, nil, 0.5},
		{"every window", []Date{fxT - 25, fxT - 18, fxT - 10, fxT}, nil, 0.5},
		{"T−28 is outside the windows", []Date{fxT - 28, fxT - 20, fxT - 13}, nil, 0},
		{"three days of only two windows", []Date{fxT - 6, fxT, fxT - 13}, nil, 0},
		{"never", nil, nil, 0},
		{"only a feature that is not high value", nil, []Date{fxT, fxT - 7, fxT - 14, fxT - 21}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newUsage().steady(3, 10).feature("reports", 2, tt.reports...).feature("login", 3, tt.other...)
			m := metricsOf(f, 50)
			if m.FeatureAdoption == nil || !approx(*m.FeatureAdoption, tt.want) {
				t.Errorf("feature adoption = %s, want %v", optional(m.FeatureAdoption), tt.want)
			}
			if m.HighValueFeatures != 2 {
				t.Errorf("high-value features = %d, want 2", m.HighValueFeatures)
			}
		})
	}
}

func TestFeatureAdoptionZeroUsersIsNotUse(t *testing.T) {
	f := newUsage().steady(3, 10).feature("reports", 0, fxT, fxT-7, fxT-14, fxT-21)
	m := metricsOf(f, 50)
	if m.FeatureAdoption == nil || *m.FeatureAdoption != 0 {
		t.Errorf("feature adoption with zero users = %s, want 0", optional(m.FeatureAdoption))
	}
}

func TestFeatureAdoptionWithoutHighValueFeatures(t *testing.T) {
	a := fxAccount("a")
	m := ComputeMetrics(BuildUsage(newUsage().steady(3, 10).months("a")), a.Account, nil, fxT)
	if m.FeatureAdoption != nil {
		t.Errorf("feature adoption = %v, want undefined without high-value features", *m.FeatureAdoption)
	}
}

func TestTimeSpent(t *testing.T) {
	f := newUsage()
	// Two sessions of 15 minutes on each of T−30..T.
	for d := fxT - 30; d <= fxT; d++ {
		f.edit(d, func(x *fxDay) { x.Sessions, x.Minutes = 2, 30 })
	}
	m := metricsOf(f, 50)
	got := []int{m.Sessions7, m.Sessions30, m.Minutes7, m.Minutes30}
	want := []int{14, 60, 210, 900}
	if !slices.Equal(got, want) {
		t.Errorf("sessions 7/30, minutes 7/30 = %v, want %v", got, want)
	}
	if m.MinutesPerSession == nil || !approx(*m.MinutesPerSession, 15) {
		t.Errorf("minutes per session = %s, want 15", optional(m.MinutesPerSession))
	}
	if none := metricsOf(newUsage(), 50); none.MinutesPerSession != nil {
		t.Errorf("minutes per session without sessions = %v, want undefined", *none.MinutesPerSession)
	}
}

func TestTrend(t *testing.T) {
	tests := []struct {
		name     string
		now      int
		before   int
		beforeOn Date
		want     *float64
	}{
		{"up 10%", 11, 10, fxT - 30, metricPtr(0.1)},
		{"down by half", 5, 10, fxT - 30, metricPtr(-0.5)},
		{"flat", 10, 10, fxT - 30, metricPtr(0.0)},
		{"no users now", 0, 10, fxT - 30, metricPtr(-1.0)},
		{"no users 30 days ago is undefined", 10, 0, fxT - 30, nil},
		{"only T−29 is not 30 days ago", 10, 10, fxT - 29, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newUsage().mau(fxT, tt.now).mau(tt.beforeOn, tt.before)
			m := metricsOf(f, 50)
			if !sameOptional(m.Trend, tt.want) {
				t.Errorf("trend = %s, want %s", optional(m.Trend), optional(tt.want))
			}
			if wantPrev := tt.before * boolInt(tt.beforeOn == fxT-30); m.MAUPrev != wantPrev {
				t.Errorf("mau(T−30) = %d, want %d", m.MAUPrev, wantPrev)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestUtilizationThirtyDaysAgo(t *testing.T) {
	f := newUsage().mau(fxT, 40).mau(fxT-30, 20)
	if m := metricsOf(f, 50); m.UtilPrev == nil || !approx(*m.UtilPrev, 0.4) {
		t.Errorf("util(T−30) = %s, want 0.4", optional(m.UtilPrev))
	}
	if m := metricsOf(f, 0); m.UtilPrev != nil {
		t.Errorf("util(T−30) without licenses = %v, want undefined", *m.UtilPrev)
	}
}

func TestTimeToFirstUse(t *testing.T) {
	start := fxT - 100
	tests := []struct {
		name     string
		firstUse Date // 0: never used
		want     *int
	}{
		{"used on the day onboarding started", start, metricPtr(0)},
		{"used 12 days later", start + 12, metricPtr(12)},
		{"in use before onboarding started", start - 5, metricPtr(0)},
		{"never used", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newUsage().span(start-10, fxT, fxDay{})
			if tt.firstUse != 0 {
				f.dau(tt.firstUse, fxT, 1)
			}
			a := fxAccount("a", withUsage(f), func(a *AccountData) { a.Account.OnboardingStartedOn = start })
			m := ComputeMetrics(BuildUsage(a.Usage), a.Account, nil, fxT)
			if optional(m.TimeToFirstUse) != optional(tt.want) {
				t.Errorf("time to first use = %s, want %s", optional(m.TimeToFirstUse), optional(tt.want))
			}
		})
	}
}

func TestTimeToRegularUse(t *testing.T) {
	start := fxT - 100
	tests := []struct {
		name   string
		active Date // wau > 0 from this day on; 0: never
		want   *int
	}{
		// Weekly use first holds 21 days after wau turns positive: the
		// oldest of the four windows must have users too.
		{"weekly from the start", start, metricPtr(21)},
		{"weekly from day 10", start + 10, metricPtr(31)},
		{"only for the last 3 weeks", fxT - 20, nil},
		{"exactly the last 4 weeks", fxT - 21, metricPtr(100)},
		{"never", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newUsage().span(start-30, fxT, fxDay{})
			if tt.active != 0 {
				f.span(tt.active, fxT, fxDay{DAU: 1, WAU: 3, MAU: 5})
			}
			a := fxAccount("a", withUsage(f), func(a *AccountData) { a.Account.OnboardingStartedOn = start })
			m := ComputeMetrics(BuildUsage(a.Usage), a.Account, nil, fxT)
			if optional(m.TimeToRegularUse) != optional(tt.want) {
				t.Errorf("time to regular use = %s, want %s", optional(m.TimeToRegularUse), optional(tt.want))
			}
		})
	}
}

func TestSignificantDropWindows(t *testing.T) {
	// Recent: T−13..T (14 days); baseline: T−41..T−14 (28 days).
	f := newUsage().dau(fxT-41, fxT-14, 28).dau(fxT-13, fxT, 14).dau(fxT-42, fxT-42, 1000)
	m := metricsOf(f, 50)
	if !approx(m.DAUBaseline, 28) || !approx(m.DAURecent, 14) {
		t.Errorf("baseline %v, recent %v; want 28, 14", m.DAUBaseline, m.DAURecent)
	}
}
