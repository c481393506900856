package model

import (
	"fmt"
	"slices"
	"testing"
)

// Options for fxAccount.

func licenses(n int) func(*AccountData) {
	return func(a *AccountData) { a.Account.Licenses = n }
}

func completedOn(d *Date) func(*AccountData) {
	return func(a *AccountData) { a.Account.OnboardingCompletedOn = d }
}

func purchasedOn(d Date) func(*AccountData) {
	return func(a *AccountData) { a.Account.PurchasedOn = d }
}

func renewsOn(d Date) func(*AccountData) {
	return func(a *AccountData) { a.Account.RenewalOn = d }
}

func contacts(cs ...Contact) func(*AccountData) {
	return func(a *AccountData) { a.Contacts = cs }
}

func answers(ns ...NPSResponse) func(*AccountData) {
	return func(a *AccountData) { a.NPS = ns }
}

// monthly gives the account mau(T) = now and mau(T−30) = before, with
// dau = now/4 every day (stickiness 0.25).
func monthly(now, before int) func(*AccountData) {
	return withUsage(newUsage().steady(now/4, now).mau(fxT-30, before))
}

// sticky gives the account mau users of whom dau are active every day.
func sticky(dau, mau int) func(*AccountData) {
	return withUsage(newUsage().steady(dau, mau))
}

type ruleCase struct {
	name string
	acct AccountData
	want bool
}

// checkRule runs each case through ComputeBook (a book of one) and checks
// whether key is among the account's segments or alerts.
func checkRule(t *testing.T, key string, tests []ruleCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := computeOne(tt.acct, DefaultThresholds())
			got := hasKey(m.Segments, key) || hasKey(m.Alerts, key)
			if got != tt.want {
				t.Errorf("%s = %v, want %v (segments %v, alerts %v, util %s, trend %s)",
					key, got, tt.want, m.Segments, m.Alerts, optional(m.Util), optional(m.Trend))
			}
			if reason, ok := m.Reasons[key]; got && (!ok || reason == "") {
				t.Errorf("%s holds but has no reason", key)
			}
		})
	}
}

func TestPostOnboarding(t *testing.T) {
	checkRule(t, SegmentPostOnboarding, []ruleCase{
		{"completed long ago", fxAccount("a", completedOn(metricPtr(fxT-100))), true},
		{"completed on T", fxAccount("a", completedOn(metricPtr(fxT))), true},
		{"completion planned after T", fxAccount("a", completedOn(metricPtr(fxT+1))), false},
		{"not completed", fxAccount("a", completedOn(nil)), false},
	})
}

func TestLowUtilization(t *testing.T) {
	checkRule(t, SegmentLowUtilization, []ruleCase{
		{"exactly 60%", fxAccount("a", licenses(50), sticky(5, 30)), false},
		{"just below 60%", fxAccount("a", licenses(50), sticky(5, 29)), true},
		{"59.9% of a large account", fxAccount("a", licenses(1000), sticky(5, 599)), true},
		{"no users", fxAccount("a", licenses(50), idle()), true},
		{"no licenses", fxAccount("a", licenses(0), sticky(1, 3)), false},
		{"over-deployed", fxAccount("a", licenses(10), sticky(5, 30)), false},
	})
}

