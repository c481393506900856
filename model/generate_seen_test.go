package model

import "testing"

// Issue 13, defect 12: a generated contact's last day in the product agrees
// with the account's usage. The account page said "seen today" of people
// at a customer with no active user: a contact is now seen only on a day
// the account had someone active, no day has more contacts seen than active
// users, and no more contacts are seen in the last 7 and 30 days than the
// account's wau and mau on the book's day.
func TestGeneratedContactsSeenAgreeWithUsage(t *testing.T) {
	tests := []struct {
		name string
		opts GenOptions
	}{
		{"the demo book", GenOptions{Seed: 1, Accounts: 200, Days: 365, CSMs: 2}},
		{"another seed", GenOptions{Seed: 7, Accounts: 120, Days: 365, CSMs: 1}},
		{"a short history", GenOptions{Seed: 3, Accounts: 80, Days: 30, CSMs: 1}},
		{"another day", GenOptions{Seed: 5, Accounts: 80, Days: 120, CSMs: 1, AsOf: MakeDate(2027, 3, 2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asOf := tt.opts.withDefaults().AsOf
			seen, idle, capped := 0, 0, 0
			for _, b := range Generate(tt.opts) {
				months := map[string][]UsageMonth{}
				for _, m := range b.Usage {
					months[m.AccountID] = append(months[m.AccountID], m)
				}
				people := map[string][]Contact{}
				for _, c := range b.Contacts {
					people[c.AccountID] = append(people[c.AccountID], c)
				}
				for _, a := range b.Accounts {
					u := BuildUsage(months[a.ID])
					wau, mau := u.WAUOn(asOf), u.MAUOn(asOf)
					if mau == 0 {
						idle++
					}
					perDay := map[Date]int{}
					in7, in30 := 0, 0
					for _, c := range people[a.ID] {
						if c.LastActiveOn == nil {
							continue
						}
						d := *c.LastActiveOn
						if d > asOf {
							t.Errorf("%s: %s seen %v, after the book's day", a.ID, c.Name, d)
						}
						if u.Empty() || d < u.First {
							continue // before the usage history: nothing to disagree with
						}
						seen++
						perDay[d]++
						if dau := u.DAUOn(d); perDay[d] > dau {
							t.Errorf("%s: %d contacts seen on %v, when %d users were active", a.ID, perDay[d], d, dau)
						}
						if asOf-d < 7 {
							in7++
						}
						if asOf-d < 30 {
							in30++
						}
					}
					if in7 > wau {
						t.Errorf("%s: %d contacts seen in the last 7 days, wau %d", a.ID, in7, wau)
					}
					if in30 > mau {
						t.Errorf("%s: %d contacts seen in the last 30 days, mau %d", a.ID, in30, mau)
					}
					if n := len(people[a.ID]); mau < n {
						capped++
					}
				}
			}
			// The rule must have had something to bite on.
			if seen == 0 || capped == 0 {
				t.Fatalf("%d contacts seen, %d accounts with fewer monthly users than contacts: the test proves nothing", seen, capped)
			}
			t.Logf("%d contacts seen within the usage history; %d accounts with no monthly user; %d with fewer monthly users than contacts", seen, idle, capped)
		})
	}
}
