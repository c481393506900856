package sync

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
)

// The server's contract tests run once per kind of store: the same
// requests, the same assertions, against memory, SQLite and PostgreSQL.

// envTestPostgres names a PostgreSQL database the tests may make schemas
// in; unset, the PostgreSQL variants skip (or fail, in CI). .ci/postgres
// starts a private cluster and prints it.
const envTestPostgres = "CSM_TEST_POSTGRES"

type storeKind string

const (
	storeMemory   storeKind = "memory"
	storeSQLite   storeKind = "sqlite"
	storePostgres storeKind = "postgres"
)

var (
	allStoreKinds = []storeKind{storeMemory, storeSQLite, storePostgres}
	sqlStoreKinds = []storeKind{storeSQLite, storePostgres}
)

// forEachStore runs f as one subtest per kind, named after it.
func forEachStore(t *testing.T, kinds []storeKind, f func(t *testing.T, kind storeKind)) {
	t.Helper()
	for _, k := range kinds {
		t.Run(string(k), func(t *testing.T) { f(t, k) })
	}
}

// newTestStore is a fresh store of kind holding tenants, closed when the
// test ends.
func newTestStore(t *testing.T, kind storeKind, tenants []Tenant) ServerStore {
	t.Helper()
	if kind == storeMemory {
		return NewMemoryStore(tenants)
	}
	s := openTestSQLStore(t, testDBURL(t, kind))
	if err := s.SeedTenants(context.Background(), tenants); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return s
}

// testDBURL is the URL of a fresh, empty database of a SQL kind, removed
// when the test ends.
func testDBURL(t *testing.T, kind storeKind) string {
	t.Helper()
	switch kind {
	case storeSQLite:
		return "sqlite:" + filepath.Join(t.TempDir(), "server.db")
	case storePostgres:
		return postgresTestURL(t)
	}
	t.Fatalf("no database URL for a %s store", kind)
	return ""
}

// openTestSQLStore opens a SQLStore, closed when the test ends.
func openTestSQLStore(t *testing.T, dbURL string) *SQLStore {
	t.Helper()
	s, err := OpenSQLStore(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// inCI says whether this is a CI run, where nothing may be skipped.
func inCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "0" && v != "false"
}

// postgresTestURL makes a schema of its own for the test in the database
// of CSM_TEST_POSTGRES and returns a URL whose connections use it (through
// search_path), so tests never see each other's tables. The schema is
// dropped when the test ends.
func postgresTestURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv(envTestPostgres)
	if base == "" {
		const how = envTestPostgres + " is not set: run `eval \"$(.ci/postgres start)\"` to start a private PostgreSQL for the tests (`.ci/postgres stop` ends it)"
		if inCI() {
			t.Fatal("CI must run the PostgreSQL tests: " + how)
		}
		t.Skip(how)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", envTestPostgres, err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "csm_test_" + hex.EncodeToString(b)

	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// Identifiers cannot be bound as parameters; the name is ours, and
	// quoted anyway.
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		admin.Close()
		t.Fatalf("make a schema in %s: %v", u.Redacted(), err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
