package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"csm/servercmd"
	csmsync "csm/sync"
)

// adminEnv is a test's team database: a SQLite file not made yet, and a
// server on it, opened on demand.
type adminEnv struct {
	t  *testing.T
	db string
}

func newAdminEnv(t *testing.T) *adminEnv {
	t.Helper()
	isolated(t)
	t.Setenv(servercmd.DBEnv, "")
	return &adminEnv{t: t, db: filepath.Join(t.TempDir(), "team.db")}
}

// admin runs csm admin --db on the test's database.
func (e *adminEnv) admin(args ...string) (int, string, string) {
	e.t.Helper()
	return invoke(e.t, append([]string{"admin", "--db", e.db}, args...)...)
}

// mustAdmin runs csm admin and fails the test unless it exits 0.
func (e *adminEnv) mustAdmin(args ...string) string {
	e.t.Helper()
	code, stdout, stderr := e.admin(args...)
	if code != 0 {
		e.t.Fatalf("csm admin %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, stdout, stderr)
	}
	return stdout
}

// store opens the database as the server does.
func (e *adminEnv) store() *csmsync.SQLStore {
	e.t.Helper()
	st, err := csmsync.OpenSQLStore(context.Background(), e.db)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { st.Close() })
	return st
}

// me signs in with token against a server on the database and returns
// the status and the CSM's email.
func (e *adminEnv) me(token string) (int, string) {
	e.t.Helper()
	hs := httptest.NewServer(csmsync.NewServerWith(e.store()).Handler())
	defer hs.Close()
	req, _ := http.NewRequest(http.MethodGet, hs.URL+csmsync.APIPrefix+"/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var me csmsync.Me
	_ = json.NewDecoder(resp.Body).Decode(&me)
	return resp.StatusCode, me.CSM.Email
}

// lastLine is the last line of out.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestAdminUsers(t *testing.T) {
	e := newAdminEnv(t)
	if out := e.mustAdmin("migrate"); !strings.HasPrefix(out, "schema version ") {
		t.Errorf("migrate printed %q", out)
	}
	out := e.mustAdmin("user", "add", "Dana@Example.com", "--name", "Dana Ruiz")
	token := lastLine(out)
	if !strings.HasPrefix(token, csmsync.TokenPrefix) || strings.Contains(token, " ") {
		t.Fatalf("the last line is not the token alone: %q", out)
	}
	if status, email := e.me(token); status != http.StatusOK || email != "dana@example.com" {
		t.Fatalf("sign-in with the printed token: %d %q", status, email)
	}
	book := csmsync.NewServerWith(e.store())
	csms, _ := e.store().CSMs(context.Background())
	if b := book.Book(csms[0].CSM.ID); len(b.Playbooks) == 0 || len(b.Checklists) == 0 || len(b.Accounts) != 0 {
		t.Errorf("a new CSM's book: %d playbooks, %d checklists, %d accounts", len(b.Playbooks), len(b.Checklists), len(b.Accounts))
	}

	if code, _, stderr := e.admin("user", "add", "dana@example.com", "--name", "Again"); code != 1 || !strings.Contains(stderr, "exists already") {
		t.Errorf("adding an email twice: exit %d, %q", code, stderr)
	}

	// A new token revokes the old one.
	newToken := lastLine(e.mustAdmin("user", "token", "dana@example.com"))
	if status, _ := e.me(token); status != http.StatusUnauthorized {
		t.Errorf("the old token after rotation: %d", status)
	}
	if status, _ := e.me(newToken); status != http.StatusOK {
		t.Errorf("the new token: %d", status)
	}

	list := e.mustAdmin("user", "list")
	if !strings.Contains(list, "dana@example.com") || !strings.Contains(list, "Dana Ruiz") || strings.Contains(list, newToken) ||
		strings.Contains(list, csmsync.HashToken(newToken)) {
		t.Errorf("user list:\n%s", list)
	}

	e.mustAdmin("user", "revoke", "dana@example.com")
	if status, _ := e.me(newToken); status != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d", status)
	}
	if list := e.mustAdmin("user", "list"); !strings.Contains(list, "revoked") {
		t.Errorf("user list after revoke:\n%s", list)
	}
	if code, _, stderr := e.admin("user", "token", "nobody@example.com"); code != 1 || !strings.Contains(stderr, "no CSM has the email nobody@example.com") {
		t.Errorf("a token for nobody: exit %d, %q", code, stderr)
	}
}

