package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"csm/model"
)

func TestNewTokenAndHashToken(t *testing.T) {
	a, b := NewToken(), NewToken()
	if !regexp.MustCompile(`^csm_[A-Za-z0-9_-]{43}$`).MatchString(a) || a == b {
		t.Fatalf("tokens %q and %q: want csm_ and 43 base64url characters, each new", a, b)
	}
	h := HashToken(a)
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(h) || h != HashToken(a) || h == HashToken(b) {
		t.Fatalf("hash %q: want 64 hex digits, the same for the same token only", h)
	}
}

func TestOpenSQLStoreURLs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, u := range []string{filepath.Join(dir, "plain.db"), "sqlite:" + filepath.Join(dir, "prefixed.db"), "sqlite://" + filepath.Join(dir, "url.db")} {
		s, err := OpenSQLStore(ctx, u)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if s.Dialect() != "sqlite" {
			t.Errorf("%s: dialect %s", u, s.Dialect())
		}
		s.Close()
	}
	for _, name := range []string{"plain.db", "prefixed.db", "url.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("no database file: %v", err)
		}
	}
	bad := []string{"", "sqlite:", "mysql://db.example.com/csm", filepath.Join(dir, "what?.db")}
	for _, u := range bad {
		if s, err := OpenSQLStore(ctx, u); err == nil {
			s.Close()
			t.Errorf("%q opened", u)
		}
	}
	// A server that does not answer: the error names it without its password.
	_, err := OpenSQLStore(ctx, "postgres://csm:hunter2secret@127.0.0.1:1/csm?sslmode=disable&connect_timeout=2")
	if err == nil || strings.Contains(err.Error(), "hunter2secret") {
		t.Fatalf("open of a closed port: %v", err)
	}
}

func TestSQLStoreMigrate(t *testing.T) {
	forEachStore(t, sqlStoreKinds, func(t *testing.T, kind storeKind) {
		ctx := context.Background()
		u := testDBURL(t, kind)
		// Several servers start at once on a new database: one migrates,
		// all agree on one epoch.
		const starts = 4
		epochs := make([]string, starts)
		var wg gosync.WaitGroup
		for i := range starts {
			wg.Go(func() {
				s, err := OpenSQLStore(ctx, u)
				if err != nil {
					t.Error(err)
					return
				}
				defer s.Close()
				epochs[i], _ = s.Epoch(ctx)
			})
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		s := openTestSQLStore(t, u)
		v, err := s.Migrate(ctx)
		if err != nil || v != len(migrations) {
			t.Fatalf("Migrate again: %d, %v", v, err)
		}
		epoch, _ := s.Epoch(ctx)
		for i, e := range epochs {
			if e != epoch || e == "" {
				t.Fatalf("start %d saw epoch %q, now %q", i, e, epoch)
			}
		}
		// A database from a newer csm is refused and left as it is.
		if _, err := s.db.ExecContext(ctx, `UPDATE schema_version SET version = $1`, 99); err != nil {
			t.Fatal(err)
		}
		if s2, err := OpenSQLStore(ctx, u); err == nil || !strings.Contains(err.Error(), "newer") {
			if s2 != nil {
				s2.Close()
			}
			t.Fatalf("open of a newer schema: %v", err)
		}
		var got int
		if err := s.db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&got); err != nil || got != 99 {
			t.Fatalf("schema version %d (%v) after the refusal, want 99", got, err)
		}
	})
}

