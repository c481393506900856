package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

// What SERVER.md promises of a server on a real database: what it has
// answered `applied` survives a restart and a kill -9, a restart expires
// no cursor, several server processes on one database are one server, and
// the feed skips nothing while requests commit side by side.

// envServeDB is the database a child server serves; unset: not a child.
const envServeDB = "CSM_CHILD_SERVE_DB"

// TestChildServesStore is the body of a child server process; it does
// nothing in a normal run. It opens the store, listens on a free loopback
// port, prints "serve <base URL>" and "ready", and serves until it is
// killed or its stdin closes (the parent is gone).
func TestChildServesStore(t *testing.T) {
	dbURL := os.Getenv(envServeDB)
	if dbURL == "" {
		t.Skip("runs only as a child of the durability tests")
	}
	st, err := OpenSQLStore(context.Background(), dbURL)
	if err != nil {
		fmt.Printf("error open: %v\n", err)
		t.FailNow()
	}
	defer st.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Printf("error listen: %v\n", err)
		t.FailNow()
	}
	srv := &http.Server{Handler: NewServerWith(st).Handler()}
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		srv.Close()
	}()
	fmt.Printf("serve http://%s\n", l.Addr())
	fmt.Println("ready")
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		fmt.Printf("error serve: %v\n", err)
	}
}

// serverChild is a running TestChildServesStore.
type serverChild struct {
	*child
	url string
}

