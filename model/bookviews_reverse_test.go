package model

import (
	"slices"
	"strings"
	"testing"
)

// The cockpit's reverse key (issue 13, defect 2): each order the other way
// round, accounts with no figure still last, and words for both ways.
func TestBookSortsReversed(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	type acct struct {
		a Account
		m AccountMetrics
	}
	mk := func(id, name string, health float64, util *float64) acct {
		m := viewAccount(health, nil, nil, nil)
		m.Util = util
		return acct{Account{ID: id, Name: name}, m}
	}
	book := []acct{mk("a", "Alpha", 20, nil), mk("b", "bravo", 50, f(0.5)), mk("c", "charlie", 80, f(0.9)), mk("d", "delta", 10, f(0.2))}
	want := map[string]string{"health": "c b a d", "name": "d c b a", "util": "c b d a"}
	for key, w := range want {
		s, _ := FindBookSort(key)
		rows := slices.Clone(book)
		slices.SortFunc(rows, func(x, y acct) int { return s.CompareReversed(&x.a, &y.a, &x.m, &y.m) })
		var ids []string
		for _, r := range rows {
			ids = append(ids, r.a.ID)
		}
		if got := strings.Join(ids, " "); got != w {
			t.Errorf("%s reversed = %s, want %s", key, got, w)
		}
	}
	for _, s := range BookSorts {
		if s.First == "" || s.Reversed == "" || s.First == s.Reversed {
			t.Errorf("sort %s: first %q, reversed %q", s.Key, s.First, s.Reversed)
		}
	}
	if h, _ := FindBookSort("health"); h.Says(false) != "health, lowest first" || h.Says(true) != "health, highest first" {
		t.Errorf("health says %q / %q", h.Says(false), h.Says(true))
	}
}
