package teamdata

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"csm/model"
	csmsync "csm/sync"
)

// dana is the CSM of the test store.
var dana = model.CSM{ID: "c1", Name: "Dana Ruiz", Email: "dana@example.com"}

// newStore is a team store on a temporary SQLite file, holding dana's
// book with the default feature catalogue and nothing else.
func newStore(t *testing.T) *csmsync.SQLStore {
	t.Helper()
	ctx := context.Background()
	st, err := csmsync.OpenSQLStore(ctx, filepath.Join(t.TempDir(), "team.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	book := model.Book{CSM: dana, Features: model.DefaultFeatures()}
	if err := st.SeedTenants(ctx, []csmsync.Tenant{{Token: "tok-dana", Book: book}}); err != nil {
		t.Fatal(err)
	}
	return st
}

// writeFiles writes files (name → content) into a new directory and
// returns it and their paths, in name order.
func writeFiles(t *testing.T, files map[string]string) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(files[name]), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return dir, paths
}

// importFiles parses and applies files; the problems come back as lines
// with the directory left out.
func importFiles(t *testing.T, st csmsync.TeamStore, files map[string]string) (Report, []string) {
	t.Helper()
	dir, paths := writeFiles(t, files)
	imp, err := Parse(paths)
	var rep Report
	if err == nil {
		rep, err = Apply(context.Background(), st, imp)
	}
	return rep, problemLines(t, err, dir)
}

// problemLines turns a *ProblemsError into its lines, without dir; any
// other error fails the test.
func problemLines(t *testing.T, err error, dir string) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("not a list of problems: %v", err)
	}
	lines := strings.Split(pe.Error(), "\n")[1:]
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(l, dir+string(filepath.Separator), "")
	}
	return lines
}

// head is the latest seq of a CSM's feed.
func head(t *testing.T, st csmsync.ServerStore, csmID string) int64 {
	t.Helper()
	f, err := st.ReadFeed(context.Background(), csmID, 0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return f.Head
}

// A valid import to start cases from.
const (
	featuresCSV = "key,name,high_value\nreports,Scheduled reports,true\n"
	accountsHdr = "id,name,tier,stage,licenses,arr_cents,currency,purchased_on,onboarding_started_on,onboarding_completed_on,renewal_on,ae_name,ae_email,industry,region,csm_email\n"
	acmeRow     = "a1,Acme,high_touch,adoption,50,1200000,USD,2026-01-10,2026-01-15,2026-03-01,2027-01-10,Sam Lee,sam@example.com,Retail,EMEA,dana@example.com\n"
	contactsHdr = "id,account_id,name,email,title,role,is_champion,left_company_on,last_active_on\n"
	aliceRow    = "p1,a1,Alice,alice@acme.example,CTO,champion,true,,2026-11-01\n"
	usageHdr    = "account_id,date,dau,wau,mau,sessions,minutes,feature:reports\n"
	npsHdr      = "id,account_id,contact_id,score,comment,responded_on\n"
)