func TestSignificantDrop(t *testing.T) {
	// Baseline T−41..T−14 at 10 a day; the last two weeks vary. wau stays
	// positive throughout so only the average clause is tested here.
	drop := func(recent int, change ...func(*fxUsage)) AccountData {
		f := newUsage().span(fxT-90, fxT, fxDay{DAU: 10, WAU: 20, MAU: 30}).dau(fxT-13, fxT, recent)
		for _, c := range change {
			c(f)
		}
		return fxAccount("a", withUsage(f))
	}
	// Weekly use clause: one a day through T−90..T, wau always positive.
	weekly := func(change func(*fxUsage)) AccountData {
		f := newUsage().span(fxT-90, fxT, fxDay{DAU: 1, WAU: 5, MAU: 9})
		change(f)
		return fxAccount("a", withUsage(f))
	}
	checkRule(t, SegmentSignificantDrop, []ruleCase{
		{"steady", drop(10), false},
		{"exactly 70% of the baseline", drop(7), true},
		{"just above 70%", drop(8), false},
		{"to zero", drop(0), true},
		{"a spike at T−42 is outside the baseline", drop(8, func(f *fxUsage) { f.dau(fxT-42, fxT-42, 10_000) }), false},
		{"a spike at T−41 is inside it", drop(8, func(f *fxUsage) { f.dau(fxT-41, fxT-41, 10_000) }), true},
		{"a spike on T−13 is inside the recent weeks", drop(1, func(f *fxUsage) { f.dau(fxT-13, fxT-13, 10_000) }), false},
		{"no baseline use", fxAccount("a", withUsage(newUsage().span(fxT-13, fxT, fxDay{DAU: 1, WAU: 1, MAU: 1}))), false},
		// Weekly use: held in T−55..T−28 and lost now.
		// A window counts by the dau of its days (T−27..T−21 idle is in
		// the baseline, so the averages stay clear of the line).
		{"weekly use lost", weekly(func(f *fxUsage) { f.dau(fxT-27, fxT-21, 0) }), true},
		{"weekly use never held", weekly(func(f *fxUsage) { f.dau(fxT-27, fxT-21, 0).dau(fxT-41, fxT-35, 0) }), false},
		{"weekly use lost; the prior weeks' last days missing", weekly(func(f *fxUsage) {
			f.dau(fxT-27, fxT-21, 0).drop(fxT-28, fxT-28).drop(fxT-35, fxT-35).drop(fxT-42, fxT-42).drop(fxT-49, fxT-49)
		}), true},
		{"the last day of the newest window missing is no loss", weekly(func(f *fxUsage) { f.drop(fxT, fxT) }), false},
		{"wau zero at every window's end is no loss", weekly(func(f *fxUsage) {
			for _, d := range []Date{fxT, fxT - 7, fxT - 14, fxT - 21} {
				f.wau(d, 0)
			}
		}), false},
		{"no usage at all", fxAccount("a", idle()), false},
	})
}

func TestGrowing(t *testing.T) {
	checkRule(t, SegmentGrowing, []ruleCase{
		{"trend exactly +10%", fxAccount("a", monthly(11, 10)), false},
		{"trend exactly +10% on a large base", fxAccount("a", licenses(5000), monthly(3300, 3000)), false},
		{"trend +10.1%", fxAccount("a", licenses(5000), monthly(3303, 3000)), true},
		{"trend +20%", fxAccount("a", monthly(12, 10)), true},
		{"no users 30 days ago", fxAccount("a", monthly(12, 0)), false},
	})
}

func TestLowEngagementAfterOnboarding(t *testing.T) {
	checkRule(t, SegmentLowEngagement, []ruleCase{
		{"completed 30 days ago, low utilization", fxAccount("a", completedOn(metricPtr(fxT-30)), sticky(10, 20)), true},
		{"completed 29 days ago, low utilization", fxAccount("a", completedOn(metricPtr(fxT-29)), sticky(10, 20)), false},
		{"completed 30 days ago, low stickiness only", fxAccount("a", completedOn(metricPtr(fxT-30)), sticky(5, 40)), true},
		{"stickiness exactly 20%", fxAccount("a", completedOn(metricPtr(fxT-30)), sticky(8, 40)), false},
		{"engaged", fxAccount("a", completedOn(metricPtr(fxT-30)), sticky(10, 40)), false},
		{"not completed", fxAccount("a", completedOn(nil), sticky(1, 5)), false},
		{"no licenses, sticky", fxAccount("a", licenses(0), completedOn(metricPtr(fxT-60)), sticky(10, 20)), false},
		{"no licenses, not sticky", fxAccount("a", licenses(0), completedOn(metricPtr(fxT-60)), sticky(1, 20)), true},
	})
}

func TestRenewalSoon(t *testing.T) {
	checkRule(t, SegmentRenewalSoon, []ruleCase{
		{"renews on T", fxAccount("a", renewsOn(fxT)), true},
		{"in 90 days", fxAccount("a", renewsOn(fxT+90)), true},
		{"in 91 days", fxAccount("a", renewsOn(fxT+91)), false},
		{"renewal passed yesterday", fxAccount("a", renewsOn(fxT-1)), false},
	})
}

