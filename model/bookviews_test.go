package model

import (
	"slices"
	"testing"
)

// viewAccount is the metrics of an account with the given keys and health,
// its urgency worked out as ComputeBook does.
func viewAccount(health float64, segments, alerts, flags []string) AccountMetrics {
	m := AccountMetrics{Segments: segments, Alerts: alerts, Flags: flags}
	m.Health.Score = health
	m.Urgency = urgency(&m)
	return m
}

func TestInNeedsMe(t *testing.T) {
	tests := []struct {
		name    string
		m       AccountMetrics
		snoozed map[string]Date
		want    bool
	}{
		{"nothing", viewAccount(80, []string{SegmentGrowing}, nil, nil), nil, false},
		{"an alert", viewAccount(80, nil, []string{AlertSurprise}, nil), nil, true},
		{"danger zone", viewAccount(20, []string{SegmentDangerZone}, nil, nil), nil, true},
		{"approaching danger", viewAccount(30, []string{SegmentApproachingDanger}, nil, nil), nil, true},
		{"low utilization alone", viewAccount(60, []string{SegmentLowUtilization}, nil, nil), nil, false},
		{"a flag alone", viewAccount(60, nil, nil, []string{FlagNoLicenses}), nil, false},
		{"snoozed account with an alert", viewAccount(80, nil, []string{AlertCrisis}, nil), map[string]Date{SnoozeAll: 9}, false},
		{"snoozed account in the danger zone", viewAccount(20, []string{SegmentDangerZone}, nil, nil), map[string]Date{SnoozeAll: 9}, false},
		{"its only alert snoozed", viewAccount(80, nil, []string{AlertCrisis}, nil), map[string]Date{AlertCrisis: 9}, false},
		{"one of two alerts snoozed", viewAccount(80, nil, []string{AlertCrisis, AlertSurprise}, nil), map[string]Date{AlertCrisis: 9}, true},
		{"alert snoozed, still in the danger zone", viewAccount(20, []string{SegmentDangerZone}, []string{AlertCrisis}, nil), map[string]Date{AlertCrisis: 9}, true},
		{"a snooze of an alert it does not have", viewAccount(80, nil, []string{AlertCrisis}, nil), map[string]Date{AlertSurprise: 9}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.m
			ApplySnoozes(&m, tt.snoozed)
			if got := InNeedsMe(&m); got != tt.want {
				t.Errorf("InNeedsMe = %v, want %v (alerts %v, segments %v, flags %v)", got, tt.want, m.Alerts, m.Segments, m.Flags)
			}
			for _, key := range []string{NeedsMe, "attention"} {
				if got := InView(&m, key); got != tt.want {
					t.Errorf("InView(%q) = %v, want %v", key, got, tt.want)
				}
			}
		})
	}
}

func TestApplySnoozes(t *testing.T) {
	tests := []struct {
		name        string
		m           AccountMetrics
		snoozed     map[string]Date
		alerts      []string
		flags       []string
		urgencyDrop bool // the account leaves the alerts' group
	}{
		{"none", viewAccount(50, nil, []string{AlertCrisis}, []string{FlagNoUsage}), nil, []string{AlertCrisis}, []string{FlagNoUsage}, false},
		{"whole account", viewAccount(50, nil, []string{AlertCrisis}, []string{FlagNoUsage}), map[string]Date{SnoozeAll: 1},
			nil, []string{FlagNoUsage, FlagSnoozed}, true},
		{"one alert of two", viewAccount(50, nil, []string{AlertCrisis, AlertSurprise}, nil), map[string]Date{AlertSurprise: 1},
			[]string{AlertCrisis}, []string{FlagSnoozedAlert}, false},
		{"every alert", viewAccount(50, nil, []string{AlertCrisis, AlertSurprise}, nil), map[string]Date{AlertSurprise: 1, AlertCrisis: 1},
			[]string{}, []string{FlagSnoozedAlert}, true},
		{"an alert it lacks", viewAccount(50, nil, []string{AlertCrisis}, nil), map[string]Date{AlertSurprise: 1},
			[]string{AlertCrisis}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.m
			before := slices.Clone(m.Flags)
			ApplySnoozes(&m, tt.snoozed)
			if !slices.Equal(m.Alerts, tt.alerts) || !slices.Equal(m.Flags, tt.flags) {
				t.Errorf("alerts %v, flags %v; want %v, %v", m.Alerts, m.Flags, tt.alerts, tt.flags)
			}
			if dropped := m.Urgency < tt.m.Urgency; dropped != tt.urgencyDrop {
				t.Errorf("urgency %d → %d, want a drop: %v", tt.m.Urgency, m.Urgency, tt.urgencyDrop)
			}
			if !slices.Equal(tt.m.Flags, before) {
				t.Errorf("the flags given were changed: %v", tt.m.Flags)
			}
		})
	}
}