// startServerChild starts a server process on the database and waits
// until it listens.
func startServerChild(t *testing.T, dbURL string) serverChild {
	t.Helper()
	c := spawnChild(t, "TestChildServesStore", envServeDB+"="+dbURL)
	c.waitReady(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, line := range c.other {
		if u, ok := strings.CutPrefix(line, "serve "); ok {
			return serverChild{child: c, url: u}
		}
	}
	t.Fatalf("the child server said no address: %s", c.other)
	return serverChild{}
}

// killNine kills the server with SIGKILL and reaps it.
func (s serverChild) killNine(t *testing.T) {
	t.Helper()
	s.kill()
	s.wait()
	if code := s.cmd.ProcessState.ExitCode(); code != -1 {
		t.Fatalf("the child server exited by itself (%v): %s", s.cmd.ProcessState, s.report())
	}
}

// seedDatabase makes a fresh database of kind holding two generated
// books, testToken's first, and returns its URL and that book.
func seedDatabase(t *testing.T, kind storeKind) (string, model.Book) {
	t.Helper()
	dbURL := testDBURL(t, kind)
	books := model.Generate(model.GenOptions{Seed: 5, Accounts: 4, Days: 45, AsOf: model.MakeDate(2026, 11, 20), CSMs: 2})
	s, err := OpenSQLStore(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SeedTenants(context.Background(), []Tenant{{Token: testToken, Book: books[0]}, {Token: "tok-c2", Book: books[1]}}); err != nil {
		t.Fatal(err)
	}
	return dbURL, books[0]
}

// testClient is a client of testToken's book at baseURL.
func testClient(t *testing.T, baseURL string) *Client {
	t.Helper()
	c, err := NewClient(baseURL, testToken,
		WithRetry(Retry{Attempts: 5, Base: time.Millisecond, Max: 20 * time.Millisecond}), WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clientDB is a fresh database of a CSM's csm.
func clientDB(t *testing.T) *data.Store {
	t.Helper()
	st, err := data.Open(context.Background(), filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// writeNote saves a note in the client's database, queued for the server.
func writeNote(t *testing.T, st *data.Store, accountID, body string) model.Note {
	t.Helper()
	n, err := st.CreateNote(context.Background(), data.NewNote{AccountID: accountID, Kind: model.NoteCall,
		HappenedAt: time.Now(), Body: body, Author: "durability"})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// noteMutation creates a note of the given id, itself the mutation's id
// after an "m-".
func noteMutation(id, accountID string) Mutation {
	return newMutation("m-"+id, MutNoteCreate, atHour(0), draftNote(id, accountID))
}

// pushApplied sends one note.create and requires the answer `applied`.
func pushApplied(t *testing.T, c *Client, id, accountID string) {
	t.Helper()
	resp, err := c.PushMutations(context.Background(), []Mutation{noteMutation(id, accountID)})
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.Results[0]; r.Status != StatusApplied || r.Seq == 0 {
		t.Fatalf("note %s answered %+v, want applied", id, r)
	}
}

// notesInFeed walks the whole feed (a full sync) and counts each note.
func notesInFeed(t *testing.T, c *Client) map[string]int {
	t.Helper()
	seen := map[string]int{}
	cursor := ""
	for range 1000 {
		p, err := c.Changes(context.Background(), cursor, MaxPageLimit)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range p.Changes {
			if ch.Entity == EntityNote {
				seen[ch.ID]++
			}
		}
		if cursor = p.NextCursor; !p.HasMore {
			return seen
		}
	}
	t.Fatal("the feed never ends")
	return nil
}

// feedHead walks the feed to its end and returns the cursor there.
func feedHead(t *testing.T, c *Client) string {
	t.Helper()
	cursor := ""
	for range 1000 {
		p, err := c.Changes(context.Background(), cursor, MaxPageLimit)
		if err != nil {
			t.Fatal(err)
		}
		if cursor = p.NextCursor; !p.HasMore {
			return cursor
		}
	}
	t.Fatal("the feed never ends")
	return ""
}

// requireLocalNotes checks the client's database holds the notes.
func requireLocalNotes(t *testing.T, st *data.Store, ids ...string) {
	t.Helper()
	b, err := st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if findNote(b, id) == nil {
			t.Errorf("note %s is not in the client's database after its sync", id)
		}
	}
}

// requireEachOnce checks that every id was seen exactly once.
func requireEachOnce(t *testing.T, seen map[string]int, ids []string) {
	t.Helper()
	missing, twice := 0, 0
	for _, id := range ids {
		switch n := seen[id]; {
		case n == 0:
			missing++
			if missing <= 5 {
				t.Errorf("note %s never came in the feed", id)
			}
		case n > 1:
			twice++
			t.Errorf("note %s came %d times", id, n)
		}
	}
	if missing+twice > 0 {
		t.Fatalf("%d of %d notes missing, %d more than once", missing, len(ids), twice)
	}
}

func TestRestartKeepsWhatWasApplied(t *testing.T) {
	forEachStore(t, sqlStoreKinds, func(t *testing.T, kind storeKind) {
		ctx := context.Background()
		dbURL, book := seedDatabase(t, kind)
		account := book.Accounts[0].ID
		serve := func() (*SQLStore, *httptest.Server) {
			s := openTestSQLStore(t, dbURL)
			ts := httptest.NewServer(NewServerWith(s).Handler())
			t.Cleanup(ts.Close)
			return s, ts
		}
		store, ts := serve()
		epoch, _ := store.Epoch(ctx)
		local := clientDB(t)
		c := testClient(t, ts.URL)
		if sum, err := Run(ctx, c, local); err != nil || !sum.Pull.FullResync {
			t.Fatalf("first sync: %+v, %v", sum, err)
		}
		mine := writeNote(t, local, account, "before the restart")
		if sum, err := Push(ctx, c, local); err != nil || sum.Pushed != 1 || sum.Rejected != 0 {
			t.Fatalf("push: %+v, %v", sum, err)
		}
		pushApplied(t, c, "n-restart", account)
		ts.Close()
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}

		store, ts = serve()
		if e, _ := store.Epoch(ctx); e != epoch {
			t.Fatalf("epoch %q after the restart, was %q: every cursor would expire", e, epoch)
		}
		c = testClient(t, ts.URL)
		requireEachOnce(t, notesInFeed(t, c), []string{mine.ID, "n-restart"})
		sum, err := Run(ctx, c, local)
		if err != nil || sum.Pull.FullResync || sum.Pull.Changes < 2 {
			t.Fatalf("sync after the restart: %+v, %v; want an incremental one bringing both notes", sum, err)
		}
		requireLocalNotes(t, local, mine.ID, "n-restart")
	})
}

// TestKillNineAfterAppliedLosesNothing kills a server process with
// SIGKILL as soon as it has answered `applied`, three times: each time a
// new process on the same database has the notes, and the client's next
// sync goes on from its cursor.
func TestKillNineAfterAppliedLosesNothing(t *testing.T) {
	forEachStore(t, sqlStoreKinds, func(t *testing.T, kind storeKind) {
		ctx := context.Background()
		dbURL, book := seedDatabase(t, kind)
		account := book.Accounts[0].ID
		srv := startServerChild(t, dbURL)
		local := clientDB(t)
		if sum, err := Run(ctx, testClient(t, srv.url), local); err != nil || !sum.Pull.FullResync {
			t.Fatalf("first sync: %+v, %v", sum, err)
		}
		var acked []string
		for round := range 3 {
			c := testClient(t, srv.url)
			mine := writeNote(t, local, account, fmt.Sprintf("round %d", round))
			if sum, err := Push(ctx, c, local); err != nil || sum.Pushed != 1 || sum.Rejected != 0 {
				t.Fatalf("round %d: push: %+v, %v", round, sum, err)
			}
			raw := fmt.Sprintf("n-kill-%d", round)
			pushApplied(t, c, raw, account)
			srv.killNine(t)
			acked = append(acked, mine.ID, raw)

			srv = startServerChild(t, dbURL)
			c = testClient(t, srv.url)
			requireEachOnce(t, notesInFeed(t, c), acked)
			sum, err := Run(ctx, c, local)
			if err != nil || sum.Pull.FullResync || sum.Pull.Changes < 2 {
				t.Fatalf("round %d: sync after kill -9: %+v, %v; want an incremental one bringing both notes", round, sum, err)
			}
			requireLocalNotes(t, local, acked...)
		}
	})
}

// pageWhileWriting pages the feed from cursor with pages of 1 to 5,
// taking turns among clients, until a read that started after done was
// closed reaches the end; it counts the notes it saw.
func pageWhileWriting(ctx context.Context, clients []*Client, cursor string, done <-chan struct{}) (map[string]int, error) {
	seen := map[string]int{}
	for i := 0; ; i++ {
		finished := false
		select {
		case <-done:
			finished = true
		default:
		}
		p, err := clients[i%len(clients)].Changes(ctx, cursor, 1+i%5)
		if err != nil {
			return seen, fmt.Errorf("page %d: %w", i, err)
		}
		for _, c := range p.Changes {
			if c.Entity == EntityNote {
				seen[c.ID]++
			}
		}
		cursor = p.NextCursor
		switch {
		case !p.HasMore && finished:
			return seen, nil
		case !p.HasMore:
			time.Sleep(time.Millisecond) // at the head: let the writers on
		}
	}
}

// writeNotes has each client push its share of notes, one request per
// note, all clients at once; done closes when all are answered.
func writeNotes(t *testing.T, clients []*Client, perClient int, prefix, accountID string) (ids []string, done <-chan struct{}) {
	t.Helper()
	for w := range clients {
		for i := range perClient {
			ids = append(ids, fmt.Sprintf("%s-%d-%d", prefix, w, i))
		}
	}
	closed := make(chan struct{})
	var wg gosync.WaitGroup
	for w, c := range clients {
		wg.Go(func() {
			for _, id := range ids[w*perClient : (w+1)*perClient] {
				resp, err := c.PushMutations(context.Background(), []Mutation{noteMutation(id, accountID)})
				if err != nil {
					t.Errorf("push %s: %v", id, err)
					return
				}
				if r := resp.Results[0]; r.Status != StatusApplied {
					t.Errorf("note %s answered %+v", id, r)
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(closed)
	}()
	return ids, closed
}

// TestFeedGapFreeUnderConcurrentWriters: many requests commit notes to one
// book at once while a reader pages the feed with tiny pages; the reader
// must meet every note, once.
func TestFeedGapFreeUnderConcurrentWriters(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		s := newTestStore(t, kind, []Tenant{{Token: testToken, Book: fixtureBook(csm1)}})
		ts := httptest.NewServer(NewServerWith(s).Handler())
		t.Cleanup(ts.Close)
		reader := testClient(t, ts.URL)
		cursor := feedHead(t, reader)
		writers := make([]*Client, 8)
		for i := range writers {
			writers[i] = testClient(t, ts.URL)
		}
		ids, done := writeNotes(t, writers, 12, "n-gap", csm1+"-a1")
		seen, err := pageWhileWriting(context.Background(), []*Client{reader}, cursor, done)
		<-done // the writers report to t: they must end before it does
		if err != nil {
			t.Fatal(err)
		}
		requireEachOnce(t, seen, ids)
	})
}

// TestTwoServerProcessesOneDatabase runs two server processes on one
// database: notes pushed through both reach a reader paging through both,
// every one once; a mutation sent to both is applied once; both serve the
// same feed.
func TestTwoServerProcessesOneDatabase(t *testing.T) {
	forEachStore(t, sqlStoreKinds, func(t *testing.T, kind storeKind) {
		ctx := context.Background()
		dbURL, book := seedDatabase(t, kind)
		account := book.Accounts[0].ID
		a, b := startServerChild(t, dbURL), startServerChild(t, dbURL)
		ca, cb := testClient(t, a.url), testClient(t, b.url)

		// The same mutation to both at once, ten times over.
		for k := range 10 {
			m := noteMutation(fmt.Sprintf("n-both-%d", k), account)
			var ra, rb MutationsResponse
			var ea, eb error
			var wg gosync.WaitGroup
			wg.Go(func() { ra, ea = ca.PushMutations(ctx, []Mutation{m}) })
			wg.Go(func() { rb, eb = cb.PushMutations(ctx, []Mutation{m}) })
			wg.Wait()
			if ea != nil || eb != nil {
				t.Fatalf("push: %v, %v", ea, eb)
			}
			x, y := ra.Results[0], rb.Results[0]
			statuses := []string{x.Status, y.Status}
			if !reflect.DeepEqual(statuses, []string{StatusApplied, StatusDuplicate}) && !reflect.DeepEqual(statuses, []string{StatusDuplicate, StatusApplied}) || x.Seq != y.Seq {
				t.Fatalf("mutation %s sent to both answered %+v and %+v: want one applied, one duplicate, one seq", m.ID, x, y)
			}
		}

		cursor := feedHead(t, ca)
		ids, done := writeNotes(t, []*Client{ca, cb}, 100, "n-two", account)
		seen, err := pageWhileWriting(ctx, []*Client{ca, cb}, cursor, done)
		<-done // the writers report to t: they must end before it does
		if err != nil {
			t.Fatal(err)
		}
		requireEachOnce(t, seen, ids)

		fa, fb := notesInFeed(t, ca), notesInFeed(t, cb)
		if !reflect.DeepEqual(fa, fb) || len(fa) != len(book.Notes)+10+len(ids) {
			t.Fatalf("the servers serve different feeds: %d and %d notes, want %d", len(fa), len(fb), len(book.Notes)+10+len(ids))
		}
		s := openTestSQLStore(t, dbURL)
		if n, err := s.AppliedCount(ctx, book.CSM.ID); err != nil || n != 10+len(ids) {
			t.Fatalf("AppliedCount %d (%v), want %d", n, err, 10+len(ids))
		}
	})
}