func TestDetractor(t *testing.T) {
	nps := func(id string, score int, on Date) NPSResponse {
		return NPSResponse{ID: id, Score: score, RespondedOn: on}
	}
	checkRule(t, SegmentDetractor, []ruleCase{
		{"latest is 6", fxAccount("a", answers(nps("n1", 6, fxT-3))), true},
		{"latest is 7", fxAccount("a", answers(nps("n1", 7, fxT-3))), false},
		{"latest is 0", fxAccount("a", answers(nps("n1", 0, fxT-3))), true},
		{"older detractor, latest promoter", fxAccount("a", answers(nps("n1", 2, fxT-200), nps("n2", 9, fxT-3))), false},
		{"older promoter, latest detractor", fxAccount("a", answers(nps("n2", 3, fxT-3), nps("n1", 10, fxT-200))), true},
		{"detractor answer after T not yet counted", fxAccount("a", answers(nps("n1", 9, fxT-3), nps("n2", 1, fxT+2))), false},
		{"no answer", fxAccount("a"), false},
	})
}

func TestChampionLeft(t *testing.T) {
	checkRule(t, SegmentChampionLeft, []ruleCase{
		{"left", fxAccount("a", contacts(champion("c1", "Ana", metricPtr(fxT-10)))), true},
		{"left on T", fxAccount("a", contacts(champion("c1", "Ana", metricPtr(fxT)))), true},
		{"left and replaced", fxAccount("a", contacts(champion("c1", "Ana", metricPtr(fxT-10)), champion("c2", "Bo", nil))), false},
		{"replaced by one who leaves after T", fxAccount("a", contacts(champion("c1", "Ana", metricPtr(fxT-10)), champion("c2", "Bo", metricPtr(fxT+5)))), false},
		{"leaves after T", fxAccount("a", contacts(champion("c1", "Ana", metricPtr(fxT+1)))), false},
		{"never had one", fxAccount("a", contacts(Contact{ID: "c1", Role: RoleUser})), false},
	})
}

func TestFlatUsage(t *testing.T) {
	checkRule(t, SegmentFlatUsage, []ruleCase{
		{"flat, low utilization", fxAccount("a", licenses(100), monthly(40, 40)), true},
		{"+5% exactly", fxAccount("a", licenses(100), monthly(42, 40)), true},
		{"-5% exactly", fxAccount("a", licenses(100), monthly(38, 40)), true},
		{"+7.5%", fxAccount("a", licenses(100), monthly(43, 40)), false},
		{"-7.5%", fxAccount("a", licenses(100), monthly(37, 40)), false},
		{"flat at exactly 80%", fxAccount("a", licenses(50), monthly(40, 40)), false},
		{"flat at 78%", fxAccount("a", licenses(50), monthly(39, 39)), true},
		{"flat without licenses", fxAccount("a", licenses(0), monthly(40, 40)), false},
		{"trend undefined", fxAccount("a", licenses(100), monthly(40, 0)), false},
	})
}

func TestNoLicensesFlag(t *testing.T) {
	m := computeOne(fxAccount("a", licenses(0), sticky(2, 20)), DefaultThresholds())
	if !hasKey(m.Flags, FlagNoLicenses) {
		t.Errorf("flags = %v, want %s", m.Flags, FlagNoLicenses)
	}
	if hasKey(m.Segments, FlagNoLicenses) {
		t.Errorf("no_licenses is a flag, found among segments %v", m.Segments)
	}
	if m.Util != nil || m.UtilSeries != nil {
		t.Errorf("util %v and series %v should be undefined without licenses", m.Util, m.UtilSeries)
	}
	if other := computeOne(fxAccount("a", licenses(1), sticky(2, 20)), DefaultThresholds()); hasKey(other.Flags, FlagNoLicenses) {
		t.Error("account with a license is flagged no_licenses")
	}
}

// bookOfMAU builds a book whose accounts have the given mau(T), ids in order.
func bookOfMAU(ids []string, mau []int) []AccountData {
	accts := make([]AccountData, len(ids))
	for i := range ids {
		accts[i] = fxAccount(ids[i], sticky(1, mau[i]))
	}
	return accts
}

