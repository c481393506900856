package model

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// renewing is one account of a renewals test: its ARR, currency, days to
// renewal from rnT, and its segments and alerts.
type renewing struct {
	id       string
	arr      int64
	currency string
	inDays   int
	segments []string
	alerts   []string
}

var rnT = MakeDate(2026, time.November, 20)

func renewalInputs(rs []renewing) []RenewalInput {
	out := make([]RenewalInput, len(rs))
	for i, r := range rs {
		a := &Account{ID: r.id, Name: "Acct " + r.id, ARRCents: r.arr, Currency: r.currency, RenewalOn: rnT + Date(r.inDays)}
		m := &AccountMetrics{AccountID: r.id, RenewalInDays: r.inDays, Segments: r.segments, Alerts: r.alerts}
		out[i] = RenewalInput{Account: a, Metrics: m}
	}
	return out
}

func renewalIDs(rs []Renewal) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.AccountID)
	}
	return out
}

func TestRenewsWithin(t *testing.T) {
	tests := []struct {
		name   string
		inDays int
		days   int
		want   bool
	}{
		{"today", 0, 90, true},
		{"last day of the window", 90, 90, true},
		{"a day past the window", 91, 90, false},
		{"date passed", -1, 90, false},
		{"window of zero, today", 0, 0, true},
		{"window of zero, tomorrow", 1, 0, false},
		{"far ahead in a long window", 179, 180, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &AccountMetrics{RenewalInDays: tt.inDays}
			if got := RenewsWithin(m, tt.days); got != tt.want {
				t.Errorf("RenewsWithin(in %d days, %d) = %v, want %v", tt.inDays, tt.days, got, tt.want)
			}
		})
	}
}

