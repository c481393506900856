package teamdata

import (
	"slices"

	"csm/model"
)

// monthID is the id of an account's usage month, as docs/API.md names it.
func monthID(accountID, month string) string { return accountID + "/" + month }

// foldDays writes days, all of one account and one calendar month, over
// base (nil for a month not stored yet) and returns the new month; base is
// not changed. A day given replaces that day whole: a feature the row does
// not report was not used that day. The month's days run to the later of
// base's last day and the last day given; a day in neither is all zeros,
// as docs/API.md counts a missing day.
func foldDays(base *model.UsageMonth, accountID, month string, days []usageDay) model.UsageMonth {
	m := copyMonth(base, accountID, month)
	first, _ := model.FirstOfMonth(month) // days were read as dates of this month
	n := m.Days
	for _, d := range days {
		n = max(n, int(d.date-first)+1)
	}
	grow := func(col []int) []int { return append(col, make([]int, n-len(col))...) }
	m.DAU, m.WAU, m.MAU = grow(m.DAU), grow(m.WAU), grow(m.MAU)
	m.Sessions, m.Minutes = grow(m.Sessions), grow(m.Minutes)
	for k, col := range m.Features {
		m.Features[k] = grow(col)
	}
	m.Days = n
	for _, d := range days {
		i := int(d.date - first)
		m.DAU[i], m.WAU[i], m.MAU[i] = d.dau, d.wau, d.mau
		m.Sessions[i], m.Minutes[i] = d.sessions, d.minutes
		for _, col := range m.Features {
			col[i] = 0
		}
		for j, users := range d.features {
			if users < 0 {
				continue // an empty cell: not used, which the zero above says
			}
			k := d.featureKeys[j]
			if m.Features[k] == nil {
				m.Features[k] = make([]int, n)
			}
			m.Features[k][i] = users
		}
	}
	return m
}

// copyMonth is a deep copy of base, or an empty month; its Features is
// never nil, so a month encodes the same whichever way it was made.
func copyMonth(base *model.UsageMonth, accountID, month string) model.UsageMonth {
	m := model.UsageMonth{ID: monthID(accountID, month), AccountID: accountID, Month: month, Features: map[string][]int{}}
	if base == nil {
		m.DAU, m.WAU, m.MAU, m.Sessions, m.Minutes = []int{}, []int{}, []int{}, []int{}, []int{}
		return m
	}
	m.Days = base.Days
	m.DAU, m.WAU, m.MAU = slices.Clone(base.DAU), slices.Clone(base.WAU), slices.Clone(base.MAU)
	m.Sessions, m.Minutes = slices.Clone(base.Sessions), slices.Clone(base.Minutes)
	for k, col := range base.Features {
		m.Features[k] = slices.Clone(col)
	}
	return m
}

// normalMonth is a month as Apply encodes it: features never null, so a
// month from a .jsonl line compares equal to the same month stored.
func normalMonth(m model.UsageMonth) model.UsageMonth {
	if m.Features == nil {
		m.Features = map[string][]int{}
	}
	return m
}