func TestTopCustomers(t *testing.T) {
	tests := []struct {
		name string
		ids  []string
		mau  []int
		want []string
	}{
		{"empty book", nil, nil, nil},
		{"one account is the top 10%", []string{"a"}, []int{3}, []string{"a"}},
		{"two accounts: one", []string{"a", "b"}, []int{3, 9}, []string{"b"}},
		{"five accounts: one", []string{"a", "b", "c", "d", "e"}, []int{5, 9, 1, 7, 3}, []string{"b"}},
		{"ten accounts: one", ids(10), []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []string{"a09"}},
		{"eleven accounts: two", ids(11), []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, []string{"a09", "a10"}},
		{"a tie goes to the smaller id", []string{"b", "a"}, []int{5, 5}, []string{"a"}},
		{"ids compare as bytes", []string{"a9", "a10", "B"}, []int{5, 5, 1}, []string{"a10"}},
		{"uppercase sorts before lowercase", []string{"a", "B"}, []int{5, 5}, []string{"B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ComputeBook(bookOfMAU(tt.ids, tt.mau), nil, nil, DefaultThresholds())
			var got []string
			for _, m := range b.Accounts {
				if hasKey(m.Segments, SegmentTopCustomers) {
					got = append(got, m.AccountID)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("top customers = %v, want %v", got, tt.want)
			}
		})
	}
}

// ids returns n ids a00, a01, ….
func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("a%02d", i)
	}
	return out
}

func TestTopCount(t *testing.T) {
	// ⌈0.1·n⌉, with no float noise: 0.1·30 is 3.0000000000000004 in binary.
	tests := []struct{ n, want int }{{0, 0}, {1, 1}, {9, 1}, {10, 1}, {11, 2}, {20, 2}, {30, 3}, {31, 4}, {70, 7}, {5000, 500}}
	for _, tt := range tests {
		if got := topCount(0.10, tt.n); got != tt.want {
			t.Errorf("topCount(0.10, %d) = %d, want %d", tt.n, got, tt.want)
		}
	}
	if got := topCount(0, 100); got != 0 {
		t.Errorf("topCount(0, 100) = %d, want 0", got)
	}
}

func TestDangerLine(t *testing.T) {
	tests := []struct {
		name   string
		health []float64
		want   float64
	}{
		{"empty book", nil, 0},
		{"n=1: the only value", []float64{70}, 70},
		{"n=2: position 1", []float64{80, 40}, 40},
		{"n=3: position 1", []float64{50, 30, 90}, 30},
		{"n=4: position 1", []float64{50, 30, 90, 60}, 30},
		{"n=5: position 2", []float64{50, 30, 90, 60, 10}, 30},
		{"n=8: position 2", []float64{1, 2, 3, 4, 5, 6, 7, 8}, 2},
		{"n=9: position 3", []float64{9, 8, 7, 6, 5, 4, 3, 2, 1}, 3},
		{"ties", []float64{40, 40, 40, 80, 90}, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.health)
			if got := DangerLine(tt.health, 0.25); got != tt.want {
				t.Errorf("danger line = %v, want %v", got, tt.want)
			}
			if !slices.Equal(in, tt.health) {
				t.Error("DangerLine reordered its input")
			}
		})
	}
}

func TestDangerZoneAndApproaching(t *testing.T) {
	th := DefaultThresholds()
	b := bookContext{dangerLine: 40}
	tests := []struct {
		health          float64
		wantDanger      bool
		wantApproaching bool
	}{
		{10, true, false},
		{40, true, false},
		{40.1, false, true},
		{45, false, true},
		{45.1, false, false},
		{90, false, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.health), func(t *testing.T) {
			m := &AccountMetrics{Health: Health{Score: tt.health}}
			if got := segmentHolds(SegmentDangerZone, m, th, b); got != tt.wantDanger {
				t.Errorf("danger_zone = %v, want %v", got, tt.wantDanger)
			}
			if got := segmentHolds(SegmentApproachingDanger, m, th, b); got != tt.wantApproaching {
				t.Errorf("approaching_danger = %v, want %v", got, tt.wantApproaching)
			}
		})
	}
}

