package main

import (
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"

	"csm/accounts"
	"csm/model"
)

// TestAccountsCSVMatchesJSON: csm accounts --csv parses back to the rows
// of --json, field for field where a figure is plain, in the same order.
func TestAccountsCSVMatchesJSON(t *testing.T) {
	dataDir, _ := triageEnv(t)
	b := model.Generate(model.GenOptions{Seed: 5, Accounts: 80, CSMs: 1})[0]
	b.Accounts[3].Name = "-1+2 @formula"
	triageImport(t, dataDir, b)
	for _, args := range [][]string{nil, {"--segment", model.NeedsMe, "--sort", "name"}} {
		list := accountsJSON(t, args...)
		code, out, errOut := runTriage(t, append([]string{"accounts", "--csv"}, args...)...)
		if code != 0 {
			t.Fatalf("accounts --csv %v: exit %d: %s", args, code, errOut)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("--csv does not parse back: %v", err)
		}
		if !slices.Equal(recs[0], accounts.CSVHeader) || len(recs)-1 != len(list) || len(list) == 0 {
			t.Fatalf("%v: header %v and %d rows; --json has %d", args, recs[0], len(recs)-1, len(list))
		}
		col := func(rec []string, name string) string { return rec[slices.Index(accounts.CSVHeader, name)] }
		for i, r := range list {
			rec := recs[i+1]
			name := r.Name
			if strings.HasPrefix(name, "-") {
				name = "'" + name
			}
			health, _ := strconv.ParseFloat(col(rec, "health"), 64)
			if col(rec, "id") != r.ID || col(rec, "name") != name || col(rec, "arr_cents") != strconv.FormatInt(r.ARRCents, 10) ||
				health != r.Health || col(rec, "alerts") != strings.Join(r.Alerts, ";") || col(rec, "segments") != strings.Join(r.Segments, ";") ||
				col(rec, "mau") != strconv.Itoa(r.MAU) || (col(rec, "trend") == "") != (r.Trend == nil) {
				t.Errorf("%v row %d: %v\ndoes not match %+v", args, i, rec, r)
			}
		}
	}
	if code, _, errOut := runTriage(t, "accounts", "--csv", "--json"); code != 2 || !strings.Contains(errOut, "choose one") {
		t.Errorf("--csv --json: exit %d %q, want 2 and why", code, errOut)
	}
}
