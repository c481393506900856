package model

import "testing"

func TestRelationshipChange(t *testing.T) {
	// The default fixture has 20 monthly users: 20% of 100 licenses.
	handoff := func(change ...func(*AccountData)) AccountData {
		return fxAccount("a", append([]func(*AccountData){licenses(100), completedOn(nil)}, change...)...)
	}
	checkRule(t, AlertRelationshipChange, []ruleCase{
		{"purchased 45 days ago", handoff(purchasedOn(fxT - 45)), true},
		{"purchased 46 days ago", handoff(purchasedOn(fxT - 46)), false},
		{"purchased on T", handoff(purchasedOn(fxT)), true},
		{"onboarding completed 45 days ago", handoff(completedOn(metricPtr(fxT - 45))), true},
		{"onboarding completed 46 days ago", handoff(completedOn(metricPtr(fxT - 46))), false},
		{"onboarding completion planned after T", handoff(completedOn(metricPtr(fxT + 3))), false},
		{"recent handoff, utilization exactly 40%", handoff(purchasedOn(fxT-10), licenses(50)), false},
		{"recent handoff, utilization 39%", handoff(purchasedOn(fxT-10), licenses(50), sticky(5, 19)), true},
		{"recent handoff, no licenses", handoff(purchasedOn(fxT-10), licenses(0)), false},
	})
}

func TestCrisis(t *testing.T) {
	// 30 monthly users throughout; average DAU halves in the last two weeks.
	dropped := withUsage(newUsage().span(fxT-90, fxT, fxDay{DAU: 10, WAU: 20, MAU: 30}).dau(fxT-13, fxT, 5))
	steady := withUsage(newUsage().span(fxT-90, fxT, fxDay{DAU: 10, WAU: 20, MAU: 30}))
	checkRule(t, AlertCrisis, []ruleCase{
		{"strong at exactly 60%, then a drop", fxAccount("a", licenses(50), dropped), true},
		{"at 75%, then a drop", fxAccount("a", licenses(40), dropped), true},
		{"at 59%, then a drop", fxAccount("a", licenses(51), dropped), false},
		{"strong, no drop", fxAccount("a", licenses(40), steady), false},
		{"drop without licenses", fxAccount("a", licenses(0), dropped), false},
		{"champion left", fxAccount("a", steady, contacts(champion("c1", "Ana", metricPtr(fxT-3)))), true},
		{"champion left and replaced", fxAccount("a", steady, contacts(champion("c1", "Ana", metricPtr(fxT-3)), champion("c2", "Bo", nil))), false},
	})
}

func TestSurprise(t *testing.T) {
	checkRule(t, AlertSurprise, []ruleCase{
		{"trend exactly +25% with 5 users", fxAccount("a", licenses(100), monthly(5, 4)), true},
		{"trend exactly +25% on a large base", fxAccount("a", licenses(1000), monthly(500, 400)), true},
		{"trend +24%", fxAccount("a", licenses(1000), monthly(496, 400)), false},
		{"trend +50% with 3 users", fxAccount("a", licenses(100), monthly(3, 2)), false},
		{"utilization crossing 80%", fxAccount("a", licenses(50), monthly(40, 39)), true},
		{"utilization already above 80%", fxAccount("a", licenses(50), monthly(45, 40)), false},
		{"utilization just short of 80%", fxAccount("a", licenses(50), monthly(39, 38)), false},
		{"utilization falling through 80%", fxAccount("a", licenses(50), monthly(39, 41)), false},
		{"no licenses, small trend", fxAccount("a", licenses(0), monthly(40, 39)), false},
		{"no users 30 days ago", fxAccount("a", licenses(50), monthly(45, 0)), true},
	})
}
