package model

import (
	"sort"
	"time"
)

// This file holds the small helpers the rule tests build their books with.

// fxT is the book's day T in the tests: a Friday in late November, so the
// windows of the rules cross a month boundary.
var fxT = MakeDate(2026, time.November, 20)

// fxDay is one day of fixture usage.
type fxDay struct {
	DAU, WAU, MAU, Sessions, Minutes int
}

// fxUsage builds one account's daily usage, then cuts it into usage months
// as the feed sends them.
type fxUsage struct {
	days     map[Date]fxDay
	features map[string]map[Date]int
}

func newUsage() *fxUsage {
	return &fxUsage{days: map[Date]fxDay{}, features: map[string]map[Date]int{}}
}

// span sets every day of from..to, both included.
func (f *fxUsage) span(from, to Date, d fxDay) *fxUsage {
	for day := from; day <= to; day++ {
		f.days[day] = d
	}
	return f
}

// steady fills the 120 days ending at T with the same users every day:
// dau active users a day out of mau monthly users.
func (f *fxUsage) steady(dau, mau int) *fxUsage {
	return f.span(fxT-119, fxT, fxDay{DAU: dau, WAU: mau, MAU: mau, Sessions: dau, Minutes: 10 * dau})
}

// edit changes one day (creating it if absent).
func (f *fxUsage) edit(d Date, change func(*fxDay)) *fxUsage {
	day := f.days[d]
	change(&day)
	f.days[d] = day
	return f
}

// mau sets mau on one day.
func (f *fxUsage) mau(d Date, v int) *fxUsage {
	return f.edit(d, func(x *fxDay) { x.MAU = v })
}

// wau sets wau on one day.
func (f *fxUsage) wau(d Date, v int) *fxUsage {
	return f.edit(d, func(x *fxDay) { x.WAU = v })
}

// dau sets dau on every day of from..to.
func (f *fxUsage) dau(from, to Date, v int) *fxUsage {
	for d := from; d <= to; d++ {
		f.edit(d, func(x *fxDay) { x.DAU = v })
	}
	return f
}

// drop removes days from the data, as if the feed never sent them.
func (f *fxUsage) drop(from, to Date) *fxUsage {
	for d := from; d <= to; d++ {
		delete(f.days, d)
	}
	return f
}

// feature records users of a feature on the given days.
func (f *fxUsage) feature(key string, users int, days ...Date) *fxUsage {
	if f.features[key] == nil {
		f.features[key] = map[Date]int{}
	}
	for _, d := range days {
		f.features[key][d] = users
		if _, ok := f.days[d]; !ok {
			f.days[d] = fxDay{}
		}
	}
	return f
}

// months cuts the usage into months: each month is filled from the 1st to
// its last recorded day, days in between the data lacks are zero, and a
// month with no recorded day is not sent at all.
func (f *fxUsage) months(accountID string) []UsageMonth {
	byMonth := map[string]Date{} // month → its last recorded day
	for d := range f.days {
		if last, ok := byMonth[d.Month()]; !ok || d > last {
			byMonth[d.Month()] = d
		}
	}
	names := make([]string, 0, len(byMonth))
	for name := range byMonth {
		names = append(names, name)
	}
	sort.Strings(names)

	var out []UsageMonth
	for _, name := range names {
		first, _ := FirstOfMonth(name)
		n := int(byMonth[name]-first) + 1
		m := UsageMonth{
			ID: accountID + "/" + name, AccountID: accountID, Month: name, Days: n,
			DAU: make([]int, n), WAU: make([]int, n), MAU: make([]int, n),
			Sessions: make([]int, n), Minutes: make([]int, n), Features: map[string][]int{},
		}
		for i := range n {
			d := f.days[first+Date(i)]
			m.DAU[i], m.WAU[i], m.MAU[i], m.Sessions[i], m.Minutes[i] = d.DAU, d.WAU, d.MAU, d.Sessions, d.Minutes
		}
		for key, users := range f.features {
			for d, v := range users {
				if d.Month() != name {
					continue
				}
				if m.Features[key] == nil {
					m.Features[key] = make([]int, n)
				}
				m.Features[key][int(d-first)] = v
			}
		}
		out = append(out, m)
	}
	return out
}

// fxAccount returns an account with a sensible default for every field the
// rules read: 50 licenses, 20 monthly users of whom 5 a day through T,
// bought and onboarded long before T, renewing far after it. change adjusts it.
func fxAccount(id string, change ...func(*AccountData)) AccountData {
	a := AccountData{Account: Account{
		ID:                    id,
		Name:                  "Account " + id,
		Tier:                  TierMidTouch,
		Stage:                 StageAdoption,
		Licenses:              50,
		PurchasedOn:           fxT - 400,
		OnboardingStartedOn:   fxT - 390,
		OnboardingCompletedOn: metricPtr(fxT - 300),
		RenewalOn:             fxT + 200,
	}}
	withUsage(newUsage().steady(5, 20))(&a)
	for _, c := range change {
		c(&a)
	}
	return a
}

// withUsage gives the account the fixture's usage.
func withUsage(f *fxUsage) func(*AccountData) {
	return func(a *AccountData) { a.Usage = f.months(a.Account.ID) }
}

// idle gives the account days of zero usage up to T: known, but unused.
func idle() func(*AccountData) {
	return withUsage(newUsage().span(fxT-60, fxT, fxDay{}))
}

// fxFeatures is a catalogue of two high-value features and one other.
var fxFeatures = []Feature{
	{Key: "reports", Name: "Reports", HighValue: true},
	{Key: "workflows", Name: "Workflows", HighValue: true},
	{Key: "login", Name: "Login"},
}

// computeOne runs the whole book computation on a book of one account and
// returns its metrics. Book-relative segments are meaningless in a book of
// one; the tests that use it look at the other keys.
func computeOne(a AccountData, th Thresholds) AccountMetrics {
	return ComputeBook([]AccountData{a}, fxFeatures, DefaultPlaybooks(), th).Accounts[0]
}

// hasKey reports whether keys holds key.
func hasKey(keys []string, key string) bool {
	for _, k := range keys {
		if k == key {
			return true
		}
	}
	return false
}
