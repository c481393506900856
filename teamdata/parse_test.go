package teamdata

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	csmsync "csm/sync"
)

// TestBadRows: each kind of bad row is named as FILE:LINE: COLUMN: what is
// wrong, and nothing is written.
func TestBadRows(t *testing.T) {
	accountCols := "id, name, tier, stage, licenses, arr_cents, currency, purchased_on, onboarding_started_on, renewal_on, " +
		"onboarding_completed_on, ae_name, ae_email, industry, region, csm_email"
	acme := func(col, val string) string { return accountsHdr + withCell(accountsHdr, acmeRow, col, val) }
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"unknown CSM", map[string]string{"accounts.csv": acme("csm_email", "bob@example.com")},
			[]string{`accounts.csv:2: csm_email: no CSM has the email "bob@example.com" (csm admin user list shows them)`}},
		{"bad enum", map[string]string{"accounts.csv": acme("tier", "gold")},
			[]string{`accounts.csv:2: tier: "gold" is not one of high_touch, mid_touch, tech_touch`}},
		{"empty enum", map[string]string{"accounts.csv": acme("stage", "")},
			[]string{`accounts.csv:2: stage: is empty; want one of onboarding, adoption, ongoing, renewal`}},
		{"bad date", map[string]string{"accounts.csv": acme("purchased_on", "2026-13-01")},
			[]string{`accounts.csv:2: purchased_on: "2026-13-01" is not a date YYYY-MM-DD`}},
		{"date in another format", map[string]string{"accounts.csv": acme("renewal_on", "10/01/2027")},
			[]string{`accounts.csv:2: renewal_on: "10/01/2027" is not a date YYYY-MM-DD`}},
		{"missing required date", map[string]string{"accounts.csv": acme("renewal_on", "")},
			[]string{`accounts.csv:2: renewal_on: is empty; want a date YYYY-MM-DD`}},
		{"duplicate id", map[string]string{"accounts.csv": accountsHdr + acmeRow + acmeRow},
			[]string{`accounts.csv:3: id: account "a1" is also at accounts.csv:2`}},
		{"duplicate id across files", map[string]string{"accounts.csv": accountsHdr + acmeRow,
			"more.jsonl": `{"type":"account","id":"a1","name":"Acme","tier":"high_touch","stage":"adoption","licenses":1,"arr_cents":0,"currency":"USD","purchased_on":"2026-01-01","onboarding_started_on":"2026-01-01","renewal_on":"2027-01-01","account_executive":{"name":"","email":""},"industry":"","region":"","updated_at":"2026-01-01T00:00:00Z"}` + "\n"},
			[]string{`more.jsonl:1: id: account "a1" is also at accounts.csv:2`}},
		{"stray column", map[string]string{"accounts.csv": strings.Replace(accountsHdr, "region", "colour", 1) + acmeRow},
			[]string{"accounts.csv:1: colour: not a column of this file; it has " + accountCols}},
		{"stray column with hostile name", map[string]string{"features.csv": "key,name,high_value,\"\x1b[2Jx\"\nk,K,true,1\n"},
			[]string{`features.csv:1: "\x1b[2Jx": not a column of this file; it has key, name, high_value`}},
		{"missing column", map[string]string{"features.csv": "key,name\nk,K\n"},
			[]string{`features.csv:1: high_value: the column is missing`}},
		{"column twice", map[string]string{"features.csv": "key,name,high_value,name\nk,K,true,L\n"},
			[]string{`features.csv:1: name: the column appears twice`}},
		{"bad number", map[string]string{"accounts.csv": acme("licenses", "fifty")},
			[]string{`accounts.csv:2: licenses: "fifty" is not a whole number`}},
		{"negative number", map[string]string{"accounts.csv": acme("arr_cents", "-3")},
			[]string{`accounts.csv:2: arr_cents: -3 is negative`}},
		{"huge number", map[string]string{"accounts.csv": acme("arr_cents", "99999999999999999999")},
			[]string{`accounts.csv:2: arr_cents: "99999999999999999999" is too large`}},
		{"bad currency", map[string]string{"accounts.csv": acme("currency", "usd")},
			[]string{`accounts.csv:2: currency: "usd" is not a three-letter ISO 4217 code`}},
		{"NPS 11", map[string]string{"accounts.csv": accountsHdr + acmeRow, "contacts.csv": contactsHdr + aliceRow,
			"nps.csv": npsHdr + "n1,a1,p1,11,great,2026-11-02\n"},
			[]string{`nps.csv:2: score: 11 is outside 0..10`}},
		{"unknown feature column", map[string]string{"accounts.csv": accountsHdr + acmeRow,
			"usage_daily.csv": "account_id,date,dau,wau,mau,sessions,minutes,feature:teleport\na1,2026-11-01,1,1,1,1,1,1\n"},
			[]string{`usage_daily.csv:1: feature:teleport: no feature "teleport" in this import or in the book of "dana@example.com"`}},
		{"orphan contact", map[string]string{"contacts.csv": contactsHdr + strings.Replace(aliceRow, "a1", "zz", 1)},
			[]string{`contacts.csv:2: account_id: no account "zz" in this import or in the database`}},
		{"orphan usage and nps", map[string]string{
			"usage_daily.csv": usageHdr + "zz,2026-11-01,1,1,1,1,1,\n",
			"nps.csv":         npsHdr + "n1,zz,p1,9,,2026-11-02\n"},
			[]string{
				`nps.csv:2: account_id: no account "zz" in this import or in the database`,
				`usage_daily.csv:2: account_id: no account "zz" in this import or in the database`}},
		{"rows of an account refused are not reported again", map[string]string{
			"accounts.csv": acme("csm_email", "bob@example.com"), "contacts.csv": contactsHdr + aliceRow},
			[]string{`accounts.csv:2: csm_email: no CSM has the email "bob@example.com" (csm admin user list shows them)`}},
		{"new account without a CSM", map[string]string{"accounts.csv": acme("csm_email", "")},
			[]string{`accounts.csv:2: csm_email: is empty, and account "a1" is in no book yet: name the CSM whose book takes it`}},
		{"bad role and bool", map[string]string{"accounts.csv": accountsHdr + acmeRow,
			"contacts.csv": contactsHdr + "p1,a1,Alice,,,boss,maybe,,\n"},
			[]string{`contacts.csv:2: role: "boss" is not one of champion, sponsor, admin, user`,
				`contacts.csv:2: is_champion: "maybe" is not true or false`}},
		{"id too long", map[string]string{"accounts.csv": acme("id", strings.Repeat("x", 65))},
			[]string{`accounts.csv:2: id: is 65 bytes long, more than 64`}},
		{"usage day twice", map[string]string{"accounts.csv": accountsHdr + acmeRow,
			"usage_daily.csv": usageHdr + "a1,2026-11-01,1,1,1,1,1,\na1,2026-11-01,2,2,2,2,2,\n"},
			[]string{`usage_daily.csv:3: date: account "a1" already has a row for 2026-11-01 at usage_daily.csv:2`}},
		{"usage count missing", map[string]string{"usage_daily.csv": usageHdr + "a1,2026-11-01,1,,1,1,1,\n"},
			[]string{`usage_daily.csv:2: wau: is empty; want a whole number ≥ 0`}},
		{"bad feature key in a column", map[string]string{"usage_daily.csv": "account_id,date,dau,wau,mau,sessions,minutes,feature:\n"},
			[]string{`usage_daily.csv:1: feature:: the feature key is empty`}},
		{"wrong number of cells", map[string]string{"features.csv": "key,name,high_value\nk,K\n"},
			[]string{`features.csv:2: row: has 2 cells, the header has 3`}},
		{"bare quote", map[string]string{"features.csv": "key,name,high_value\nk,K \"x\" y,true\nj,J,false\n"},
			[]string{`features.csv:2: row: bare " in non-quoted-field (at character 5); the file is not read past it`}},
		{"invalid UTF-8", map[string]string{"features.csv": "key,name,high_value\nk,\xff\xfe,true\n"},
			[]string{`features.csv:2: name: is not valid UTF-8`}},
		{"empty file", map[string]string{"features.csv": ""},
			[]string{`features.csv:1: row: the file is empty; it needs a header row naming its columns (key, name, high_value)`}},
		{"not an import file", map[string]string{"people.csv": "id\n1\n"},
			[]string{`people.csv: is not an import file: name it features.csv, accounts.csv, contacts.csv, usage_daily.csv, nps.csv or *.jsonl`}},
		{"jsonl: unknown type", map[string]string{"x.jsonl": `{"type":"widget","id":"w"}` + "\n"},
			[]string{`x.jsonl:1: type: "widget" is not one of feature, playbook, checklist, account, contact, usage_month, nps`}},
		{"jsonl: a note is not imported", map[string]string{"x.jsonl": "\n" + `{"type":"note","id":"n"}` + "\n"},
			[]string{`x.jsonl:2: type: "note" is the CSMs' own work, which comes through the API, not an import`}},
		{"jsonl: no type", map[string]string{"x.jsonl": `{"key":"k","name":"K","high_value":true}`}, []string{
			`x.jsonl:1: type: is missing; want one of feature, playbook, checklist, account, contact, usage_month, nps`}},
		{"jsonl: invalid entity", map[string]string{"x.jsonl": `{"type":"feature","key":"k","name":"K"}`},
			[]string{`x.jsonl:1: high_value: is missing`}},
		{"jsonl: not JSON", map[string]string{"x.jsonl": "{nope\n"},
			[]string{`x.jsonl:1: row: is not a JSON object: invalid character 'n' looking for beginning of object key string`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := newStore(t)
			before := head(t, st, dana.ID)
			_, got := importFiles(t, st, c.files)
			if !slices.Equal(got, c.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if after := head(t, st, dana.ID); after != before {
				t.Errorf("a refused import moved the feed from %d to %d", before, after)
			}
		})
	}
}

