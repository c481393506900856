package teamdata

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"csm/model"
	csmsync "csm/sync"
)

// feedAfter lists the changes of a CSM's feed after seq.
func feedAfter(t *testing.T, st csmsync.ServerStore, csmID string, seq int64) []csmsync.Change {
	t.Helper()
	f, err := st.ReadFeed(context.Background(), csmID, seq, 0, 5000)
	if err != nil {
		t.Fatal(err)
	}
	return f.Changes
}

func mustImport(t *testing.T, st csmsync.TeamStore, files map[string]string) Report {
	t.Helper()
	rep, problems := importFiles(t, st, files)
	if problems != nil {
		t.Fatalf("problems:\n%s", strings.Join(problems, "\n"))
	}
	return rep
}

// TestReimportChangesNothing: the same files twice add nothing to the
// feed; one changed cell adds exactly one change.
func TestReimportChangesNothing(t *testing.T) {
	st := newStore(t)
	files := map[string]string{
		"features.csv":    featuresCSV,
		"accounts.csv":    accountsHdr + acmeRow,
		"contacts.csv":    contactsHdr + aliceRow,
		"usage_daily.csv": usageHdr + "a1,2026-11-01,3,4,5,6,70,2\na1,2026-11-02,1,4,5,2,10,\n",
		"nps.csv":         npsHdr + "n1,a1,p1,9,\"Great, thanks\",2026-11-02\n",
	}
	rep := mustImport(t, st, files)
	// dana's book has the default catalogue, reports included.
	if got := rep.String(); got != "feature: 0 added, 0 changed, 1 unchanged\naccount: 1 added, 0 changed, 0 unchanged\n"+
		"contact: 1 added, 0 changed, 0 unchanged\nusage_month: 1 added, 0 changed, 0 unchanged\nnps: 1 added, 0 changed, 0 unchanged\n" {
		t.Errorf("first import:\n%s", got)
	}
	first := head(t, st, dana.ID)

	rep = mustImport(t, st, files)
	if after := head(t, st, dana.ID); after != first {
		t.Errorf("re-import moved the feed from %d to %d: %v", first, after, feedAfter(t, st, dana.ID, first))
	}
	if tot := rep.Total(); tot != (Counts{Unchanged: 5}) {
		t.Errorf("re-import: %+v", tot)
	}

	files["accounts.csv"] = accountsHdr + withCell(accountsHdr, acmeRow, "licenses", "60")
	rep = mustImport(t, st, files)
	changes := feedAfter(t, st, dana.ID, first)
	if len(changes) != 1 || changes[0].Entity != csmsync.EntityAccount || changes[0].ID != "a1" {
		t.Fatalf("one changed cell made %d changes: %v", len(changes), changes)
	}
	if rep.Entities[csmsync.EntityAccount] != (Counts{Changed: 1}) {
		t.Errorf("report %v", rep.Entities)
	}
	var a model.Account
	if err := json.Unmarshal(changes[0].Data, &a); err != nil || a.Licenses != 60 || a.UpdatedAt.IsZero() {
		t.Errorf("changed account %+v (%v)", a, err)
	}
	// And that change, imported again, is no change.
	mustImport(t, st, files)
	if n := len(feedAfter(t, st, dana.ID, first)); n != 1 {
		t.Errorf("re-importing the change made %d changes", n)
	}
}

// TestUsageAppendsAcrossImports: today's rows, imported tomorrow, extend
// the month stored; a day given again replaces it.
func TestUsageAppendsAcrossImports(t *testing.T) {
	st := newStore(t)
	mustImport(t, st, map[string]string{"accounts.csv": accountsHdr + acmeRow,
		"usage_daily.csv": usageHdr + "a1,2026-11-02,2,2,2,2,2,1\na1,2026-10-31,9,9,9,9,9,\n"})
	start := head(t, st, dana.ID)
	rep := mustImport(t, st, map[string]string{
		"usage_daily.csv": "minutes,sessions,mau,wau,dau,date,account_id\n4,4,4,4,4,2026-11-04,a1\n3,3,3,3,3,2026-11-02,a1\n"})
	if rep.Entities[csmsync.EntityUsageMonth] != (Counts{Changed: 1}) {
		t.Errorf("report %v", rep.Entities)
	}
	changes := feedAfter(t, st, dana.ID, start)
	if len(changes) != 1 {
		t.Fatalf("%d changes: %v", len(changes), changes)
	}
	var m model.UsageMonth
	if err := json.Unmarshal(changes[0].Data, &m); err != nil {
		t.Fatal(err)
	}
	want := model.UsageMonth{ID: "a1/2026-11", AccountID: "a1", Month: "2026-11", Days: 4,
		DAU: []int{0, 3, 0, 4}, WAU: []int{0, 3, 0, 4}, MAU: []int{0, 3, 0, 4}, Sessions: []int{0, 3, 0, 4}, Minutes: []int{0, 3, 0, 4},
		Features: map[string][]int{"reports": {0, 0, 0, 0}}}
	if fmt.Sprint(m) != fmt.Sprint(want) {
		t.Errorf("month\n got  %+v\n want %+v", m, want)
	}
}

