package model

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestBookDay(t *testing.T) {
	tests := []struct {
		name      string
		accts     []AccountData
		want      Date
		wantKnown bool
	}{
		{"empty book", nil, 0, false},
		{
			"newest usage day of any account",
			[]AccountData{
				fxAccount("a", withUsage(newUsage().steady(1, 2).drop(fxT-5, fxT))),
				fxAccount("b"),
			},
			fxT, true,
		},
		{
			"no usage: the newest past event",
			[]AccountData{
				fxAccount("a", withUsage(newUsage()), purchasedOn(fxT-50), renewsOn(fxT+400)),
				fxAccount("b", withUsage(newUsage()), answers(NPSResponse{ID: "n", Score: 9, RespondedOn: fxT - 3})),
			},
			fxT - 3, false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ComputeBook(tt.accts, fxFeatures, nil, DefaultThresholds())
			if b.AsOf != tt.want || b.UsageKnown != tt.wantKnown {
				t.Errorf("as of %s (known %v), want %s (known %v)", b.AsOf, b.UsageKnown, tt.want, tt.wantKnown)
			}
		})
	}
}

func TestStaleAccountReadsAsIdle(t *testing.T) {
	// An account whose feed stopped a week before the book's T has no
	// users as of T: absent days count as zero.
	b := ComputeBook([]AccountData{
		fxAccount("fresh"),
		fxAccount("stale", withUsage(newUsage().steady(5, 20).drop(fxT-6, fxT))),
	}, fxFeatures, nil, DefaultThresholds())
	stale := b.Accounts[1]
	if stale.MAU != 0 || stale.WeeklyUse || !hasKey(stale.Segments, SegmentLowUtilization) {
		t.Errorf("stale account: mau %d, weekly use %v, segments %v", stale.MAU, stale.WeeklyUse, stale.Segments)
	}
}

func TestComputeBookKeepsOrderAndInput(t *testing.T) {
	accts := []AccountData{fxAccount("z"), fxAccount("a", licenses(0)), fxAccount("m", sticky(9, 30))}
	before := fmt.Sprintf("%+v", accts)
	b := ComputeBook(accts, fxFeatures, DefaultPlaybooks(), DefaultThresholds())
	for i, m := range b.Accounts {
		if m.AccountID != accts[i].Account.ID {
			t.Errorf("account %d is %s, want %s", i, m.AccountID, accts[i].Account.ID)
		}
	}
	if after := fmt.Sprintf("%+v", accts); after != before {
		t.Error("ComputeBook changed its input")
	}
	again := ComputeBook(accts, fxFeatures, DefaultPlaybooks(), DefaultThresholds())
	if !reflect.DeepEqual(b, again) {
		t.Error("two runs over the same book differ")
	}
}

func TestEmptyBook(t *testing.T) {
	b := ComputeBook(nil, nil, nil, DefaultThresholds())
	if len(b.Accounts) != 0 || b.Objectives.Accounts != 0 || b.DangerLine != 0 {
		t.Errorf("empty book = %+v", b)
	}
	if _, err := json.Marshal(b); err != nil {
		t.Errorf("empty book does not encode: %v", err)
	}
}

func TestAccountMetricsJSON(t *testing.T) {
	b := ComputeBook([]AccountData{
		fxAccount("with", licenses(50), monthly(30, 20)),
		fxAccount("without", licenses(0), idle()),
	}, nil, nil, DefaultThresholds())
	raw, err := json.Marshal(b.Accounts)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	var got []map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	for _, key := range []string{"account_id", "mau", "util", "stickiness", "trend", "weekly_use",
		"feature_adoption", "health", "segments", "alerts", "flags", "reasons", "urgency", "dau_series", "util_series"} {
		if _, ok := got[0][key]; !ok {
			t.Errorf("JSON lacks %q: %s", key, raw)
		}
	}
	with, without := got[0], got[1]
	if with["util"] != 0.6 {
		t.Errorf("util = %v, want 0.6 as a fraction", with["util"])
	}
	for _, key := range []string{"util", "trend", "feature_adoption", "util_series", "util_prev"} {
		if without[key] != nil {
			t.Errorf("%s = %v for an account without licenses or catalogue, want null", key, without[key])
		}
	}
	if s, ok := without["segments"].([]any); !ok {
		t.Errorf("segments = %v, want an array even when empty", without["segments"])
	} else if len(s) == 0 && strings.Contains(string(raw), `"segments":null`) {
		t.Error("segments encoded as null")
	}
	// The stored blob reads back into the same value.
	var back []AccountMetrics
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatalf("decode into AccountMetrics: %v", err)
	}
	if !reflect.DeepEqual(back, b.Accounts) {
		t.Error("AccountMetrics does not survive a JSON round trip")
	}
}