// withCell returns row with the cell of column col set to val.
func withCell(header, row, col, val string) string {
	cols := strings.Split(strings.TrimSuffix(header, "\n"), ",")
	cells := strings.Split(strings.TrimSuffix(row, "\n"), ",")
	i := slices.Index(cols, col)
	cells[i] = val
	return strings.Join(cells, ",") + "\n"
}

// TestGoodFilesAreAccepted: BOM, CRLF, quoted cells holding commas, quotes
// and newlines, columns in any order, optional columns left out, a huge
// cell and escape sequences are all data, not problems.
func TestGoodFilesAreAccepted(t *testing.T) {
	st := newStore(t)
	hostile := "Acme \x1b]0;pwned\a\u202e \"quoted\", and\nmore"
	huge := strings.Repeat("é", 300_000)
	accounts := "\ufeffcsm_email,id,name,tier,stage,licenses,arr_cents,currency,purchased_on,onboarding_started_on,renewal_on\r\n" +
		"dana@example.com,a1," + csvQuote(hostile) + ",high_touch,adoption,50,100,USD,2026-01-10,2026-01-15,2027-01-10\r\n"
	contacts := "account_id,id,name,role,is_champion\r\na1,p1," + csvQuote(huge) + ",user,0\r\n"
	rep, problems := importFiles(t, st, map[string]string{"accounts.csv": accounts, "contacts.csv": contacts})
	if problems != nil {
		t.Fatalf("problems: %v", problems)
	}
	want := map[string]Counts{"account": {Added: 1}, "contact": {Added: 1}}
	if fmt.Sprint(rep.Entities) != fmt.Sprint(want) {
		t.Errorf("report %v, want %v", rep.Entities, want)
	}
	e, _, err := readEntity(st, "account", "a1")
	if err != nil || !strings.Contains(string(e), `"name":"Acme \u001b]0;pwned\u0007‮ \"quoted\", and\nmore"`) {
		t.Errorf("stored account %.200s (%v)", e, err)
	}
	c, _, err := readEntity(st, "contact", "p1")
	if err != nil || !strings.Contains(string(c), "…") || len(c) > 2000 {
		t.Errorf("a huge name is kept cut, as a client would keep it; got %d bytes (%v)", len(c), err)
	}
}