func TestDangerZoneInSmallBooks(t *testing.T) {
	// Accounts of distinct health, weakest first: a book of n puts the
	// ⌈n/4⌉ weakest in the danger zone (ties aside).
	weakToStrong := []func(*AccountData){
		func(a *AccountData) {
			licenses(100)(a)
			sticky(1, 5)(a)
			contacts(champion("c", "X", metricPtr(fxT-5)))(a)
		},
		sticky(1, 10),
		sticky(3, 20),
		sticky(6, 30),
		func(a *AccountData) { sticky(20, 45)(a); contacts(champion("c", "Y", nil))(a) },
	}
	for n := 1; n <= len(weakToStrong); n++ {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			var accts []AccountData
			for i := range n {
				accts = append(accts, fxAccount(fmt.Sprintf("a%d", i), weakToStrong[i]))
			}
			b := ComputeBook(accts, fxFeatures, nil, DefaultThresholds())
			wantDanger := nearestRank(0.25, n)
			for i, m := range b.Accounts {
				if i > 0 && m.Health.Score <= b.Accounts[i-1].Health.Score {
					t.Fatalf("fixture is not weakest first: %v then %v", b.Accounts[i-1].Health.Score, m.Health.Score)
				}
				if got, want := hasKey(m.Segments, SegmentDangerZone), i < wantDanger; got != want {
					t.Errorf("account %d (health %v, line %v): danger_zone = %v, want %v", i, m.Health.Score, b.DangerLine, got, want)
				}
			}
		})
	}
}

func TestConfiguredDangerLine(t *testing.T) {
	th := DefaultThresholds()
	accts := []AccountData{fxAccount("a", sticky(1, 5)), fxAccount("b", sticky(20, 45))}
	th.DangerLine = metricPtr(0.0)
	b := ComputeBook(accts, fxFeatures, nil, th)
	if b.DangerLine != 0 || !b.DangerLineFixed {
		t.Errorf("danger line = %v (fixed %v), want 0 from config", b.DangerLine, b.DangerLineFixed)
	}
	for _, m := range b.Accounts {
		if hasKey(m.Segments, SegmentDangerZone) {
			t.Errorf("%s (health %v) is in the danger zone under a line of 0", m.AccountID, m.Health.Score)
		}
	}
	th.DangerLine = metricPtr(100.0)
	for _, m := range ComputeBook(accts, fxFeatures, nil, th).Accounts {
		if !hasKey(m.Segments, SegmentDangerZone) {
			t.Errorf("%s (health %v) is not in the danger zone under a line of 100", m.AccountID, m.Health.Score)
		}
	}
}

func TestSegmentsFollowKeyOrder(t *testing.T) {
	a := fxAccount("a", licenses(100), monthly(40, 40), renewsOn(fxT+10),
		answers(NPSResponse{ID: "n", Score: 2, RespondedOn: fxT - 1}))
	m := computeOne(a, DefaultThresholds())
	if len(m.Segments) < 4 {
		t.Fatalf("fixture should be in several segments, got %v", m.Segments)
	}
	pos := func(k string) int { return slices.Index(SegmentKeys, k) }
	if !slices.IsSortedFunc(m.Segments, func(x, y string) int { return pos(x) - pos(y) }) {
		t.Errorf("segments %v are not in SegmentKeys order", m.Segments)
	}
}

func TestKeysHaveLabels(t *testing.T) {
	all := slices.Concat(SegmentKeys, AlertKeys, FlagKeys)
	if len(SegmentKeys) != 12 || len(AlertKeys) != 3 {
		t.Errorf("%d segments and %d alerts, SPEC has 12 and 3", len(SegmentKeys), len(AlertKeys))
	}
	seen := map[string]bool{}
	for _, k := range all {
		if seen[k] {
			t.Errorf("key %q listed twice", k)
		}
		seen[k] = true
		if Label(k) == k || Label(k) == "" {
			t.Errorf("key %q has no label", k)
		}
	}
	if Label("nope") != "nope" {
		t.Errorf("an unknown key should label as itself, got %q", Label("nope"))
	}
}