func TestSeries(t *testing.T) {
	f := newUsage().steady(1, 10)
	for i := range 90 {
		f.edit(fxT-Date(i), func(x *fxDay) { x.DAU, x.MAU = 100+i, 200+i })
	}
	m := computeOne(fxAccount("a", licenses(400), withUsage(f)), DefaultThresholds())
	if len(m.DAUSeries) != 90 || len(m.MAUSeries) != 90 || len(m.UtilSeries) != 90 {
		t.Fatalf("series lengths %d/%d/%d, want 90", len(m.DAUSeries), len(m.MAUSeries), len(m.UtilSeries))
	}
	// Oldest first: index 0 is T−89, index 89 is T.
	if m.DAUSeries[89] != 100 || m.DAUSeries[0] != 189 || m.MAUSeries[89] != 200 || !approx(m.UtilSeries[89], 0.5) {
		t.Errorf("series ends: dau %d..%d, mau ..%d, util ..%v", m.DAUSeries[0], m.DAUSeries[89], m.MAUSeries[89], m.UtilSeries[89])
	}
}

func TestRenewalInDays(t *testing.T) {
	for _, d := range []int{-3, 0, 90, 365} {
		m := computeOne(fxAccount("a", renewsOn(fxT+Date(d))), DefaultThresholds())
		if m.RenewalInDays != d {
			t.Errorf("renewal in %d days reads %d", d, m.RenewalInDays)
		}
	}
}

func TestUrgencyOrder(t *testing.T) {
	// A book whose health spreads wide; the danger line is fixed so the
	// groups are known.
	th := DefaultThresholds()
	accts := []AccountData{
		fxAccount("alert", licenses(100), completedOn(metricPtr(fxT-10)), sticky(15, 30)), // relationship_change
		fxAccount("weak", licenses(100), sticky(1, 10)),
		fxAccount("weaker", licenses(100), sticky(1, 12)),
		fxAccount("strong", licenses(30), sticky(12, 30), contacts(champion("c", "X", nil))),
	}
	b := ComputeBook(accts, fxFeatures, nil, th)
	byID := map[string]AccountMetrics{}
	for _, m := range b.Accounts {
		byID[m.AccountID] = m
	}
	th.DangerLine = metricPtr(byID["weaker"].Health.Score)
	b = ComputeBook(accts, fxFeatures, nil, th)
	groups := map[string]string{"weaker": SegmentDangerZone, "weak": SegmentApproachingDanger}
	for _, m := range b.Accounts {
		if key, ok := groups[m.AccountID]; ok && !hasKey(m.Segments, key) {
			t.Fatalf("fixture: %s (health %v, line %v) should be in %s, is in %v", m.AccountID, m.Health.Score, b.DangerLine, key, m.Segments)
		}
	}

	order := make([]AccountMetrics, len(b.Accounts))
	copy(order, b.Accounts)
	sort.SliceStable(order, func(i, j int) bool { return order[i].Urgency > order[j].Urgency })
	var got []string
	for _, m := range order {
		got = append(got, m.AccountID)
	}
	want := []string{"alert", "weaker", "weak", "strong"}
	if !reflect.DeepEqual(got, want) {
		for _, m := range order {
			t.Logf("%s: urgency %d, health %v, segments %v, alerts %v", m.AccountID, m.Urgency, m.Health.Score, m.Segments, m.Alerts)
		}
		t.Errorf("urgency order %v, want %v", got, want)
	}
}

