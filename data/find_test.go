package data

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"csm/model"
)

func TestFindAccount(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	b := model.Book{Accounts: []model.Account{
		acct("a1", "Acme"),
		acct("a2", "Acme Labs"),
		acct("a3", "acme widgets"),
		acct("b1", "Beta Corp"),
		acct("zz", "Zeta"),
		acct("beta", "Omega"), // an id that is also the start of another name
		acct("e1", "Échelle"),
		acct("h1", "Hostile\x1b]0;pwned\x07 Co"),
		acct("h2", "Hostile\x1b[31m Inc"),
	}}
	if err := s.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		query   string
		wantID  string
		wantErr error
		errHas  []string
	}{
		{"exact id", "zz", "zz", nil, nil},
		{"id wins over name prefix", "beta", "beta", nil, nil},
		{"unique prefix", "bet", "b1", nil, nil},
		{"case-insensitive prefix", "ZET", "zz", nil, nil},
		{"surrounding spaces", "  zeta ", "zz", nil, nil},
		{"whole name among prefixes", "acme", "a1", nil, nil},
		{"unique longer prefix", "acme l", "a2", nil, nil},
		{"non-ASCII case", "éCH", "e1", nil, nil},
		{"no match", "nobody", "", ErrNotFound, []string{"no account matches", `"nobody"`}},
		{"ambiguous", "ac", "", ErrAmbiguous, []string{"matches 3 accounts", `"Acme Labs"`, `"a3"`}},
		{"empty", " ", "", nil, []string{"no account given"}},
		{"ambiguous hostile names are quoted", "hostile", "", ErrAmbiguous, []string{`\x1b`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := s.FindAccount(ctx, tt.query)
			if tt.wantID != "" {
				if err != nil {
					t.Fatalf("FindAccount(%q): %v", tt.query, err)
				}
				if a.ID != tt.wantID {
					t.Errorf("FindAccount(%q) = %s, want %s", tt.query, a.ID, tt.wantID)
				}
				return
			}
			if err == nil {
				t.Fatalf("FindAccount(%q) = %s, want an error", tt.query, a.ID)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v is not %v", err, tt.wantErr)
			}
			for _, w := range tt.errHas {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.ContainsRune(err.Error(), 0x1b) {
				t.Errorf("error %q holds a raw escape", err)
			}
		})
	}
}

func TestFindAccountListsAtMostFive(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	var b model.Book
	for _, id := range []string{"n1", "n2", "n3", "n4", "n5", "n6", "n7"} {
		b.Accounts = append(b.Accounts, acct(id, "North "+id))
	}
	if err := s.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	_, err := s.FindAccount(ctx, "north")
	if err == nil || !strings.Contains(err.Error(), "and 2 more") || strings.Contains(err.Error(), "North n6") {
		t.Errorf("error = %v, want five candidates and 'and 2 more'", err)
	}
}

// countIn counts the accounts of the stored book in a segment.
func countIn(t *testing.T, s *Store, key string) int {
	t.Helper()
	b, err := s.Book(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range b.Rows {
		if slices.Contains(r.Metrics.Segments, key) {
			n++
		}
	}
	return n
}

func TestEnsureThresholdsRecomputesOnlyOnChange(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	book := model.Generate(model.GenOptions{Seed: 3, Accounts: 40, Days: 120, CSMs: 1})[0]
	if err := s.ImportBook(ctx, book); err != nil {
		t.Fatal(err)
	}
	defaults := model.DefaultThresholds()
	strict := defaults
	strict.LowUtilization = 5 // every account with licenses is "low"

	// ensure applies th and reports whether it recomputed.
	ensure := func(step string, th model.Thresholds, want bool) {
		t.Helper()
		got, err := s.EnsureThresholds(ctx, th)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if got != want {
			t.Fatalf("%s: recomputed = %v, want %v", step, got, want)
		}
		if s.Thresholds().LowUtilization != th.LowUtilization {
			t.Fatalf("%s: thresholds not set", step)
		}
	}
	// The import's recompute recorded the thresholds it used: nothing to
	// redo for the same ones.
	ensure("first open", defaults, false)
	ensure("same thresholds", defaults, false)
	low := countIn(t, s, model.SegmentLowUtilization)

	ensure("stricter", strict, true)
	if got := countIn(t, s, model.SegmentLowUtilization); got <= low {
		t.Errorf("low_utilization after raising the threshold: %d accounts, want more than %d", got, low)
	}

	// Unchanged thresholds must not touch the metrics: wipe them and see
	// that they stay wiped.
	if _, err := s.DB().ExecContext(ctx, "DELETE FROM metrics"); err != nil {
		t.Fatal(err)
	}
	ensure("stricter again", strict, false)
	if b, err := s.Book(ctx); err != nil || len(b.Rows) != 0 {
		t.Fatalf("metrics were recomputed though the thresholds did not change (%d rows, %v)", len(b.Rows), err)
	}

	ensure("back to defaults", defaults, true)
	if got := countIn(t, s, model.SegmentLowUtilization); got != low {
		t.Errorf("low_utilization back at defaults: %d accounts, want %d", got, low)
	}
}

func TestEnsureThresholdsLeavesAnEmptyStoreUncomputed(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	got, err := s.EnsureThresholds(ctx, model.DefaultThresholds())
	if err != nil || got {
		t.Fatalf("EnsureThresholds on an empty store = %v, %v; want false, nil", got, err)
	}
	b, err := s.Book(ctx)
	if err != nil || b.Computed {
		t.Fatalf("empty store became computed (%v)", err)
	}
}