func TestInView(t *testing.T) {
	m := viewAccount(50, []string{SegmentLowUtilization, SegmentRenewalSoon}, []string{AlertCrisis}, []string{FlagNoLicenses})
	for key, want := range map[string]bool{
		"": true, SegmentLowUtilization: true, SegmentRenewalSoon: true, AlertCrisis: true, FlagNoLicenses: true,
		SegmentGrowing: false, AlertSurprise: false, FlagNoUsage: false, FlagSnoozed: false, "vip": false,
	} {
		if got := InView(&m, key); got != want {
			t.Errorf("InView(%q) = %v, want %v", key, got, want)
		}
	}
	for _, key := range ViewKeys() {
		if !IsViewKey(key) || Label(key) == key {
			t.Errorf("view key %q: known %v, label %q", key, IsViewKey(key), Label(key))
		}
	}
	if !IsViewKey("attention") || IsViewKey("vip") || IsViewKey("") {
		t.Error("IsViewKey: attention is a view, vip and \"\" are not")
	}
	for _, key := range TabKeys() {
		if !slices.Contains(ViewKeys(), key) {
			t.Errorf("tab %q is not a view", key)
		}
	}
}

func TestBookSorts(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	type acct struct {
		a Account
		m AccountMetrics
	}
	mk := func(id, name string, health float64, util, trend *float64, arr int64, renewal, mau int, alerts []string, snoozed bool) acct {
		m := viewAccount(health, nil, alerts, nil)
		m.Util, m.Trend, m.RenewalInDays, m.MAU = util, trend, renewal, mau
		if snoozed {
			ApplySnoozes(&m, map[string]Date{SnoozeAll: 1})
		}
		return acct{Account{ID: id, Name: name, ARRCents: arr}, m}
	}
	book := []acct{
		mk("e", "echo", 50, f(0.5), f(0.1), 300, 10, 40, nil, false),
		mk("a", "Alpha", 20, nil, nil, 100, 90, 10, []string{AlertCrisis}, false),
		mk("c", "charlie", 80, f(0.9), f(-0.2), 500, -5, 90, nil, false),
		mk("b", "alpha", 50, f(0.5), f(0.1), 300, 10, 40, nil, false),
		mk("d", "delta", 10, f(0.2), f(0.3), 200, 30, 20, []string{AlertCrisis}, true),
	}
	want := map[string]string{
		// Alpha's alert first; then by urgency (health 50, 50, 80); the
		// snoozed account last despite its alert and health.
		"urgency": "a b e c d",
		"health":  "d a b e c",
		"name":    "a b c d e", // Alpha and alpha by name, then id
		"util":    "d b e c a", // no licenses last; b and e tie, then urgency
		"trend":   "c b e d a",
		"arr":     "c b e d a",
		"renewal": "c b e d a",
		"mau":     "c b e d a",
	}
	if !slices.Equal(BookSortKeys(), []string{"urgency", "health", "name", "util", "trend", "arr", "renewal", "mau"}) {
		t.Errorf("sort keys = %v", BookSortKeys())
	}
	for _, key := range BookSortKeys() {
		s, ok := FindBookSort(key)
		if !ok || s.About == "" {
			t.Fatalf("sort %q: found %v, about %q", key, ok, s.About)
		}
		// Every order of the input gives the same order out.
		for _, rot := range []int{0, 1, 2, 3, 4} {
			rows := slices.Concat(book[rot:], book[:rot])
			slices.SortFunc(rows, func(x, y acct) int { return s.Compare(&x.a, &y.a, &x.m, &y.m) })
			got := ""
			for i, r := range rows {
				if i > 0 {
					got += " "
				}
				got += r.a.ID
			}
			if got != want[key] {
				t.Errorf("sort %s from rotation %d = %s, want %s", key, rot, got, want[key])
			}
		}
	}
	if _, ok := FindBookSort("utilization"); ok {
		t.Error("utilization is not a sort key: util is")
	}
}