func TestSQLStoreCSMsAndTokens(t *testing.T) {
	forEachStore(t, sqlStoreKinds, func(t *testing.T, kind storeKind) {
		ctx := context.Background()
		s := openTestSQLStore(t, testDBURL(t, kind))
		dana := model.CSM{ID: "c-dana", Name: "Dana Ruiz", Email: "dana@example.com"}
		lee := model.CSM{ID: "c-lee", Name: "Lee Park", Email: "lee@example.com"}
		tok := NewToken()
		if err := s.AddCSM(ctx, dana, HashToken(tok)); err != nil {
			t.Fatal(err)
		}
		if err := s.AddCSM(ctx, lee, ""); err != nil {
			t.Fatal(err)
		}
		for _, dup := range []model.CSM{{ID: "c-other", Name: "X", Email: dana.Email}, {ID: dana.ID, Name: "X", Email: "x@example.com"}} {
			if err := s.AddCSM(ctx, dup, ""); !errors.Is(err, ErrCSMExists) {
				t.Errorf("AddCSM of %+v: %v, want ErrCSMExists", dup, err)
			}
		}
		if err := s.AddCSM(ctx, model.CSM{Name: "No Id"}, ""); err == nil {
			t.Error("a CSM without id or email was added")
		}
		signIn := func(token string) (model.CSM, error) { return s.CSMByToken(ctx, token) }
		if got, err := signIn(tok); err != nil || got != dana {
			t.Fatalf("sign in: %+v, %v", got, err)
		}
		for _, bad := range []string{"", "csm_nope", HashToken(tok), tok[:len(tok)-1]} {
			if _, err := signIn(bad); !errors.Is(err, ErrUnknownToken) {
				t.Errorf("sign in with %q: %v, want ErrUnknownToken", bad, err)
			}
		}
		// Only the hash is stored.
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM csms WHERE token_hash = $1 OR id = $1 OR name = $1 OR email = $1`, tok).Scan(&n); err != nil || n != 0 {
			t.Fatalf("the token itself is in the table (%d rows, %v)", n, err)
		}

		tok2 := NewToken()
		if err := s.SetToken(ctx, dana.Email, HashToken(tok2)); err != nil {
			t.Fatal(err)
		}
		if _, err := signIn(tok); !errors.Is(err, ErrUnknownToken) {
			t.Fatalf("the replaced token still signs in: %v", err)
		}
		if got, err := signIn(tok2); err != nil || got != dana {
			t.Fatalf("the new token: %+v, %v", got, err)
		}
		if err := s.RevokeToken(ctx, dana.Email); err != nil {
			t.Fatal(err)
		}
		if _, err := signIn(tok2); !errors.Is(err, ErrUnknownToken) {
			t.Fatalf("a revoked token signs in: %v", err)
		}
		for _, err := range []error{s.SetToken(ctx, "nobody@example.com", HashToken(tok)), s.RevokeToken(ctx, "nobody@example.com")} {
			if !errors.Is(err, ErrNoCSM) {
				t.Errorf("token of an unknown email: %v, want ErrNoCSM", err)
			}
		}
		if err := s.SetToken(ctx, lee.Email, ""); err == nil {
			t.Error("an empty token hash was set")
		}
		if err := s.SetToken(ctx, lee.Email, HashToken(tok2)); err != nil {
			t.Fatal(err)
		}

		list, err := s.CSMs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].CSM != dana || list[0].HasToken || list[1].CSM != lee || !list[1].HasToken {
			t.Fatalf("CSMs: %+v", list)
		}
		for _, c := range list {
			if time.Since(c.CreatedAt) > time.Minute || time.Since(c.CreatedAt) < 0 {
				t.Errorf("%s created at %v", c.CSM.Email, c.CreatedAt)
			}
		}
		// A new CSM has an empty feed.
		if f, err := s.ReadFeed(ctx, lee.ID, 0, 0, 10); err != nil || f.Head != 0 || len(f.Changes) != 0 {
			t.Fatalf("feed of a new CSM: %+v, %v", f, err)
		}
	})
}

// TestSQLStoreKeepsBytes: ids may be any JSON string and data is served
// as it was stored, byte for byte.
func TestSQLStoreKeepsBytes(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		ctx := context.Background()
		s := newTestStore(t, kind, []Tenant{{Token: tok1, Book: fixtureBook(csm1)}})
		ids := []string{"a\x00b", "\x1b]0;title\a", "é ☃ \u202e", strings.Repeat("x", model.MaxIDBytes)}
		datas := []json.RawMessage{
			json.RawMessage(" {\"b\" : 1,\n\"a\":[ 2 ]} "),
			json.RawMessage(`{"s":"\u0000 and \ud800"}`),
			json.RawMessage("{\"bad utf-8\":\"\xff\xfe\"}"),
			json.RawMessage(`"` + strings.Repeat("y", 70<<10) + `"`),
		}
		var seqs []int64
		err := s.Write(ctx, csm1, func(tx BookTx) error {
			for i, id := range ids {
				seq, err := tx.Put("thing", id, datas[i])
				if err != nil {
					return err
				}
				seqs = append(seqs, seq)
				got, found, err := tx.Get("thing", id)
				if err != nil || !found || !bytes.Equal(got.Data, datas[i]) || got.Seq != seq {
					return fmt.Errorf("get %q in the transaction: %+v %v %v", id, got, found, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		f, err := s.ReadFeed(ctx, csm1, seqs[0]-1, 0, 100)
		if err != nil || len(f.Changes) != len(ids) {
			t.Fatalf("feed: %d changes, %v", len(f.Changes), err)
		}
		for i, c := range f.Changes {
			if c.ID != ids[i] || c.Seq != seqs[i] || !bytes.Equal(c.Data, datas[i]) {
				t.Errorf("change %d: %q seq %d %q, want %q seq %d %q", i, c.ID, c.Seq, cut(c.Data), ids[i], seqs[i], cut(datas[i]))
			}
		}
		err = s.Write(ctx, csm1, func(tx BookTx) error {
			for _, id := range ids {
				if taken, err := tx.IDTaken("thing", id); err != nil || !taken {
					return fmt.Errorf("IDTaken(%q) = %v, %v", id, taken, err)
				}
			}
			if err := tx.SaveResult(ids[0], MutationResult{ID: ids[0], Status: StatusApplied, Seq: 7}); err != nil {
				return err
			}
			if r, ok, err := tx.Result(ids[0]); err != nil || !ok || r.ID != ids[0] || r.Seq != 7 {
				return fmt.Errorf("result of %q: %+v %v %v", ids[0], r, ok, err)
			}
			at := time.Date(2026, 11, 23, 10, 15, 0, 123456789, time.FixedZone("X", 3600))
			if err := tx.SetLastWrite(ids[1], at); err != nil {
				return err
			}
			if got, ok, err := tx.LastWrite(ids[1]); err != nil || !ok || !got.Equal(at) {
				return fmt.Errorf("last write: %v %v %v, want %v", got, ok, err, at)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func cut(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// TestSQLStoreWriteIsAllOrNothing: a transaction whose fn fails leaves no
// trace, and its error comes back as it was.
func TestSQLStoreWriteIsAllOrNothing(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		ctx := context.Background()
		s := newTestStore(t, kind, []Tenant{{Token: tok1, Book: fixtureBook(csm1)}, {Token: tok2, Book: fixtureBook(csm2)}})
		before, _ := s.ReadFeed(ctx, csm1, 0, 0, 1000)
		boom := errors.New("boom")
		err := s.Write(ctx, csm1, func(tx BookTx) error {
			if _, err := tx.Put(EntityFeature, "sso", json.RawMessage(`{}`)); err != nil {
				return err
			}
			if _, err := tx.Delete(EntityAccount, csm1+"-a1"); err != nil {
				return err
			}
			if err := tx.SaveResult("m1", MutationResult{ID: "m1", Status: StatusApplied}); err != nil {
				return err
			}
			if err := tx.SetLastWrite("t", serverNow); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Write returned %v, want fn's error", err)
		}
		after, _ := s.ReadFeed(ctx, csm1, 0, 0, 1000)
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("a failed write changed the feed:\n%+v\n%+v", before, after)
		}
		if n, _ := s.AppliedCount(ctx, csm1); n != 0 {
			t.Fatalf("AppliedCount %d after a failed write", n)
		}
		err = s.Write(ctx, csm1, func(tx BookTx) error {
			if _, ok, err := tx.Result("m1"); ok || err != nil {
				return fmt.Errorf("result survived: %v %v", ok, err)
			}
			if _, ok, err := tx.LastWrite("t"); ok || err != nil {
				return fmt.Errorf("last write survived: %v %v", ok, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		for name, call := range map[string]func() error{
			"Write":        func() error { return s.Write(ctx, "nobody", func(BookTx) error { return nil }) },
			"ReadFeed":     func() error { _, err := s.ReadFeed(ctx, "nobody", 0, 0, 1); return err },
			"ReadBook":     func() error { _, err := s.ReadBook(ctx, "nobody"); return err },
			"Compact":      func() error { return s.Compact(ctx, "nobody") },
			"AppliedCount": func() error { _, err := s.AppliedCount(ctx, "nobody"); return err },
		} {
			if err := call(); !errors.Is(err, ErrNoCSM) {
				t.Errorf("%s of an unknown CSM: %v, want ErrNoCSM", name, err)
			}
		}

		ts, ok := s.(TeamStore)
		if !ok {
			return // the memory store has one book per transaction
		}
		head := func(id string) int64 {
			f, err := s.ReadFeed(ctx, id, 0, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			return f.Head
		}
		h1, h2 := head(csm1), head(csm2)
		err = ts.WriteBooks(ctx, []string{csm2, csm1, csm2}, func(books map[string]BookTx) error {
			if len(books) != 2 || books[csm1].CSM().ID != csm1 || books[csm2].CSM().ID != csm2 {
				return fmt.Errorf("books %v", books)
			}
			for _, b := range books {
				if _, err := b.Put(EntityFeature, "sso", json.RawMessage(`{"key":"sso","name":"SSO","high_value":false}`)); err != nil {
					return err
				}
			}
			return boom
		})
		if !errors.Is(err, boom) || head(csm1) != h1 || head(csm2) != h2 {
			t.Fatalf("WriteBooks that failed: %v, heads %d %d, want %d %d", err, head(csm1), head(csm2), h1, h2)
		}
		if err := ts.WriteBooks(ctx, []string{csm1, "nobody"}, func(map[string]BookTx) error { return nil }); !errors.Is(err, ErrNoCSM) {
			t.Fatalf("WriteBooks with an unknown CSM: %v", err)
		}
		err = ts.WriteBooks(ctx, []string{csm2, csm1}, func(books map[string]BookTx) error {
			for _, b := range books {
				if _, err := b.Put(EntityFeature, "sso", json.RawMessage(`{"key":"sso","name":"SSO","high_value":false}`)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || head(csm1) != h1+1 || head(csm2) != h2+1 {
			t.Fatalf("WriteBooks: %v, heads %d %d, want %d %d", err, head(csm1), head(csm2), h1+1, h2+1)
		}
	})
}

// TestSQLStoreMatchesMemory applies one random history of puts, deletes
// and compactions to the memory store and to each SQL store, and reads
// the feed at many cursors: every answer must be the memory store's.
func TestSQLStoreMatchesMemory(t *testing.T) {
	forEachStore(t, sqlStoreKinds, func(t *testing.T, kind storeKind) {
		ctx := context.Background()
		tenants := []Tenant{{Token: tok1, Book: fixtureBook(csm1)}}
		mem := NewMemoryStore(tenants)
		sq := newTestStore(t, kind, tenants)
		rng := rand.New(rand.NewPCG(7, uint64(len(kind))))
		ids := []string{"a", "b", "c", "d", csm1 + "-a1", csm1 + "-n1"}
		entities := []string{EntityNote, EntityAccount}
		for step := range 150 {
			entity, id := entities[rng.IntN(2)], ids[rng.IntN(len(ids))]
			op := rng.IntN(10)
			for _, s := range []ServerStore{mem, sq} {
				var err error
				switch {
				case op == 0:
					err = s.Compact(ctx, csm1)
				case op < 4:
					err = s.Write(ctx, csm1, func(tx BookTx) error {
						_, err := tx.Delete(entity, id)
						return err
					})
				default:
					err = s.Write(ctx, csm1, func(tx BookTx) error {
						_, err := tx.Put(entity, id, json.RawMessage(fmt.Sprintf(`{"step":%d}`, step)))
						return err
					})
				}
				if err != nil {
					t.Fatalf("step %d: %v", step, err)
				}
			}
			if step%10 != 9 {
				continue
			}
			want, _ := mem.ReadFeed(ctx, csm1, 0, 0, 1)
			for range 20 {
				after, fullAt := rng.Int64N(want.Head+2), rng.Int64N(want.Head+2)
				if rng.IntN(4) == 0 {
					fullAt = 1<<63 - 1
				}
				limit := 1 + rng.IntN(8)
				w, werr := mem.ReadFeed(ctx, csm1, after, fullAt, limit)
				g, gerr := sq.ReadFeed(ctx, csm1, after, fullAt, limit)
				if werr != nil || gerr != nil || !reflect.DeepEqual(g, w) {
					t.Fatalf("step %d, ReadFeed(%d, %d, %d):\n got  %+v (%v)\n want %+v (%v)", step, after, fullAt, limit, g, gerr, w, werr)
				}
			}
			wb, _ := mem.ReadBook(ctx, csm1)
			gb, err := sq.ReadBook(ctx, csm1)
			if err != nil || !reflect.DeepEqual(gb, wb) {
				t.Fatalf("step %d, ReadBook:\n got  %+v (%v)\n want %+v", step, gb, err, wb)
			}
		}
	})
}

// TestIDTakenAcrossBooksAtOnce: two books create a note of one id at the
// same instant; ids are global, so one is applied and the other refused.
func TestIDTakenAcrossBooksAtOnce(t *testing.T) {
	forEachStore(t, allStoreKinds, func(t *testing.T, kind storeKind) {
		ctx := context.Background()
		s, ts := newTestServerOn(t, kind)
		clients := map[string]*Client{}
		for _, tok := range []string{tok1, tok2} {
			c, err := NewClient(ts.URL, tok, WithRetry(Retry{Attempts: 5, Base: time.Millisecond, Max: 20 * time.Millisecond}))
			if err != nil {
				t.Fatal(err)
			}
			clients[tok] = c
		}
		for k := range 20 {
			id := fmt.Sprintf("n-shared-%d", k)
			var r1, r2 MutationsResponse
			var e1, e2 error
			var wg gosync.WaitGroup
			wg.Go(func() { r1, e1 = clients[tok1].PushMutations(ctx, []Mutation{noteMutation(id, csm1+"-a1")}) })
			wg.Go(func() { r2, e2 = clients[tok2].PushMutations(ctx, []Mutation{noteMutation(id, csm2+"-a1")}) })
			wg.Wait()
			if e1 != nil || e2 != nil {
				t.Fatalf("push: %v, %v", e1, e2)
			}
			a, b := r1.Results[0], r2.Results[0]
			applied, refused := a, b
			if a.Status != StatusApplied {
				applied, refused = b, a
			}
			if applied.Status != StatusApplied || refused.Status != StatusRejected || refused.Error == nil || refused.Error.Code != CodeConflict {
				t.Fatalf("note %s created by two books at once: %+v and %+v, want one applied, one conflict", id, a, b)
			}
		}
		n1, n2 := len(s.Book(csm1).Notes), len(s.Book(csm2).Notes)
		if n1+n2 != 2+20 {
			t.Fatalf("the books hold %d and %d notes, want 22 in all", n1, n2)
		}
	})
}
