package teamdata

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"csm/data"
	"csm/model"
	csmsync "csm/sync"
)

// TestCSVBookMatchesGeneratedBook: a generated book written as CSV,
// imported into the team store and synced by the real client gives the
// same entities and exactly the same metrics, segments and alerts as the
// generated book served from memory, less what CSV does not carry.
func TestCSVBookMatchesGeneratedBook(t *testing.T) {
	ctx := context.Background()
	book := model.Generate(model.GenOptions{Seed: 11, Accounts: 60, Days: 150, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	book.Notes, book.Tasks, book.ChecklistItems, book.PlayRuns = nil, nil, nil, nil

	// The team server: a CSM as `csm admin user add` makes one (the
	// default playbooks and checklists), then the CSV import.
	st := newEmptyStore(t)
	csm := model.Book{CSM: book.CSM, Playbooks: model.DefaultPlaybooks(), Checklists: model.DefaultChecklists()}
	if err := st.SeedTenants(ctx, []csmsync.Tenant{{Token: "tok-csv", Book: csm}}); err != nil {
		t.Fatal(err)
	}
	paths, err := WriteCSV(t.TempDir(), book)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := Parse(paths)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Apply(ctx, st, imp); err != nil {
		t.Fatal(err)
	}
	fromCSV := syncedClient(t, csmsync.NewServerWith(st), "tok-csv")
	generated := syncedClient(t, csmsync.NewServer([]csmsync.Tenant{{Token: "tok-gen", Book: book}}), "tok-gen")

	// Every entity is the same, but the accounts' updated_at (the time of
	// the import: a CSV has no column for it).
	got, want := snapshot(t, fromCSV), snapshot(t, generated)
	if got != want {
		i := firstDiff(got, want)
		t.Errorf("the books differ at byte %d:\n got  …%.300s\n want …%.300s", i, got[max(i-150, 0):], want[max(i-150, 0):])
	}
	// And so every figure computed from them.
	gb, err := fromCSV.Book(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wb, err := generated.Book(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gb.Rows) != len(book.Accounts) || len(wb.Rows) != len(gb.Rows) {
		t.Fatalf("%d and %d accounts, want %d", len(gb.Rows), len(wb.Rows), len(book.Accounts))
	}
	segments, alerts := 0, 0
	for i := range gb.Rows {
		// The same order too: it is the urgency the book screen shows.
		g, w := gb.Rows[i], wb.Rows[i]
		if g.Account.ID != w.Account.ID || jsonString(t, g.Metrics) != jsonString(t, w.Metrics) {
			t.Errorf("row %d: %s, want %s\n got  %s\n want %s", i, g.Account.ID, w.Account.ID, jsonString(t, g.Metrics), jsonString(t, w.Metrics))
		}
		segments += len(w.Metrics.Segments)
		alerts += len(w.Metrics.Alerts)
	}
	if jsonString(t, gb.Totals) != jsonString(t, wb.Totals) {
		t.Errorf("book totals\n got  %s\n want %s", jsonString(t, gb.Totals), jsonString(t, wb.Totals))
	}
	if segments == 0 || alerts == 0 {
		t.Errorf("a book with %d segments and %d alerts proves little", segments, alerts)
	}
}

// newEmptyStore is a team store on a temporary SQLite file with no CSM.
func newEmptyStore(t *testing.T) *csmsync.SQLStore {
	t.Helper()
	st, err := csmsync.OpenSQLStore(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "team.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// syncedClient serves srv on loopback and syncs a new client database
// from it with token.
func syncedClient(t *testing.T, srv *csmsync.Server, token string) *data.Store {
	t.Helper()
	ctx := context.Background()
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	c, err := csmsync.NewClient(hs.URL, token, csmsync.WithTimeout(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sum, err := csmsync.Run(ctx, c, st)
	if err != nil {
		t.Fatalf("sync: %v (%s)", err, sum)
	}
	if len(sum.Invalid) > 0 {
		t.Fatalf("the client skipped invalid entities: %v", sum.Invalid)
	}
	return st
}

// snapshot is the client's copy of the book as JSON, the accounts'
// updated_at left out.
func snapshot(t *testing.T, st *data.Store) string {
	t.Helper()
	b, err := st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range b.Accounts {
		b.Accounts[i].UpdatedAt = time.Time{}
	}
	return jsonString(t, b)
}

// firstDiff is the first byte at which a and b differ.
func firstDiff(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
