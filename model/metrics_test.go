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
	// Weekly use reads dau over the whole last window, not wau(T): users
	// on T−6..T−1 keep it.
	if !noT.WeeklyUse {
		t.Error("T missing: weekly use lost, want it kept by the other days of the window")
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
	// The four windows are T−27..T−21, T−20..T−14, T−13..T−7 and T−6..T;
	// the four before are T−55..T−49, T−48..T−42, T−41..T−35, T−34..T−28.
	// A window counts when some day in it has dau > 0; a day missing from
	// the data has none, and wau is never read.
	type change func(*fxUsage)
	idle := func(from, to Date) change { return func(f *fxUsage) { f.dau(from, to, 0) } }
	missing := func(from, to Date) change { return func(f *fxUsage) { f.drop(from, to) } }
	noWAU := func(from, to Date) change {
		return func(f *fxUsage) {
			for d := from; d <= to; d++ {
				f.wau(d, 0)
			}
		}
	}
	tests := []struct {
		name      string
		changes   []change
		want      bool
		wantPrior bool
	}{
		{"every week active", nil, true, true},
		{"T missing from the data", []change{missing(fxT, fxT)}, true, true},
		{"the last day of every window missing", []change{missing(fxT, fxT), missing(fxT-7, fxT-7), missing(fxT-14, fxT-14), missing(fxT-21, fxT-21),
			missing(fxT-28, fxT-28), missing(fxT-35, fxT-35), missing(fxT-42, fxT-42), missing(fxT-49, fxT-49)}, true, true},
		{"only the first day of the last window active", []change{idle(fxT-5, fxT)}, true, true},
		{"only T active in the last window", []change{idle(fxT-6, fxT-1)}, true, true},
		{"the last window idle", []change{idle(fxT-6, fxT)}, false, true},
		{"the last window missing", []change{missing(fxT-6, fxT)}, false, true},
		{"the oldest window idle", []change{idle(fxT-27, fxT-21)}, false, true},
		{"idle from T−28 to T−22, T−21 active", []change{idle(fxT-28, fxT-22)}, true, true},
		{"idle from T−26 to T−20, T−27 active", []change{idle(fxT-26, fxT-20)}, true, true},
		{"wau zero everywhere, dau positive", []change{noWAU(fxT-60, fxT)}, true, true},
		{"wau positive, dau zero in the last window", []change{idle(fxT-6, fxT), noWAU(fxT-60, fxT-7)}, false, true},
		{"T−34..T−28 idle breaks the prior weeks only", []change{idle(fxT-34, fxT-28)}, true, false},
		{"T−55..T−49 missing, the oldest prior week", []change{missing(fxT-55, fxT-49)}, true, false},
		{"T−56..T−50 idle, T−49 active", []change{idle(fxT-56, fxT-50)}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newUsage().steady(2, 8)
			for _, c := range tt.changes {
				c(f)
			}
			m := metricsOf(f, 50)
			if m.WeeklyUse != tt.want || m.WeeklyUsePrior != tt.wantPrior {
				t.Errorf("weekly use %v, prior %v; want %v, %v (windows %v)", m.WeeklyUse, m.WeeklyUsePrior, tt.want, tt.wantPrior, m.WeeklyActive)
			}
		})
	}
}

func TestWeeklyActiveOrder(t *testing.T) {
	// Active days: 1 in the oldest window, 2, 3, then 4 in the last; the
	// last day of the newest is missing from the data.
	f := newUsage().span(fxT-40, fxT-1, fxDay{WAU: 9, MAU: 9}).
		dau(fxT-21, fxT-21, 1).
		dau(fxT-20, fxT-19, 1).
		dau(fxT-9, fxT-7, 1).
		dau(fxT-6, fxT-3, 1)
	m := metricsOf(f, 50)
	if want := [4]int{1, 2, 3, 4}; m.WeeklyActive != want {
		t.Errorf("weekly active = %v, want %v (oldest first)", m.WeeklyActive, want)
	}
}