func TestAdminImport(t *testing.T) {
	e := newAdminEnv(t)
	e.mustAdmin("user", "add", "dana@example.com", "--name", "Dana Ruiz")
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	features := write("features.csv", "key,name,high_value\nreports,Scheduled reports,true\n")
	accounts := write("accounts.csv", "id,name,tier,stage,licenses,arr_cents,currency,purchased_on,onboarding_started_on,renewal_on,csm_email\n"+
		"a1,Acme,high_touch,adoption,50,100,USD,2026-01-10,2026-01-15,2027-01-10,dana@example.com\n")
	usage := write("usage_daily.csv", "account_id,date,dau,wau,mau,sessions,minutes,feature:reports\na1,2026-11-01,3,4,5,6,70,2\n")

	out := e.mustAdmin("import", features, accounts, usage)
	if !strings.HasPrefix(out, "imported 3 rows from 3 files: 3 added, 0 changed, 0 unchanged\n") {
		t.Errorf("import printed:\n%s", out)
	}
	st := e.store()
	csms, _ := st.CSMs(context.Background())
	id := csms[0].CSM.ID
	head := func() int64 {
		f, err := st.ReadFeed(context.Background(), id, 0, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		return f.Head
	}
	before := head()

	out = e.mustAdmin("import", features, accounts, usage)
	if !strings.HasPrefix(out, "imported 3 rows from 3 files: 0 added, 0 changed, 3 unchanged\n") || head() != before {
		t.Errorf("re-import moved the feed from %d to %d:\n%s", before, head(), out)
	}

	bad := write("nps.csv", "id,account_id,contact_id,score,comment,responded_on\nn1,a1,p1,11,\"\x1b[2J\",2026-11-02\nn2,zz,p1,5,,2026-11-02\n")
	code, stdout, stderr := e.admin("import", usage, bad)
	if code != 1 || stdout != "" {
		t.Errorf("a bad import: exit %d, stdout %q", code, stdout)
	}
	if want := bad + ":2: score: 11 is outside 0..10"; !strings.Contains(stderr, want) {
		t.Errorf("stderr %q does not say %q", stderr, want)
	}
	if head() != before {
		t.Errorf("a bad import moved the feed from %d to %d", before, head())
	}
	// The orphan is found against the database, once the rows are fine.
	fine := write("nps.csv", "id,account_id,contact_id,score,comment,responded_on\nn2,zz,p1,5,,2026-11-02\n")
	code, _, stderr = e.admin("import", fine)
	if want := fine + `:2: account_id: no account "zz" in this import or in the database`; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("an orphan row: exit %d, stderr %q", code, stderr)
	}
	if head() != before {
		t.Errorf("a refused import moved the feed from %d to %d", before, head())
	}
}

func TestAdminSeed(t *testing.T) {
	e := newAdminEnv(t)
	out := e.mustAdmin("seed", "--accounts", "5", "--csms", "2", "--days", "40")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("seed printed:\n%s", out)
	}
	for _, l := range lines[1:] {
		fields := strings.Fields(l)
		if len(fields) != 2 {
			t.Fatalf("not EMAIL TOKEN: %q", l)
		}
		if status, email := e.me(fields[1]); status != http.StatusOK || email != fields[0] {
			t.Errorf("sign-in as %s: %d %q", fields[0], status, email)
		}
	}
	if code, _, stderr := e.admin("seed", "--accounts", "5", "--csms", "1"); code != 1 || !strings.Contains(stderr, "already") {
		t.Errorf("seeding the same CSMs again: exit %d, %q", code, stderr)
	}
}

func TestAdminBadUsage(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"admin", "migrate"}, "no database: give --db URL or set CSM_SERVE_DB"},
		{[]string{"admin", "user", "list"}, "no database"},
		{[]string{"admin", "import", "x.csv"}, "no database"},
		{[]string{"admin", "--db", "ftp://h/db", "migrate"}, `unknown scheme "ftp"`},
		{[]string{"admin", "--db", "DB", "bogus"}, `unknown command "bogus"`},
		{[]string{"admin", "--db", "DB", "migrate", "extra"}, `unknown command "extra"`},
		{[]string{"admin", "--db", "DB", "user", "add", "dana@example.com"}, "--name is required"},
		{[]string{"admin", "--db", "DB", "user", "add", "not-an-email", "--name", "X"}, `"not-an-email" is not an email address`},
		{[]string{"admin", "--db", "DB", "user", "add", "a@b", "--name", "X\x1b[2J"}, "a name has no control characters"},
		{[]string{"admin", "--db", "DB", "user", "add"}, "csm admin user add needs EMAIL: csm admin user add EMAIL --name NAME [flags]"},
		{[]string{"admin", "--db", "DB", "user", "token"}, "csm admin user token needs EMAIL: csm admin user token EMAIL [flags]"},
		{[]string{"admin", "--db", "DB", "user", "revoke", "a b@c"}, "no spaces"},
		{[]string{"admin", "--db", "DB", "import"}, "csm admin import needs FILE: csm admin import FILE... [flags]"},
		{[]string{"admin", "--db", "DB", "seed", "--accounts", "0"}, "--accounts must be between 1 and 100000"},
		{[]string{"admin", "--db", "DB", "seed", "--csms", "x"}, `invalid argument "x" for "--csms"`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			dirs := isolated(t)
			t.Setenv(servercmd.DBEnv, "")
			db := filepath.Join(dirs[3], "team.db")
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = strings.ReplaceAll(a, "DB", db)
			}
			code, stdout, stderr := invoke(t, args...)
			if code != 2 {
				t.Errorf("exit code %d, want 2 (stdout %q, stderr %q)", code, stdout, stderr)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q does not say %q", stderr, c.want)
			}
			untouched(t, dirs)
		})
	}
}

func TestAdminHelp(t *testing.T) {
	for _, args := range [][]string{
		{"admin"}, {"admin", "--help"}, {"admin", "migrate", "--help"}, {"admin", "user", "--help"},
		{"admin", "user", "add", "--help"}, {"admin", "user", "token", "--help"}, {"admin", "user", "revoke", "--help"},
		{"admin", "user", "list", "--help"}, {"admin", "import", "--help"}, {"admin", "seed", "--help"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			dirs := isolated(t)
			t.Setenv(servercmd.DBEnv, "")
			code, stdout, stderr := invoke(t, args...)
			if code != 0 || !strings.Contains(stdout, "Usage:") {
				t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			untouched(t, dirs)
		})
	}
}