// readEntity reads what dana's book stores of an entity.
func readEntity(st *csmsync.SQLStore, entity, id string) ([]byte, bool, error) {
	rows, err := st.ReadBook(context.Background(), dana.ID)
	if err != nil {
		return nil, false, err
	}
	for _, r := range rows {
		if r.Entity == entity && r.ID == id {
			return r.Data, true, nil
		}
	}
	return nil, false, nil
}

func csvQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// TestProblemsAreCapped: past MaxProblemLines, the rest are counted.
func TestProblemsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("key,name,high_value\n")
	for i := range 120 {
		fmt.Fprintf(&b, "k%d,K,perhaps\n", i)
	}
	dir, paths := writeFiles(t, map[string]string{"features.csv": b.String()})
	_, err := Parse(paths)
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if lines[0] != "the import has 120 problems; nothing was written:" {
		t.Errorf("first line %q", lines[0])
	}
	if len(lines) != 1+MaxProblemLines+1 {
		t.Fatalf("%d lines, want %d", len(lines), MaxProblemLines+2)
	}
	if got := strings.ReplaceAll(lines[1], dir+"/", ""); got != `features.csv:2: high_value: "perhaps" is not true or false` {
		t.Errorf("first problem %q", got)
	}
	if last := lines[len(lines)-1]; last != "… and 70 more problems" {
		t.Errorf("last line %q", last)
	}
}