func TestUrgencyGroups(t *testing.T) {
	tests := []struct {
		name   string
		m      AccountMetrics
		higher AccountMetrics // must rank above m
	}{
		{"an alert beats the danger zone",
			AccountMetrics{Segments: []string{SegmentDangerZone}, Health: Health{Score: 0}},
			AccountMetrics{Alerts: []string{AlertSurprise}, Health: Health{Score: 100}}},
		{"the danger zone beats approaching",
			AccountMetrics{Segments: []string{SegmentApproachingDanger}, Health: Health{Score: 0}},
			AccountMetrics{Segments: []string{SegmentDangerZone}, Health: Health{Score: 100}}},
		{"approaching beats the rest",
			AccountMetrics{Health: Health{Score: 0}},
			AccountMetrics{Segments: []string{SegmentApproachingDanger}, Health: Health{Score: 100}}},
		{"lower health first within a group",
			AccountMetrics{Health: Health{Score: 50.1}},
			AccountMetrics{Health: Health{Score: 50}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a, b := urgency(&tt.higher), urgency(&tt.m); a <= b {
				t.Errorf("urgency %d should be above %d", a, b)
			}
		})
	}
}

// benchBook builds a synthetic book of n accounts with a year of usage each,
// independent of the generator.
func benchBook(n int) ([]AccountData, []Feature) {
	r := rand.New(rand.NewPCG(1, 2))
	features := []Feature{
		{Key: "reports", HighValue: true}, {Key: "workflows", HighValue: true},
		{Key: "api", HighValue: true}, {Key: "dashboards"}, {Key: "export"}, {Key: "login"},
	}
	end := MakeDate(2026, time.November, 20)
	start := MakeDate(2025, time.November, 1)
	accts := make([]AccountData, n)
	for i := range accts {
		id := fmt.Sprintf("acct-%05d", i)
		seats := 5 + r.IntN(200)
		a := AccountData{Account: Account{
			ID: id, Licenses: seats, PurchasedOn: start - 30, OnboardingStartedOn: start - 20,
			OnboardingCompletedOn: metricPtr(start + Date(r.IntN(60))), RenewalOn: end + Date(r.IntN(365)),
		}}
		a.Contacts = []Contact{
			{ID: id + "-c1", IsChampion: true, LeftCompanyOn: leftOn(r, end)},
			{ID: id + "-c2"}, {ID: id + "-c3"},
		}
		a.NPS = []NPSResponse{{ID: id + "-n1", Score: r.IntN(11), RespondedOn: end - Date(r.IntN(300))}}
		for m := start; m <= end; m = DateOf(m.Time().AddDate(0, 1, 0)) {
			days := min(daysInMonth(m), int(end-m)+1)
			um := UsageMonth{ID: id + "/" + m.Month(), AccountID: id, Month: m.Month(), Days: days,
				DAU: make([]int, days), WAU: make([]int, days), MAU: make([]int, days),
				Sessions: make([]int, days), Minutes: make([]int, days), Features: map[string][]int{}}
			for _, f := range features {
				um.Features[f.Key] = make([]int, days)
			}
			for d := range days {
				mau := seats * (40 + r.IntN(60)) / 100
				um.MAU[d], um.WAU[d], um.DAU[d] = mau, mau*2/3, mau/3
				um.Sessions[d], um.Minutes[d] = mau/2, mau*10
				for _, f := range features {
					um.Features[f.Key][d] = r.IntN(3)
				}
			}
			a.Usage = append(a.Usage, um)
		}
		accts[i] = a
	}
	return accts, features
}

func leftOn(r *rand.Rand, end Date) *Date {
	if r.IntN(10) > 0 {
		return nil
	}
	return metricPtr(end - Date(r.IntN(100)))
}

func BenchmarkComputeBook(b *testing.B) {
	accts, features := benchBook(5000)
	th := DefaultThresholds()
	playbooks := DefaultPlaybooks()
	b.ReportAllocs()
	for b.Loop() {
		ComputeBook(accts, features, playbooks, th)
	}
}
