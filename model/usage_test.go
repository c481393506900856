package model

import (
	"testing"
	"time"
)

func month(name string, days int, dau ...int) UsageMonth {
	return UsageMonth{Month: name, Days: days, DAU: dau, WAU: dau, MAU: dau, Sessions: dau, Minutes: dau}
}

func TestBuildUsage(t *testing.T) {
	oct1 := MakeDate(2026, time.October, 1)
	nov1 := MakeDate(2026, time.November, 1)
	dec1 := MakeDate(2026, time.December, 1)

	tests := []struct {
		name      string
		months    []UsageMonth
		wantFirst Date
		wantLast  Date
		want      map[Date]int // dau on some days
	}{
		{
			name:      "months out of order",
			months:    []UsageMonth{month("2026-11", 2, 7, 8), month("2026-10", 31, filled(31, 3)...)},
			wantFirst: oct1, wantLast: nov1 + 1,
			want: map[Date]int{oct1: 3, nov1 - 1: 3, nov1: 7, nov1 + 1: 8, nov1 + 2: 0, oct1 - 1: 0},
		},
		{
			name:      "a missing month is zero",
			months:    []UsageMonth{month("2026-10", 1, 4), month("2026-12", 1, 6)},
			wantFirst: oct1, wantLast: dec1,
			want: map[Date]int{oct1: 4, nov1: 0, nov1 + 15: 0, dec1: 6},
		},
		{
			name:      "partial month holds only its days",
			months:    []UsageMonth{month("2026-11", 3, 1, 2, 3)},
			wantFirst: nov1, wantLast: nov1 + 2,
			want: map[Date]int{nov1: 1, nov1 + 2: 3, nov1 + 3: 0},
		},
		{
			name:      "columns shorter than days leave zeros",
			months:    []UsageMonth{month("2026-11", 3, 5)},
			wantFirst: nov1, wantLast: nov1 + 2,
			want: map[Date]int{nov1: 5, nov1 + 1: 0, nov1 + 2: 0},
		},
		{
			name:      "days beyond the month's length are cut",
			months:    []UsageMonth{month("2026-11", 40, filled(40, 1)...)},
			wantFirst: nov1, wantLast: nov1 + 29,
			want: map[Date]int{nov1 + 29: 1, dec1: 0},
		},
		{
			name:      "the fuller copy of a month wins",
			months:    []UsageMonth{month("2026-11", 3, 9, 9, 9), month("2026-11", 2, 1, 1)},
			wantFirst: nov1, wantLast: nov1 + 2,
			want: map[Date]int{nov1: 9, nov1 + 2: 9},
		},
		{
			name:      "bad month names and empty months are skipped",
			months:    []UsageMonth{month("November", 1, 5), month("2026-13", 1, 5), month("2026-10", 0), month("2026-11", 1, 2)},
			wantFirst: nov1, wantLast: nov1,
			want: map[Date]int{nov1: 2, oct1: 0},
		},
		{
			name:      "a month from another millennium does not stretch the series",
			months:    []UsageMonth{month("0001-01", 1, 5), month("2026-11", 1, 2)},
			wantFirst: nov1 - maxUsageSpanDays + 1, wantLast: nov1,
			want: map[Date]int{nov1: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := BuildUsage(tt.months)
			if u.First != tt.wantFirst || u.Last() != tt.wantLast {
				t.Errorf("series spans %s..%s, want %s..%s", u.First, u.Last(), tt.wantFirst, tt.wantLast)
			}
			for d, want := range tt.want {
				if got := u.DAUOn(d); got != want {
					t.Errorf("DAUOn(%s) = %d, want %d", d, got, want)
				}
			}
		})
	}
}

func filled(n, v int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func TestBuildUsageColumnsAndFeatures(t *testing.T) {
	nov1 := MakeDate(2026, time.November, 1)
	m := UsageMonth{
		Month: "2026-11", Days: 2,
		DAU: []int{1, 2}, WAU: []int{3, 4}, MAU: []int{5, 6}, Sessions: []int{7, 8}, Minutes: []int{9, 10},
		Features: map[string][]int{"reports": {0, 11}},
	}
	u := BuildUsage([]UsageMonth{m})
	got := []int{
		u.DAUOn(nov1 + 1), u.WAUOn(nov1 + 1), u.MAUOn(nov1 + 1), u.SessionsOn(nov1 + 1), u.MinutesOn(nov1 + 1),
		u.FeatureOn("reports", nov1+1), u.FeatureOn("reports", nov1), u.FeatureOn("unknown", nov1+1),
	}
	want := []int{2, 4, 6, 8, 10, 11, 0, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("value %d = %d, want %d (all: %v)", i, got[i], want[i], got)
		}
	}
}

func TestBuildUsageEmpty(t *testing.T) {
	u := BuildUsage(nil)
	if !u.Empty() {
		t.Fatal("usage of no months is not empty")
	}
	if got := u.DAUOn(fxT); got != 0 {
		t.Errorf("DAUOn on empty usage = %d, want 0", got)
	}
	if got := u.sum(u.DAU, fxT-10, fxT); got != 0 {
		t.Errorf("sum on empty usage = %d, want 0", got)
	}
}

func TestUsageDoesNotChangeInput(t *testing.T) {
	months := []UsageMonth{month("2026-11", 1, 1), month("2026-10", 1, 2)}
	BuildUsage(months)
	if months[0].Month != "2026-11" || months[1].Month != "2026-10" {
		t.Errorf("BuildUsage reordered its input: %s, %s", months[0].Month, months[1].Month)
	}
}

func TestLatestDay(t *testing.T) {
	tests := []struct {
		name   string
		months []UsageMonth
		want   Date
		wantOK bool
	}{
		{"no months", nil, 0, false},
		{"only empty months", []UsageMonth{month("2026-11", 0)}, 0, false},
		{"partial current month", []UsageMonth{month("2026-10", 31), month("2026-11", 20)}, fxT, true},
		{"order does not matter", []UsageMonth{month("2026-11", 20), month("2026-10", 31)}, fxT, true},
		{"a full older month beats nothing newer", []UsageMonth{month("2026-10", 31), month("bad", 5)}, MakeDate(2026, time.October, 31), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := LatestDay(tt.months)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("LatestDay = %s, %v; want %s, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestFixtureRoundTrip(t *testing.T) {
	// The fixture helpers are used by every rule test; check that what they
	// record is what BuildUsage gives back, gaps included.
	f := newUsage().span(fxT-40, fxT, fxDay{DAU: 3, WAU: 4, MAU: 5}).drop(fxT-20, fxT-18).feature("reports", 2, fxT-3)
	u := BuildUsage(f.months("a"))
	for d := fxT - 45; d <= fxT+1; d++ {
		want := f.days[d]
		if u.DAUOn(d) != want.DAU || u.WAUOn(d) != want.WAU || u.MAUOn(d) != want.MAU {
			t.Errorf("%s: got dau/wau/mau %d/%d/%d, want %+v", d, u.DAUOn(d), u.WAUOn(d), u.MAUOn(d), want)
		}
	}
	if got := u.FeatureOn("reports", fxT-3); got != 2 {
		t.Errorf("feature on %s = %d, want 2", fxT-3, got)
	}
}