func TestFeatureAdoption(t *testing.T) {
	// Windows: T−27..T−21, T−20..T−14, T−13..T−7, T−6..T.
	windowEnds := []Date{fxT - 21, fxT - 14, fxT - 7, fxT}
	tests := []struct {
		name    string
		reports []Date // days "reports" (high value) is used
		other   []Date // days "login" (not high value) is used
		missing []Date // days absent from the data
		want    float64
	}{
		{"first day of three windows", []Date{fxT - 27, fxT - 20, fxT - 13}, nil, nil, 0.5},
		{"last day of three windows", []Date{fxT - 21, fxT - 14, fxT - 7}, nil, nil, 0.5},
		{"every window", []Date{fxT - 25, fxT - 18, fxT - 10, fxT}, nil, nil, 0.5},
		{"T−28 is outside the windows", []Date{fxT - 28, fxT - 20, fxT - 13}, nil, nil, 0},
		{"three days of only two windows", []Date{fxT - 6, fxT, fxT - 13}, nil, nil, 0},
		{"never", nil, nil, nil, 0},
		{"only a feature that is not high value", nil, []Date{fxT, fxT - 7, fxT - 14, fxT - 21}, nil, 0},
		{"three windows whose last day is missing", []Date{fxT - 25, fxT - 18, fxT - 10}, nil, windowEnds, 0.5},
		{"two windows and the missing end of a third", []Date{fxT - 25, fxT - 18}, nil, windowEnds, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newUsage().steady(3, 10)
			for _, d := range tt.missing {
				f.drop(d, d)
			}
			f.feature("reports", 2, tt.reports...).feature("login", 3, tt.other...)
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
		name    string
		active  Date   // dau > 0 from this day on; 0: never
		missing []Date // days absent from the data
		want    *int
	}{
		// Weekly use first holds 21 days after use starts: the oldest of
		// the four windows must have an active day too.
		{"weekly from the start", start, nil, metricPtr(21)},
		{"weekly from day 10", start + 10, nil, metricPtr(31)},
		{"only for the last 3 weeks", fxT - 20, nil, nil},
		{"exactly the last 4 weeks", fxT - 21, nil, metricPtr(100)},
		{"never", 0, nil, nil},
		// A day missing from the data at a window's end does not matter
		// while another day of the window has users.
		{"day 21, the newest window's end, missing", start, []Date{start + 21}, metricPtr(21)},
		{"every window's end missing", start + 1, []Date{start + 7, start + 14, start + 21, start + 22}, metricPtr(22)},
		{"the first day missing: the oldest window starts a day later", start, []Date{start}, metricPtr(22)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newUsage().span(start-30, fxT, fxDay{})
			if tt.active != 0 {
				f.span(tt.active, fxT, fxDay{DAU: 1, WAU: 3, MAU: 5})
			}
			for _, d := range tt.missing {
				f.drop(d, d)
			}
			a := fxAccount("a", withUsage(f), func(a *AccountData) { a.Account.OnboardingStartedOn = start })
			m := ComputeMetrics(BuildUsage(a.Usage), a.Account, nil, fxT)
			if optional(m.TimeToRegularUse) != optional(tt.want) {
				t.Errorf("time to regular use = %s, want %s", optional(m.TimeToRegularUse), optional(tt.want))
			}
		})
	}
}

// TestRegularUseAgreesWithWeeklyUse checks firstWeeklyUseDay, which keeps a
// ring of days for speed, against the plain rule at every day.
func TestRegularUseAgreesWithWeeklyUse(t *testing.T) {
	f := newUsage().span(fxT-200, fxT, fxDay{})
	// A sparse, irregular pattern: active on days whose index is a
	// multiple of 5, 6 or 11, and a gap of missing days.
	for d := fxT - 200; d <= fxT; d++ {
		if i := int(d - (fxT - 200)); i%5 == 0 || i%6 == 0 || i%11 == 0 {
			f.dau(d, d, 1)
		}
	}
	f.drop(fxT-120, fxT-100)
	u := BuildUsage(f.months("a"))
	for end := fxT - 200; end <= fxT; end++ {
		var want *Date
		for d := u.First; d <= end; d++ {
			if allPositive(u.weeklyActive(d)) {
				want = &d
				break
			}
		}
		if got := u.firstWeeklyUseDay(end); optional(got) != optional(want) {
			t.Fatalf("up to %s: first weekly use day %s, want %s", end, optional(got), optional(want))
		}
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
