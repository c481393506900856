package sync

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

const testToken = "tok-c1"

// fixture is a reference server on loopback with a generated book, and a
// fresh database file for the client.
type fixture struct {
	srv   *Server
	http  *httptest.Server
	store *data.Store
	csm   string
}

func newFixture(t *testing.T, accounts int, wrap func(http.Handler) http.Handler) *fixture {
	t.Helper()
	books := model.Generate(model.GenOptions{Seed: 3, Accounts: accounts, Days: 120, AsOf: model.MakeDate(2026, 11, 20), CSMs: 2})
	srv := NewServer([]Tenant{{Token: testToken, Book: books[0]}, {Token: "tok-c2", Book: books[1]}})
	h := srv.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	st, err := data.Open(context.Background(), filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &fixture{srv: srv, http: hs, store: st, csm: books[0].CSM.ID}
}

func (f *fixture) client(t *testing.T) *Client {
	t.Helper()
	c, err := NewClient(f.http.URL, testToken,
		WithRetry(Retry{Attempts: 5, Base: time.Millisecond, Max: 20 * time.Millisecond}),
		WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// requireSameBook checks that the database holds exactly the server's live
// entities.
func (f *fixture) requireSameBook(t *testing.T) {
	t.Helper()
	want := f.srv.Book(f.csm)
	want.CSM = model.CSM{}
	got, err := f.store.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(jsonOf(t, got), jsonOf(t, want)) {
		g, w := counts(got), counts(want)
		t.Fatalf("database differs from server:\n got  %v\n want %v", g, w)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func counts(b model.Book) map[string]int {
	return map[string]int{"accounts": len(b.Accounts), "contacts": len(b.Contacts), "usage": len(b.Usage),
		"nps": len(b.NPS), "notes": len(b.Notes), "tasks": len(b.Tasks), "items": len(b.ChecklistItems),
		"runs": len(b.PlayRuns), "features": len(b.Features), "playbooks": len(b.Playbooks), "checklists": len(b.Checklists)}
}

func TestSyncRoundTripThenNothing(t *testing.T) {
	f := newFixture(t, 25, nil)
	ctx := context.Background()
	c := f.client(t)
	sum, err := Run(ctx, c, f.store)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Pull.FullResync || sum.Pull.Changes == 0 || len(sum.Invalid) != 0 {
		t.Fatalf("first sync summary: %+v", sum)
	}
	f.requireSameBook(t)

	again, err := Run(ctx, c, f.store)
	if err != nil {
		t.Fatal(err)
	}
	if again.Pull.Changes != 0 || again.Pull.FullResync {
		t.Fatalf("second sync pulled %d changes (full=%v), want none", again.Pull.Changes, again.Pull.FullResync)
	}

	// A new usage day on the server arrives as exactly one change.
	b := f.srv.Book(f.csm)
	u := b.Usage[len(b.Usage)-1]
	u.DAU[0]++
	u.WAU[0]++
	u.MAU[0]++
	f.srv.Upsert(f.csm, EntityUsageMonth, u)
	f.srv.Delete(f.csm, EntityNPS, b.NPS[0].ID)
	inc, err := Run(ctx, c, f.store)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Pull.Changes != 2 {
		t.Fatalf("incremental sync pulled %d changes, want 2", inc.Pull.Changes)
	}
	f.requireSameBook(t)

	book, err := f.store.Book(ctx)
	if err != nil || !book.Computed || len(book.Rows) != 25 {
		t.Fatalf("metrics after sync: computed=%v rows=%d err=%v", book.Computed, len(book.Rows), err)
	}
}

func TestSyncPagesSmallLimit(t *testing.T) {
	f := newFixture(t, 10, nil)
	sum, err := Pull(context.Background(), f.client(t), f.store, 37)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Pages < 3 {
		t.Fatalf("pulled in %d pages with limit 37, want several", sum.Pages)
	}
	f.requireSameBook(t)
}

func TestSyncSeesOnlyOwnBook(t *testing.T) {
	f := newFixture(t, 8, nil)
	if _, err := Run(context.Background(), f.client(t), f.store); err != nil {
		t.Fatal(err)
	}
	got, _ := f.store.Snapshot(context.Background())
	for _, a := range got.Accounts {
		for _, other := range f.srv.Book("c2").Accounts {
			if a.ID == other.ID {
				t.Fatalf("account %s of the other CSM reached this database", a.ID)
			}
		}
	}
}

func TestCursorExpiredStartsFullResync(t *testing.T) {
	f := newFixture(t, 10, nil)
	ctx := context.Background()
	c := f.client(t)
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	b := f.srv.Book(f.csm)
	f.srv.Delete(f.csm, EntityContact, b.Contacts[0].ID)
	f.srv.Delete(f.csm, EntityNote, b.Notes[0].ID)
	f.srv.Compact(f.csm)
	sum, err := Run(ctx, c, f.store)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Pull.FullResync {
		t.Fatalf("after compaction the sync was not a full resync: %+v", sum)
	}
	f.requireSameBook(t)
}

// faults wraps the server's handler so the first requests of /changes fail
// in the given ways, then behave.
type faults struct {
	mu    gosync.Mutex
	plan  []string // one entry per /changes request: "503", "cut", "garbage", "429" or "" (pass)
	calls atomic.Int32
}

func (fl *faults) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/changes") {
			next.ServeHTTP(w, r)
			return
		}
		fl.calls.Add(1)
		fl.mu.Lock()
		step := ""
		if len(fl.plan) > 0 {
			step, fl.plan = fl.plan[0], fl.plan[1:]
		}
		fl.mu.Unlock()
		switch step {
		case "503":
			w.Header().Set("Retry-After", "1")
			http.Error(w, `{"error":{"code":"unavailable","message":"try later"}}`, http.StatusServiceUnavailable)
		case "429":
			w.Header().Set("Retry-After", "2")
			http.Error(w, `{"error":{"code":"rate_limited","message":"slow down"}}`, http.StatusTooManyRequests)
		case "garbage":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"changes": [{"seq": 1, "entity": "account", "op": "ups`))
		case "cut":
			// Send the head of a real page, then drop the connection.
			rec := httptest.NewRecorder()
			r.Header.Del("Accept-Encoding")
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			hj, ok := w.(http.Hijacker)
			if !ok {
				panic("no hijacker")
			}
			conn, buf, _ := hj.Hijack()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n")
			buf.Write(body[:len(body)/2])
			buf.Flush()
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func TestSyncSurvivesFaults(t *testing.T) {
	fl := &faults{plan: []string{"503", "cut", "", "garbage", "429", ""}}
	f := newFixture(t, 12, fl.wrap)
	// An invalid entity and an entity of an unknown account in the feed.
	f.srv.UpsertRaw(f.csm, EntityAccount, "bad-1", json.RawMessage(`{"id":"bad-1","name":"No Stage Inc","tier":"high_touch","licenses":-4}`))
	f.srv.UpsertRaw(f.csm, EntityContact, "orphan-1", json.RawMessage(`{"id":"orphan-1","account_id":"bad-1","name":"Lost","email":"","title":"","role":"user","is_champion":false,"left_company_on":null,"last_active_on":null}`))

	c := f.client(t)
	var slept []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	sum, err := Pull(context.Background(), c, f.store, 50)
	if err != nil {
		t.Fatalf("pull with faults: %v", err)
	}
	if len(sum.Invalid) != 2 {
		t.Fatalf("invalid entities counted: %d (%v), want 2", len(sum.Invalid), sum.Invalid)
	}
	// The server's Book leaves out the invalid account but keeps the orphan
	// contact, which the client rightly cannot store.
	want := f.srv.Book(f.csm)
	got, _ := f.store.Snapshot(context.Background())
	if len(got.Accounts) != len(want.Accounts) || len(got.Contacts) != len(want.Contacts)-1 || len(got.Usage) != len(want.Usage) {
		t.Fatalf("after faults: got %v, want %v less one orphan contact", counts(got), counts(want))
	}
	if fl.calls.Load() < 6 {
		t.Fatalf("only %d requests: the faults were not all met", fl.calls.Load())
	}
	// Retry-After of 1 s and 2 s are honoured up to the 20 ms cap.
	if len(slept) < 4 {
		t.Fatalf("backoffs %v: want one per fault", slept)
	}
	for _, d := range slept {
		if d <= 0 || d > 20*time.Millisecond {
			t.Fatalf("backoff %v outside (0, cap]", d)
		}
	}
}

func TestSyncGivesUpWithClearError(t *testing.T) {
	fl := &faults{plan: []string{"503", "503", "503", "503", "503", "503"}}
	f := newFixture(t, 5, fl.wrap)
	c := f.client(t)
	c.sleep = func(context.Context, time.Duration) error { return nil }
	_, err := Run(context.Background(), c, f.store)
	if err == nil || !strings.Contains(err.Error(), "503") || !strings.Contains(err.Error(), "gave up after 5 tries") {
		t.Fatalf("error = %v, want a give-up naming the 503", err)
	}
	st, _ := f.store.SyncState(context.Background())
	if st.Cursor != "" {
		t.Fatalf("cursor moved to %q though nothing was applied", st.Cursor)
	}
}

func TestUnauthorizedIsNotRetried(t *testing.T) {
	f := newFixture(t, 3, nil)
	c, err := NewClient(f.http.URL, "wrong")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), c, f.store)
	if !IsUnauthorized(err) {
		t.Fatalf("error = %v, want 401", err)
	}
}

func TestNewClientRefusesPlainHTTPToOtherHosts(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8765", true},
		{"http://localhost:8765/", true},
		{"http://[::1]:8765", true},
		{"https://csm.example.com", true},
		{"http://csm.example.com", false},
		{"http://10.0.0.5:8765", false},
		{"ftp://127.0.0.1", false},
		{"not a url", false},
	}
	for _, tt := range tests {
		_, err := NewClient(tt.url, "t")
		if (err == nil) != tt.ok {
			t.Errorf("NewClient(%q) error = %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
}