// TestFeaturesGoToTheBooksConcerned: a feature goes to the book of every
// account of the import, not to others; an import of features alone goes
// to every book.
func TestFeaturesGoToTheBooksConcerned(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	lee := model.CSM{ID: "c2", Name: "Lee", Email: "lee@example.com"}
	if err := st.SeedTenants(ctx, []csmsync.Tenant{{Book: model.Book{CSM: lee}}}); err != nil {
		t.Fatal(err)
	}
	feature := "key,name,high_value\nsso,Single sign-on,true\n"
	mustImport(t, st, map[string]string{"features.csv": feature, "accounts.csv": accountsHdr + acmeRow})
	has := func(csm string) bool {
		rows, err := st.ReadBook(ctx, csm)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Entity == csmsync.EntityFeature && r.ID == "sso" {
				return true
			}
		}
		return false
	}
	if !has(dana.ID) || has(lee.ID) {
		t.Errorf("with an account of dana's: dana has it %v, lee %v", has(dana.ID), has(lee.ID))
	}
	rep := mustImport(t, st, map[string]string{"features.csv": feature})
	if !has(lee.ID) || rep.Entities[csmsync.EntityFeature] != (Counts{Added: 1, Unchanged: 1}) {
		t.Errorf("features alone: lee has it %v; report %v", has(lee.ID), rep.Entities)
	}

	// A contact of dana's account needs no csm_email: the account's book
	// is found. Moving the account to lee is refused.
	mustImport(t, st, map[string]string{"contacts.csv": contactsHdr + aliceRow})
	_, problems := importFiles(t, st, map[string]string{"accounts.csv": accountsHdr + withCell(accountsHdr, acmeRow, "csm_email", "LEE@example.com")})
	want := `accounts.csv:2: csm_email: account "a1" is in the book of "dana@example.com"; an import does not move accounts between books`
	if len(problems) != 1 || problems[0] != want {
		t.Errorf("moving an account: %v", problems)
	}
}

// TestJSONLImport: .jsonl lines are docs/API.md entities; an account names its
// CSM with csm_email; a whole month from a line is the base daily rows
// fold over.
func TestJSONLImport(t *testing.T) {
	st := newStore(t)
	lines := strings.Join([]string{
		`{"type":"account","csm_email":"dana@example.com","id":"a1","name":"Acme","tier":"mid_touch","stage":"ongoing","licenses":10,"arr_cents":5,"currency":"EUR","purchased_on":"2025-01-01","onboarding_started_on":"2025-01-02","onboarding_completed_on":null,"renewal_on":"2027-01-01","account_executive":{"name":"Sam","email":"s@x"},"industry":"","region":"","updated_at":"2026-01-01T00:00:00Z","extra":"ignored"}`,
		`{"type":"usage_month","id":"a1/2026-11","account_id":"a1","month":"2026-11","days":2,"dau":[1,1],"wau":[1,1],"mau":[1,1],"sessions":[1,1],"minutes":[1,1],"features":null}`,
		`{"type":"playbook","key":"qbr_prep","name":"QBR prep","trigger":"manual","description":"","steps":[{"key":"deck","title":"Deck","due_days":3}]}`,
	}, "\r\n")
	rep := mustImport(t, st, map[string]string{"book.jsonl": lines, "usage_daily.csv": usageHdr + "a1,2026-11-03,5,5,5,5,5,\n"})
	if tot := rep.Total(); tot != (Counts{Added: 3}) {
		t.Errorf("report %v", rep.Entities)
	}
	data, _, _ := readEntity(st, csmsync.EntityUsageMonth, "a1/2026-11")
	if want := `"days":3,"dau":[1,1,5]`; !strings.Contains(string(data), want) {
		t.Errorf("month %s, want %s", data, want)
	}
	acct, _, _ := readEntity(st, csmsync.EntityAccount, "a1")
	if strings.Contains(string(acct), "extra") || strings.Contains(string(acct), "csm_email") || !strings.Contains(string(acct), `"updated_at":"2026-01-01T00:00:00Z"`) {
		t.Errorf("account stored as %s", acct)
	}
}
