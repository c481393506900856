package model

import (
	"reflect"
	"slices"
	"testing"
)

// A book computed one account at a time, each account's usage dropped as
// soon as it is added (as the store streams a large book), gives what
// ComputeBook gives over the whole book at once.
func TestBookComputerMatchesComputeBook(t *testing.T) {
	book := Generate(GenOptions{Seed: 3, Accounts: 40, Days: 120, CSMs: 1})[0]
	for _, tt := range []struct {
		name  string
		accts []AccountData
	}{
		{"generated book", bookAccountData(book)},
		{"no usage at all", func() []AccountData {
			accts := bookAccountData(book)
			for i := range accts {
				accts[i].Usage = nil
			}
			return accts
		}()},
		{"empty book", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			th := DefaultThresholds()
			want := ComputeBook(tt.accts, book.Features, book.Playbooks, th)
			day, known := BookDay(tt.accts)
			c := NewBookComputer(day, known, len(tt.accts), book.Features, book.Playbooks, th)
			for _, a := range tt.accts {
				a.Usage = deepCopyUsage(a.Usage)
				c.Add(&a)
				// The caller reuses or drops the usage at once: nothing
				// added may still point into it.
				for _, u := range a.Usage {
					for _, col := range [][]int{u.DAU, u.WAU, u.MAU, u.Sessions, u.Minutes} {
						clear(col)
					}
					for _, col := range u.Features {
						clear(col)
					}
				}
			}
			got := c.Finish()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("streamed book differs from ComputeBook:\n got %+v\nwant %+v", got.Objectives, want.Objectives)
			}
		})
	}
}

func deepCopyUsage(months []UsageMonth) []UsageMonth {
	out := make([]UsageMonth, len(months))
	for i, u := range months {
		c := u
		c.DAU, c.WAU, c.MAU = slices.Clone(u.DAU), slices.Clone(u.WAU), slices.Clone(u.MAU)
		c.Sessions, c.Minutes = slices.Clone(u.Sessions), slices.Clone(u.Minutes)
		if u.Features != nil {
			c.Features = make(map[string][]int, len(u.Features))
			for k, v := range u.Features {
				c.Features[k] = slices.Clone(v)
			}
		}
		out[i] = c
	}
	return out
}
