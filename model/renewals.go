package model

import (
	"cmp"
	"slices"
)

// Renewals: the accounts that renew in the next N days, by month, with what
// puts each renewal at risk and the money at stake per currency. Amounts in
// different currencies are never added together: every total is per
// currency.

// DefaultRenewalDays is how far ahead the renewals look unless told.
const DefaultRenewalDays = 180

// RenewsWithin is the one rule of "renews soon": the renewal date lies
// between T and T+days, both included. The renewal_soon segment is this
// rule with rules.renewal_window_days, so the renewals of the next
// renewal_window_days are exactly that segment's accounts.
func RenewsWithin(m *AccountMetrics, days int) bool {
	return m.RenewalInDays >= 0 && m.RenewalInDays <= days
}

// RenewalRiskKeys are the segments and alerts that put a renewal at risk, in
// the order they are shown. They are the rules' own keys, read off the
// account's segments and alerts: no threshold is looked at twice. The
// surprise alert is left out: it is a jump in use, good news for a renewal.
var RenewalRiskKeys = []string{
	SegmentDangerZone,
	AlertCrisis,
	AlertRelationshipChange,
	SegmentChampionLeft,
	SegmentDetractor,
	SegmentLowUtilization,
}

// RenewalRisks returns the risk keys an account has, in RenewalRiskKeys'
// order; never nil. Apply snoozes first if a snoozed alert should not count.
func RenewalRisks(m *AccountMetrics) []string {
	risks := []string{}
	for _, k := range RenewalRiskKeys {
		if slices.Contains(m.Segments, k) || slices.Contains(m.Alerts, k) {
			risks = append(risks, k)
		}
	}
	return risks
}

// RenewalInput is one account of the book as the renewals read it.
type RenewalInput struct {
	Account *Account
	Metrics *AccountMetrics
}

// Renewal is one account renewing within the window.
type Renewal struct {
	AccountID     string   `json:"id"`
	Name          string   `json:"name"`
	ARRCents      int64    `json:"arr_cents"`
	Currency      string   `json:"currency"`
	RenewalOn     Date     `json:"renewal_on"`
	RenewalInDays int      `json:"renewal_in_days"`
	Health        float64  `json:"health"`
	Stage         string   `json:"stage"`
	Risks         []string `json:"risks"`
}

// AtRisk says whether anything puts the renewal at risk.
func (r Renewal) AtRisk() bool { return len(r.Risks) > 0 }

// CurrencyTotal is the money of some renewals in one currency.
type CurrencyTotal struct {
	Currency string `json:"currency"`
	// Accounts and AtRisk count the renewals, and those with a risk.
	Accounts int `json:"accounts"`
	AtRisk   int `json:"at_risk"`
	// RenewingCents is their ARR; AtRiskCents the ARR of those at risk.
	RenewingCents int64 `json:"renewing_arr_cents"`
	AtRiskCents   int64 `json:"at_risk_arr_cents"`
}

// RenewalMonth is the renewals of one calendar month ("2026-12"), soonest
// first, with the month's totals per currency.
type RenewalMonth struct {
	Month    string          `json:"month"`
	Renewals []Renewal       `json:"renewals"`
	Totals   []CurrencyTotal `json:"totals"`
}

// RenewalForecast is every renewal of the next Days days after AsOf (T),
// by month, with the totals of the whole window per currency.
type RenewalForecast struct {
	AsOf   Date            `json:"as_of"`
	Days   int             `json:"days"`
	Months []RenewalMonth  `json:"months"`
	Totals []CurrencyTotal `json:"totals"`
}

// Len is the number of renewals in the forecast.
func (f RenewalForecast) Len() int {
	n := 0
	for _, m := range f.Months {
		n += len(m.Renewals)
	}
	return n
}

// All returns the renewals, soonest first.
func (f RenewalForecast) All() []Renewal {
	out := make([]Renewal, 0, f.Len())
	for _, m := range f.Months {
		out = append(out, m.Renewals...)
	}
	return out
}

// ForecastRenewals lists the accounts renewing within days of asOf (T,
// the day the metrics were computed for; RenewsWithin), soonest first (then
// by name and id), grouped by the calendar month of the renewal date, with
// ARR and at-risk ARR totalled per currency for each month and the window.
func ForecastRenewals(accts []RenewalInput, asOf Date, days int) RenewalForecast {
	var list []Renewal
	for _, in := range accts {
		if !RenewsWithin(in.Metrics, days) {
			continue
		}
		a, m := in.Account, in.Metrics
		list = append(list, Renewal{
			AccountID: a.ID, Name: a.Name, ARRCents: a.ARRCents, Currency: a.Currency,
			RenewalOn: a.RenewalOn, RenewalInDays: m.RenewalInDays, Health: m.Health.Score,
			Stage: a.Stage, Risks: RenewalRisks(m),
		})
	}
	slices.SortFunc(list, func(x, y Renewal) int {
		return cmp.Or(cmp.Compare(x.RenewalInDays, y.RenewalInDays), cmp.Compare(x.Name, y.Name), cmp.Compare(x.AccountID, y.AccountID))
	})
	f := RenewalForecast{AsOf: asOf, Days: days, Months: []RenewalMonth{}}
	for _, r := range list {
		month := r.RenewalOn.Month()
		if n := len(f.Months); n == 0 || f.Months[n-1].Month != month {
			f.Months = append(f.Months, RenewalMonth{Month: month})
		}
		m := &f.Months[len(f.Months)-1]
		m.Renewals = append(m.Renewals, r)
	}
	for i := range f.Months {
		f.Months[i].Totals = totalRenewals(f.Months[i].Renewals)
	}
	f.Totals = totalRenewals(list)
	return f
}

// totalRenewals sums renewals per currency, in currency order; never nil.
func totalRenewals(rs []Renewal) []CurrencyTotal {
	out := []CurrencyTotal{}
	for _, r := range rs {
		i := slices.IndexFunc(out, func(t CurrencyTotal) bool { return t.Currency == r.Currency })
		if i < 0 {
			out = append(out, CurrencyTotal{Currency: r.Currency})
			i = len(out) - 1
		}
		t := &out[i]
		t.Accounts++
		t.RenewingCents += r.ARRCents
		if r.AtRisk() {
			t.AtRisk++
			t.AtRiskCents += r.ARRCents
		}
	}
	slices.SortFunc(out, func(x, y CurrencyTotal) int { return cmp.Compare(x.Currency, y.Currency) })
	return out
}

// CurrencyAmount is a sum of money in one currency.
type CurrencyAmount struct {
	Currency string `json:"currency"`
	Cents    int64  `json:"cents"`
}

// ARRByCurrency sums the ARR of accounts per currency, in currency order:
// what the book's header shows for the tab in view. Never nil.
func ARRByCurrency(accts []*Account) []CurrencyAmount {
	out := []CurrencyAmount{}
	for _, a := range accts {
		i := slices.IndexFunc(out, func(c CurrencyAmount) bool { return c.Currency == a.Currency })
		if i < 0 {
			out = append(out, CurrencyAmount{Currency: a.Currency})
			i = len(out) - 1
		}
		out[i].Cents += a.ARRCents
	}
	slices.SortFunc(out, func(x, y CurrencyAmount) int { return cmp.Compare(x.Currency, y.Currency) })
	return out
}
