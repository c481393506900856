package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"csm/data"
	"csm/model"
	csmsync "csm/sync"
)

// repairBook is the book of the repair tests, on the server and locally.
func repairBook() model.Book {
	return model.Generate(model.GenOptions{Seed: 5, Accounts: 20, Days: 120, CSMs: 1})[0]
}

// workingDB fills the test's data directory with the book and 4 unsent
// changes (a note with a next step, a follow-up, a checklist tick), closed
// cleanly, and returns the database's path.
func workingDB(t *testing.T, b model.Book) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(os.Getenv("CSM_DATA_DIR"), data.DBFile)
	st, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	a := b.Accounts[0].ID
	if _, err := st.CreateNote(ctx, data.NewNote{AccountID: a, Kind: "call", HappenedAt: time.Now(), Body: "renewal call",
		NextSteps: []data.NextStep{{Title: "send the deck"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateTask(ctx, b.Accounts[1].ID, "call the new champion", nil); err != nil {
		t.Fatal(err)
	}
	list := b.Checklists[0]
	if err := st.SetChecklistItem(ctx, b.Accounts[2].ID, list.Key, list.Items[0].Key, true); err != nil {
		t.Fatal(err)
	}
	return path
}

// smashUsagePage writes garbage over a page of usage data in the middle of
// the file, away from the outbox.
func smashUsagePage(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var page, size int
	err = db.QueryRow(`SELECT pageno FROM dbstat WHERE name = 'usage_months' AND pagetype = 'leaf'
		ORDER BY pageno LIMIT 1 OFFSET (SELECT count(*) / 2 FROM dbstat WHERE name = 'usage_months' AND pagetype = 'leaf')`).Scan(&page)
	if err == nil {
		err = db.QueryRow("PRAGMA page_size").Scan(&size)
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range size {
		b[(page-1)*size+i] = byte(i*13 + 1)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func pendingIn(t *testing.T, path string) int {
	t.Helper()
	st, err := data.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, _, err := st.OutboxCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRepairCommand(t *testing.T) {
	book := repairBook()
	cases := []struct {
		name       string
		setup      func(t *testing.T) string // returns the database path, "" for none
		server     bool
		wantCode   int
		wantOut    []string
		wantErr    string
		wantKept   int  // unsent changes after the repair (-1: not checked)
		wantSame   bool // the file is byte-for-byte as before
		wantCopied bool
	}{
		{name: "no database", setup: func(*testing.T) string { return "" }, wantCode: 1,
			wantErr: "there is no database at", wantKept: -1},
		{name: "sound database", setup: func(t *testing.T) string { return workingDB(t, book) }, wantCode: 0,
			wantOut: []string{"is sound; nothing to repair"}, wantKept: 4, wantSame: true},
		{name: "damaged, no server", setup: func(t *testing.T) string {
			p := workingDB(t, book)
			smashUsagePage(t, p)
			return p
		}, wantCode: 0, wantCopied: true, wantKept: 4,
			wantOut: []string{"is damaged (page ", "Copied the damaged file", "kept 4 of 4 unsent changes; 0 unreadable", "Run `csm sync`"}},
		{name: "not a database, no server", setup: func(t *testing.T) string {
			p := filepath.Join(os.Getenv("CSM_DATA_DIR"), data.DBFile)
			os.WriteFile(p, []byte("accounts.csv, not a database\n"), 0o600)
			return p
		}, wantCode: 0, wantCopied: true, wantKept: 0,
			wantOut: []string{"is damaged (the file is not a database)", "kept 0 of 0 unsent changes; 0 unreadable"}},
		{name: "damaged, server configured", setup: func(t *testing.T) string {
			p := workingDB(t, book)
			smashUsagePage(t, p)
			return p
		}, server: true, wantCode: 0, wantCopied: true, wantKept: 0, // pushed by the sync
			wantOut: []string{"kept 4 of 4 unsent changes; 0 unreadable", "Synced: pulled", "pushed 4, rejected 0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			isolated(t)
			if c.server {
				srv := httptest.NewServer(csmsync.NewServer([]csmsync.Tenant{{Token: "tok-repair", Book: book}}).Handler())
				defer srv.Close()
				t.Setenv("CSM_SERVER_URL", srv.URL)
				t.Setenv("CSM_TOKEN", "tok-repair")
			}
			path := c.setup(t)
			var before [32]byte
			if path != "" {
				before = fileHash(t, path)
			}
			code, stdout, stderr := invoke(t, "repair")
			t.Logf("stdout:\n%sstderr: %s", stdout, stderr)
			if code != c.wantCode {
				t.Fatalf("exit %d, want %d (stderr %q)", code, c.wantCode, stderr)
			}
			for _, want := range c.wantOut {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q", want)
				}
			}
			if c.wantErr != "" && !strings.Contains(stderr, c.wantErr) {
				t.Errorf("stderr %q lacks %q", stderr, c.wantErr)
			}
			if path == "" {
				untouched(t, []string{os.Getenv("CSM_DATA_DIR")})
				return
			}
			if same := fileHash(t, path) == before; same != c.wantSame {
				t.Errorf("file unchanged = %v, want %v", same, c.wantSame)
			}
			copies, _ := filepath.Glob(path + ".damaged-*")
			if c.wantCopied != (len(copies) == 1) {
				t.Errorf("damaged copies: %v", copies)
			}
			if c.wantCopied && fileHash(t, copies[0]) != before {
				t.Error("the damaged copy is not the damaged file as it was")
			}
			if c.wantKept >= 0 {
				if n := pendingIn(t, path); n != c.wantKept {
					t.Errorf("%d unsent changes after repair, want %d", n, c.wantKept)
				}
			}
		})
	}
}

// What a user sees when a command meets a damaged database, and that the
// file is left exactly as it was.
func TestDamagedDatabaseMessage(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"not a database", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("not a database"), 0o600)
		}},
		{"truncated", func(t *testing.T, path string) {
			workingDB(t, repairBook())
			b, _ := os.ReadFile(path)
			os.WriteFile(path, b[:len(b)*2/3], 0o600)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			isolated(t)
			path := filepath.Join(os.Getenv("CSM_DATA_DIR"), data.DBFile)
			c.damage(t, path)
			before := fileHash(t, path)
			code, _, stderr := invoke(t, "status")
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			t.Logf("user sees: %s", stderr)
			for _, want := range []string{"the database at " + path + " is damaged (", "Your file was left as it was.",
				"Run `csm repair` to rebuild it from the server and keep the changes not yet sent."} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q lacks %q", stderr, want)
				}
			}
			if fileHash(t, path) != before {
				t.Error("the damaged file was changed")
			}
		})
	}
}