func TestRenewalRisks(t *testing.T) {
	tests := []struct {
		name     string
		segments []string
		alerts   []string
		want     []string
	}{
		{"none", nil, nil, []string{}},
		{"growing is no risk", []string{SegmentGrowing, SegmentRenewalSoon}, nil, []string{}},
		{"surprise is no risk", nil, []string{AlertSurprise}, []string{}},
		{"all of them, in order",
			[]string{SegmentLowUtilization, SegmentDangerZone, SegmentDetractor, SegmentChampionLeft},
			[]string{AlertRelationshipChange, AlertCrisis},
			[]string{SegmentDangerZone, AlertCrisis, AlertRelationshipChange, SegmentChampionLeft, SegmentDetractor, SegmentLowUtilization}},
		{"approaching danger is not the danger zone", []string{SegmentApproachingDanger}, nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RenewalRisks(&AccountMetrics{Segments: tt.segments, Alerts: tt.alerts})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("RenewalRisks = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestForecastRenewals(t *testing.T) {
	book := []renewing{
		{id: "a", arr: 100_00, currency: "USD", inDays: 10, segments: []string{SegmentDangerZone}},
		{id: "b", arr: 200_00, currency: "EUR", inDays: 5},
		{id: "c", arr: 300_00, currency: "USD", inDays: 40, alerts: []string{AlertCrisis}},
		{id: "d", arr: 400_00, currency: "USD", inDays: 100},
		{id: "e", arr: 500_00, currency: "EUR", inDays: 181, segments: []string{SegmentDetractor}},
		{id: "f", arr: 600_00, currency: "GBP", inDays: -3, segments: []string{SegmentDangerZone}},
		{id: "g", arr: 700_00, currency: "EUR", inDays: 10, segments: []string{SegmentLowUtilization}},
	}
	tests := []struct {
		name   string
		days   int
		ids    []string
		months []string
		totals []CurrencyTotal
	}{
		{
			name: "default window", days: DefaultRenewalDays,
			ids:    []string{"b", "a", "g", "c", "d"},
			months: []string{"2026-11", "2026-12", "2027-02"},
			totals: []CurrencyTotal{
				{Currency: "EUR", Accounts: 2, AtRisk: 1, RenewingCents: 900_00, AtRiskCents: 700_00},
				{Currency: "USD", Accounts: 3, AtRisk: 2, RenewingCents: 800_00, AtRiskCents: 400_00},
			},
		},
		{
			name: "ninety days", days: 90,
			ids:    []string{"b", "a", "g", "c"},
			months: []string{"2026-11", "2026-12"},
			totals: []CurrencyTotal{
				{Currency: "EUR", Accounts: 2, AtRisk: 1, RenewingCents: 900_00, AtRiskCents: 700_00},
				{Currency: "USD", Accounts: 2, AtRisk: 2, RenewingCents: 400_00, AtRiskCents: 400_00},
			},
		},
		{
			name: "nothing renews", days: 4,
			ids: []string{}, months: []string{}, totals: []CurrencyTotal{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ForecastRenewals(renewalInputs(book), rnT, tt.days)
			if got := renewalIDs(f.All()); !slices.Equal(got, tt.ids) {
				t.Errorf("renewals %v, want %v", got, tt.ids)
			}
			var months []string
			for _, m := range f.Months {
				months = append(months, m.Month)
			}
			if !slices.Equal(months, tt.months) && !(len(months) == 0 && len(tt.months) == 0) {
				t.Errorf("months %v, want %v", months, tt.months)
			}
			if !reflect.DeepEqual(f.Totals, tt.totals) {
				t.Errorf("totals %+v, want %+v", f.Totals, tt.totals)
			}
			if f.Len() != len(tt.ids) || f.Days != tt.days || f.AsOf != rnT {
				t.Errorf("Len %d Days %d AsOf %v", f.Len(), f.Days, f.AsOf)
			}
		})
	}
}

// TestForecastMonthTotalsAddUpPerCurrency: each currency's month totals
// add up to the window's total in that currency, and no total mixes two
// currencies.
func TestForecastMonthTotalsAddUpPerCurrency(t *testing.T) {
	book := Generate(GenOptions{Seed: 3, Accounts: 300, CSMs: 1})[0]
	m := ComputeBook(bookAccountData(book), book.Features, book.Playbooks, DefaultThresholds())
	f := ForecastRenewals(inputsOf(book, m), m.AsOf, DefaultRenewalDays)
	if len(f.Totals) < 2 {
		t.Fatalf("the generated book renews in %d currencies: the test needs two or more", len(f.Totals))
	}
	sum := map[string]CurrencyTotal{}
	for _, mo := range f.Months {
		for _, r := range mo.Renewals {
			if r.RenewalOn.Month() != mo.Month {
				t.Errorf("%s renews on %s, listed under %s", r.AccountID, r.RenewalOn, mo.Month)
			}
		}
		for _, tot := range mo.Totals {
			s := sum[tot.Currency]
			s.Currency = tot.Currency
			s.Accounts += tot.Accounts
			s.AtRisk += tot.AtRisk
			s.RenewingCents += tot.RenewingCents
			s.AtRiskCents += tot.AtRiskCents
			sum[tot.Currency] = s
		}
	}
	for _, tot := range f.Totals {
		if sum[tot.Currency] != tot {
			t.Errorf("%s: months add up to %+v, window says %+v", tot.Currency, sum[tot.Currency], tot)
		}
		var want int64
		for _, r := range f.All() {
			if r.Currency == tot.Currency {
				want += r.ARRCents
			}
		}
		if tot.RenewingCents != want {
			t.Errorf("%s renewing %d, its renewals' ARR add up to %d", tot.Currency, tot.RenewingCents, want)
		}
	}
}

// TestRenewalsWithinTheWindowAreRenewalSoon: the renewals of the next
// renewal_window_days days are exactly the renewal_soon segment, on a
// generated book and with a window set in the config.
func TestRenewalsWithinTheWindowAreRenewalSoon(t *testing.T) {
	for _, window := range []int{90, 30, 200} {
		th := DefaultThresholds()
		th.RenewalWindowDays = window
		book := Generate(GenOptions{Seed: 7, Accounts: 250, CSMs: 1})[0]
		m := ComputeBook(bookAccountData(book), book.Features, book.Playbooks, th)
		var soon []string
		for i := range m.Accounts {
			if slices.Contains(m.Accounts[i].Segments, SegmentRenewalSoon) {
				soon = append(soon, m.Accounts[i].AccountID)
			}
		}
		got := renewalIDs(ForecastRenewals(inputsOf(book, m), m.AsOf, window).All())
		slices.Sort(soon)
		slices.Sort(got)
		if len(soon) == 0 || !slices.Equal(got, soon) {
			t.Errorf("window %d: renewals %d %v\nrenewal_soon %d %v", window, len(got), got, len(soon), soon)
		}
	}
}

func inputsOf(b Book, m BookMetrics) []RenewalInput {
	out := make([]RenewalInput, len(m.Accounts))
	for i := range m.Accounts {
		out[i] = RenewalInput{Account: &b.Accounts[i], Metrics: &m.Accounts[i]}
	}
	return out
}

func TestARRByCurrency(t *testing.T) {
	tests := []struct {
		name  string
		accts []*Account
		want  []CurrencyAmount
	}{
		{"none", nil, []CurrencyAmount{}},
		{"one currency", []*Account{{ARRCents: 5, Currency: "USD"}, {ARRCents: 7, Currency: "USD"}}, []CurrencyAmount{{"USD", 12}}},
		{"never summed across currencies",
			[]*Account{{ARRCents: 5, Currency: "USD"}, {ARRCents: 7, Currency: "EUR"}, {ARRCents: 1, Currency: "USD"}},
			[]CurrencyAmount{{"EUR", 7}, {"USD", 6}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ARRByCurrency(tt.accts); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ARRByCurrency = %v, want %v", got, tt.want)
			}
		})
	}
}
