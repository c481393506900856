package sync

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"csm/model"
)

func TestCheckEmailAndName(t *testing.T) {
	emails := map[string]string{
		"dana@example.com":               "",
		"not-an-email":                   "is not an email address",
		"@example.com":                   "is not an email address",
		"a@b@c":                          "is not an email address",
		"a b@c":                          "no spaces or control characters",
		"a\x1b[2J@c":                     "no spaces or control characters",
		strings.Repeat("a", 260) + "@bc": "longer than 254 bytes",
	}
	for email, want := range emails {
		err := CheckEmail(email)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("CheckEmail(%q) = %v, want %q", email, err, want)
		}
	}
	names := map[string]string{
		"Dana Ruiz":   "",
		"":            "is required",
		"Dana\x1b[2J": "a name has no control characters",
		"Dana\nRuiz":  "a name has no control characters",
		strings.Repeat("n", model.MaxNameChars+1): "is longer than",
	}
	for name, want := range names {
		err := CheckCSMName(name)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("CheckCSMName(%q) = %v, want %q", name, err, want)
		}
	}
}

func TestCheckDBScheme(t *testing.T) {
	for dbURL, ok := range map[string]bool{
		"team.db": true, "sqlite:team.db": true, "sqlite:///var/team.db": true, "postgres://h/x": true,
		"PostgreSQL://h/x": true, "mysql://u:hunter2@h/x": false, "ftp://h/x": false,
	} {
		err := CheckDBScheme(dbURL)
		if (err == nil) != ok {
			t.Errorf("CheckDBScheme(%q) = %v", dbURL, err)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("CheckDBScheme(%q) shows the password: %v", dbURL, err)
		}
	}
}

// Each of csm admin's operations, on a SQLite file.
func TestAdmin(t *testing.T) {
	ctx := context.Background()
	a := Admin{DB: "sqlite:" + filepath.Join(t.TempDir(), "team.db")}
	if v, err := a.Migrate(ctx); err != nil || v < 1 {
		t.Fatalf("Migrate = %d, %v", v, err)
	}
	csm, token, err := a.AddCSM(ctx, "Robin@Example.org", "Robin Lee")
	if err != nil || csm.Email != "robin@example.org" || !strings.HasPrefix(csm.ID, "c-") || !strings.HasPrefix(token, TokenPrefix) {
		t.Fatalf("AddCSM = %+v, %q, %v", csm, token, err)
	}
	if _, _, err := a.AddCSM(ctx, "robin@example.org", "Again"); !errors.Is(err, ErrCSMExists) {
		t.Errorf("AddCSM of an email again: %v, want ErrCSMExists", err)
	}
	c, newToken, err := a.NewToken(ctx, "ROBIN@example.org")
	if err != nil || c.ID != csm.ID || newToken == token {
		t.Errorf("NewToken = %+v, %q, %v", c, newToken, err)
	}
	if _, _, err := a.NewToken(ctx, "nobody@example.com"); err == nil || !strings.Contains(err.Error(), "no CSM has the email nobody@example.com") {
		t.Errorf("NewToken for nobody: %v", err)
	}
	if c, err := a.RevokeToken(ctx, "robin@example.org"); err != nil || c.ID != csm.ID {
		t.Errorf("RevokeToken = %+v, %v", c, err)
	}
	tenants, err := a.Seed(ctx, model.GenOptions{Seed: 3, Accounts: 2, Days: 20, CSMs: 2})
	if err != nil || len(tenants) != 2 || tenants[0].Token == tenants[1].Token {
		t.Fatalf("Seed = %d tenants, %v", len(tenants), err)
	}
	if _, err := a.Seed(ctx, model.GenOptions{Seed: 3, Accounts: 2, Days: 20, CSMs: 1}); !errors.Is(err, ErrCSMExists) {
		t.Errorf("seeding the same CSMs again: %v, want ErrCSMExists", err)
	}
	csms, err := a.CSMs(ctx)
	if err != nil || len(csms) != 3 {
		t.Fatalf("CSMs = %d, %v", len(csms), err)
	}
	var list strings.Builder
	WriteCSMs(&list, csms)
	if !strings.Contains(list.String(), "robin@example.org  Robin Lee") || !strings.Contains(list.String(), "revoked") ||
		strings.Contains(list.String(), newToken) || strings.Contains(list.String(), tenants[0].Token) {
		t.Errorf("WriteCSMs:\n%s", list.String())
	}
	var tokens strings.Builder
	WriteTokens(&tokens, tenants)
	lines := strings.Split(strings.TrimSuffix(tokens.String(), "\n"), "\n")
	for i, tn := range tenants {
		if i >= len(lines) || strings.Join(strings.Fields(lines[i]), " ") != tn.Book.CSM.Email+" "+tn.Token {
			t.Errorf("WriteTokens: line %d is not %s and the token:\n%s", i+1, tn.Book.CSM.Email, tokens.String())
		}
	}
}

// A database that cannot be opened is named in the error, its password
// never.
func TestAdminErrorsHideThePassword(t *testing.T) {
	a := Admin{DB: "postgres://csm:hunter2@127.0.0.1:1/csm?sslmode=disable&connect_timeout=1"}
	_, err := a.CSMs(context.Background())
	if err == nil || !strings.Contains(err.Error(), "open the database") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("CSMs on an unreachable database: %v", err)
	}
}

// A demo's books are the generator's, with usage ending yesterday.
func TestDemoBooksTenants(t *testing.T) {
	tenants := DemoBooks{Accounts: 3, Days: 10, Seed: 1, Token: "dev"}.Tenants()
	if len(tenants) != 2 || tenants[0].Token != "dev" || tenants[1].Token != "dev-"+tenants[1].Book.CSM.ID {
		t.Fatalf("tenants: %d, tokens %q, %q", len(tenants), tenants[0].Token, tenants[len(tenants)-1].Token)
	}
	want := model.Generate(model.GenOptions{Seed: 1, Accounts: 3, Days: 10, CSMs: 2, AsOf: model.DateOf(time.Now()) - 1})
	for i := range want {
		if !reflect.DeepEqual(tenants[i].Book, want[i]) {
			t.Errorf("book %d is not the generator's with usage ending yesterday", i)
		}
	}
}
