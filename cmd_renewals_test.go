package main

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"csm/model"
	"csm/renewals"
)

// renewalsJSON runs `csm renewals --json` with extra args and decodes it.
func renewalsJSON(t *testing.T, args ...string) model.RenewalForecast {
	t.Helper()
	code, out, errOut := runTriage(t, append([]string{"renewals", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("renewals --json %v: exit %d: %s", args, code, errOut)
	}
	var f model.RenewalForecast
	if err := json.Unmarshal([]byte(out), &f); err != nil {
		t.Fatalf("renewals --json %v is not one JSON object: %v\n%.300s", args, err, out)
	}
	return f
}

// generatedBook is a generated book of n accounts whose renewals fall in
// more than one currency.
func generatedBook(t *testing.T, n int) model.Book {
	t.Helper()
	b := model.Generate(model.GenOptions{Seed: 11, Accounts: n, CSMs: 1})[0]
	seen := map[string]bool{}
	for _, a := range b.Accounts {
		seen[a.Currency] = true
	}
	if len(seen) < 2 {
		t.Fatalf("the generated book has %d currencies: the test needs two or more", len(seen))
	}
	return b
}

// TestRenewalsNinetyDaysAreRenewalSoon: csm renewals --days 90 --json names
// exactly the accounts csm accounts --segment renewal_soon names.
func TestRenewalsNinetyDaysAreRenewalSoon(t *testing.T) {
	dataDir, _ := triageEnv(t)
	triageImport(t, dataDir, generatedBook(t, 200))

	var soon []string
	for _, r := range accountsJSON(t, "--segment", model.SegmentRenewalSoon) {
		soon = append(soon, r.ID)
	}
	f := renewalsJSON(t, "--days", "90")
	var got []string
	for _, r := range f.All() {
		got = append(got, r.AccountID)
	}
	slices.Sort(soon)
	slices.Sort(got)
	if len(soon) == 0 {
		t.Fatal("no account renews soon in the generated book: the test proves nothing")
	}
	if !slices.Equal(got, soon) {
		t.Errorf("renewals --days 90: %d %v\nrenewal_soon: %d %v", len(got), got, len(soon), soon)
	}
	// And the default window holds more: 180 days.
	if all := renewalsJSON(t); all.Days != model.DefaultRenewalDays || all.Len() <= len(got) {
		t.Errorf("default: %d days, %d renewals; want %d days and more than %d", all.Days, all.Len(), model.DefaultRenewalDays, len(got))
	}
}

// TestRenewalsTotalsPerCurrency: on a book of several currencies, each
// total is one currency's, the sum of that currency's renewals only.
func TestRenewalsTotalsPerCurrency(t *testing.T) {
	dataDir, _ := triageEnv(t)
	triageImport(t, dataDir, generatedBook(t, 200))
	f := renewalsJSON(t)
	if len(f.Totals) < 2 {
		t.Fatalf("renewals in %d currencies: the test needs two or more", len(f.Totals))
	}
	want := map[string]model.CurrencyTotal{}
	for _, r := range f.All() {
		w := want[r.Currency]
		w.Currency = r.Currency
		w.Accounts++
		w.RenewingCents += r.ARRCents
		if len(r.Risks) > 0 {
			w.AtRisk++
			w.AtRiskCents += r.ARRCents
		}
		want[r.Currency] = w
	}
	if len(f.Totals) != len(want) {
		t.Errorf("%d totals for %d currencies", len(f.Totals), len(want))
	}
	for _, tot := range f.Totals {
		if tot != want[tot.Currency] {
			t.Errorf("%s: total %+v, its renewals add up to %+v", tot.Currency, tot, want[tot.Currency])
		}
	}
	// The table says each currency on its own.
	code, out, errOut := runTriage(t, "renewals")
	if code != 0 {
		t.Fatalf("renewals: exit %d: %s", code, errOut)
	}
	head := strings.Split(out, "\n")[1]
	if n := strings.Count(head, " renewing"); n != len(f.Totals) {
		t.Errorf("totals line %q says %d amounts renewing, want one per currency (%d)", head, n, len(f.Totals))
	}
}

// TestRenewalsCSVReadsBack: --csv is one header and one row per renewal,
// the figures of --json, and a name that a spreadsheet would run as a
// formula starts with '.
func TestRenewalsCSVReadsBack(t *testing.T) {
	dataDir, _ := triageEnv(t)
	b := generatedBook(t, 120)
	hostile := "=HYPERLINK(\"http://evil.example\",\"click\")"
	b.Accounts[0].Name = hostile
	b.Accounts[0].RenewalOn = model.MakeDate(2026, 12, 1) // within the window of the generated T
	triageImport(t, dataDir, b)

	f := renewalsJSON(t)
	code, out, errOut := runTriage(t, "renewals", "--csv")
	if code != 0 {
		t.Fatalf("renewals --csv: exit %d: %s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("--csv does not parse back: %v", err)
	}
	if !slices.Equal(recs[0], renewals.CSVHeader) {
		t.Fatalf("header %v, want %v", recs[0], renewals.CSVHeader)
	}
	all := f.All()
	if len(recs)-1 != len(all) {
		t.Fatalf("%d CSV rows, %d renewals in --json", len(recs)-1, len(all))
	}
	sawHostile := false
	for i, rec := range recs[1:] {
		r := all[i]
		cents, _ := strconv.ParseInt(rec[5], 10, 64)
		if rec[0] != r.AccountID || rec[3] != r.RenewalOn.String() || cents != r.ARRCents || rec[6] != r.Currency ||
			rec[9] != strings.Join(r.Risks, ";") {
			t.Errorf("row %d %v does not match %+v", i, rec, r)
		}
		if r.Name == hostile {
			sawHostile = true
			if rec[1] != "'"+hostile {
				t.Errorf("formula name written %q, want it to start with '", rec[1])
			}
		}
	}
	if !sawHostile {
		t.Error("the account named as a formula is not among the renewals: the test proves nothing")
	}
}

func TestRenewalsBadInvocation(t *testing.T) {
	triageEnv(t)
	for _, args := range [][]string{
		{"renewals", "--days", "-1"},
		{"renewals", "--days", "99999"},
		{"renewals", "--json", "--csv"},
		{"renewals", "extra"},
	} {
		code, _, errOut := runTriage(t, args...)
		if code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and why", args, code, errOut)
		}
	}
}

func TestRenewalsEmptyDatabase(t *testing.T) {
	triageEnv(t)
	f := renewalsJSON(t)
	if f.Len() != 0 || f.Months == nil || f.Totals == nil {
		t.Errorf("empty database: %+v, want no renewal with [] months and totals", f)
	}
	if code, _, errOut := runTriage(t, "renewals"); code != 1 || !strings.Contains(errOut, "no data yet") {
		t.Errorf("table on an empty database: exit %d %q", code, errOut)
	}
}
