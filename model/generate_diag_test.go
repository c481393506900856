package model

import (
	"fmt"
	"sort"
	"testing"
)

func TestGenDiag(t *testing.T) {
	names := []string{"healthy", "growing", "flat", "low", "declining", "crisis", "stalled", "ramping", "surprise"}
	for _, seed := range []int64{1} {
		b := Generate(GenOptions{Seed: seed, Accounts: 200, CSMs: 1})[0]
		plans := genPlans(genRand(seed, 0, 0), "c1", 200)
		m := ComputeBook(bookAccountData(b), b.Features, b.Playbooks, DefaultThresholds())
		tab := map[string]map[string]int{}
		for i, a := range m.Accounts {
			pn := names[plans[i].pattern]
			if tab[pn] == nil {
				tab[pn] = map[string]int{}
			}
			tab[pn]["n"]++
			for _, k := range append(append([]string{}, a.Segments...), a.Alerts...) {
				tab[pn][k]++
			}
			f := func(p *float64) string { if p == nil { return "nil" }; return fmt.Sprintf("%.2f", *p) }
			if false {
				t.Logf("%s %s lic=%d mau=%d util=%s trend=%s stick=%s health=%.0f %v %v", pn, a.AccountID, plans[i].licenses, a.MAU, f(a.Util), f(a.Trend), fmt.Sprintf("%.2f", a.Stickiness), a.Health.Score, a.Segments, a.Alerts)
			}
		}
		var keys []string
		for k := range tab { keys = append(keys, k) }
		sort.Strings(keys)
		for _, k := range keys { t.Logf("%s %v", k, tab[k]) }
	}
}
