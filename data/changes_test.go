package data

import (
	"context"
	"testing"

	"csm/model"
)

func TestRecomputeRecordsWhatChanged(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	b := model.Generate(model.GenOptions{Seed: 5, Accounts: 30, Days: 120, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	if err := s.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.Changes(ctx); err != nil || len(got) != 0 {
		t.Fatalf("first computation recorded %d changes (%v), want none", len(got), err)
	}
	// Lower the bar for low utilization: accounts leave the segment.
	th := model.DefaultThresholds()
	th.LowUtilization = 0.05
	s.SetThresholds(th)
	if err := s.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	got, at, err := s.Changes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	left := 0
	for _, c := range got {
		if c.Kind == model.ChangeLeft && c.Key == model.SegmentLowUtilization {
			left++
			if c.AccountName == "" {
				t.Fatalf("change without account name: %+v", c)
			}
		}
	}
	if left == 0 || at.IsZero() {
		t.Fatalf("no account left low_utilization (changes %d, at %v)", len(got), at)
	}
	// A recompute that changes nothing keeps the list.
	if err := s.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	again, _, _ := s.Changes(ctx)
	if len(again) != len(got) {
		t.Fatalf("a no-op recompute changed the list: %d → %d", len(got), len(again))
	}
}

func TestSnoozeUntilDay(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	b := model.Generate(model.GenOptions{Seed: 5, Accounts: 3, Days: 30, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	if err := s.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	id := b.Accounts[0].ID
	until := model.MakeDate(2026, 12, 1)
	if err := s.Snooze(ctx, id, SnoozeAll, until); err != nil {
		t.Fatal(err)
	}
	if err := s.Snooze(ctx, "nope", SnoozeAll, until); err == nil {
		t.Fatal("snoozing an unknown account succeeded")
	}
	for _, tt := range []struct {
		today model.Date
		in    bool
	}{{until - 1, true}, {until, true}, {until + 1, false}} {
		got, err := s.Snoozes(ctx, tt.today)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got[id][SnoozeAll]; ok != tt.in {
			t.Errorf("on %s snoozed=%v, want %v", tt.today, ok, tt.in)
		}
	}
	if err := s.Unsnooze(ctx, id, SnoozeAll); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Snoozes(ctx, until-5); len(got) != 0 {
		t.Fatalf("unsnoozed account still snoozed: %v", got)
	}
}

func TestRecomputeIfStale(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	b := model.Generate(model.GenOptions{Seed: 5, Accounts: 5, Days: 60, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	if err := s.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	if did, err := s.RecomputeIfStale(ctx); err != nil || did {
		t.Fatalf("fresh metrics recomputed (%v, %v)", did, err)
	}
	if _, err := s.ApplyPage(ctx, Page{Changes: []Change{upsert("account", acct("zz", "New Co"), "zz")}, NextCursor: "n"}); err != nil {
		t.Fatal(err)
	}
	if did, err := s.RecomputeIfStale(ctx); err != nil || !did {
		t.Fatalf("a new account did not make metrics stale (%v, %v)", did, err)
	}
	if _, err := s.ApplyPage(ctx, Page{NextCursor: "m"}); err != nil {
		t.Fatal(err)
	}
	if did, _ := s.RecomputeIfStale(ctx); did {
		t.Fatal("an empty page made metrics stale")
	}
}
