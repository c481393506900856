package data

import (
	"context"
	"slices"
	"testing"

	"csm/model"
)

func TestPackIntsRoundTrip(t *testing.T) {
	for _, v := range [][]int{nil, {0}, {1, 127, 128, 300, 16384, 2000000}} {
		got := unpackInts(packInts(v))
		if len(got) != len(v) {
			t.Fatalf("round trip of %v gave %v", v, got)
		}
		for i := range v {
			if got[i] != v[i] {
				t.Fatalf("round trip of %v gave %v", v, got)
			}
		}
	}
}

// The book screen's rows come in the same order as Book's.
func TestBookScreenOrderMatchesBook(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	b := model.Generate(model.GenOptions{Seed: 9, Accounts: 60, Days: 90, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	if err := s.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	full, err := s.Book(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lean, err := s.BookScreen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Rows) != len(lean.Rows) {
		t.Fatalf("%d rows vs %d", len(full.Rows), len(lean.Rows))
	}
	for i := range full.Rows {
		f, l := full.Rows[i], lean.Rows[i]
		if f.Account.ID != l.Account.ID || f.Account.Name != l.Account.Name || f.Metrics.Health.Score != l.Metrics.Health.Score ||
			!slices.Equal(f.Metrics.Segments, l.Metrics.Segments) || !slices.Equal(f.Metrics.DAUSeries, l.Metrics.DAUSeries) {
			t.Fatalf("row %d: book %s, screen %s", i, f.Account.ID, l.Account.ID)
		}
	}
}
