package sync

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	gosync "sync"
	"testing"
	"time"

	"csm/benchcpu"
	"csm/data"
	"csm/model"
)

// Run with: go test ./sync -run '^$' -bench . -benchtime 3x

// benchServer is a reference server on loopback with a generated book of n
// accounts and a year of usage, built once per size for all benchmarks.
type benchServer struct {
	srv  *Server
	http *httptest.Server
	csm  string
}

var (
	benchMu      gosync.Mutex
	benchServers = map[int]*benchServer{}
)

func serverFor(b *testing.B, n int) *benchServer {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if s, ok := benchServers[n]; ok {
		return s
	}
	book := model.Generate(model.GenOptions{Seed: 1, Accounts: n, Days: 365, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	srv := NewServer([]Tenant{{Token: testToken, Book: book}})
	s := &benchServer{srv: srv, http: httptest.NewServer(srv.Handler()), csm: book.CSM.ID}
	benchServers[n] = s
	return s
}

func benchClient(b *testing.B, url string) *Client {
	b.Helper()
	c, err := NewClient(url, testToken, WithTimeout(5*time.Minute))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func benchStore(b *testing.B) (*data.Store, string) {
	b.Helper()
	path := filepath.Join(b.TempDir(), fmt.Sprintf("bench-%d.db", time.Now().UnixNano()))
	st, err := data.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	return st, path
}

// BenchmarkDecodeFeed is the floor: every page of a full feed fetched and
// decoded into model values, nothing stored.
func BenchmarkDecodeFeed(b *testing.B) {
	for _, n := range []int{200, 5000} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			s := serverFor(b, n)
			c := benchClient(b, s.http.URL)
			ctx := context.Background()
			b.ResetTimer()
			defer benchcpu.Start(b)()
			var changes int
			for i := 0; i < b.N; i++ {
				changes = 0
				cursor := ""
				for {
					p, err := c.Changes(ctx, cursor, PullPageLimit)
					if err != nil {
						b.Fatal(err)
					}
					cs, invalid := decodePage(p)
					if len(invalid) > 0 {
						b.Fatalf("invalid: %v", invalid[0])
					}
					changes += len(cs)
					if !p.HasMore {
						break
					}
					cursor = p.NextCursor
				}
			}
			b.ReportMetric(float64(changes)*float64(b.N)/b.Elapsed().Seconds(), "changes/s")
		})
	}
}

// BenchmarkSyncFull is a first sync into a fresh database, metrics included.
func BenchmarkSyncFull(b *testing.B) {
	for _, n := range []int{200, 1000, 5000} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			s := serverFor(b, n)
			c := benchClient(b, s.http.URL)
			ctx := context.Background()
			var size int64
			defer benchcpu.Start(b)()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st, path := benchStore(b)
				b.StartTimer()
				if _, err := Run(ctx, c, st); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				st.Close()
				size = fileSize(path)
				os.Remove(path)
				b.StartTimer()
			}
			b.ReportMetric(float64(size)/(1<<20), "MB-db")
		})
	}
}

func fileSize(path string) int64 {
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// BenchmarkSyncNoop is a sync when nothing changed on either side.
func BenchmarkSyncNoop(b *testing.B) {
	for _, n := range []int{200, 5000} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			s := serverFor(b, n)
			c := benchClient(b, s.http.URL)
			ctx := context.Background()
			st, _ := benchStore(b)
			defer st.Close()
			if _, err := Run(ctx, c, st); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				sum, err := Run(ctx, c, st)
				if err != nil {
					b.Fatal(err)
				}
				if sum.Pull.Changes != 0 {
					b.Fatalf("noop sync pulled %d changes", sum.Pull.Changes)
				}
			}
		})
	}
}

// BenchmarkPush pushes 1,000 queued changes (notes and ticks) to the server.
func BenchmarkPush(b *testing.B) {
	b.Run("mutations=1000", func(b *testing.B) {
		s := serverFor(b, 200)
		c := benchClient(b, s.http.URL)
		ctx := context.Background()
		st, _ := benchStore(b)
		defer st.Close()
		if _, err := Run(ctx, c, st); err != nil {
			b.Fatal(err)
		}
		snap, err := st.Snapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		list := snap.Checklists[0]
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			for j := 0; j < 1000; j++ {
				a := snap.Accounts[j%len(snap.Accounts)]
				var err error
				if j%2 == 0 {
					_, err = st.CreateNote(ctx, data.NewNote{AccountID: a.ID, Kind: model.NoteCall, HappenedAt: time.Now(), Body: fmt.Sprintf("bench note %d", j)})
				} else {
					err = st.SetChecklistItem(ctx, a.ID, list.Key, list.Items[j%len(list.Items)].Key, j%4 == 1)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
			sum, err := Push(ctx, c, st)
			if err != nil {
				b.Fatal(err)
			}
			if sum.Pushed != 1000 {
				b.Fatalf("pushed %d, want 1000", sum.Pushed)
			}
		}
	})
}

// BenchmarkServeFullSync is one CSM's full sync of 1,000 accounts served over
// loopback from each kind of team store, the client doing nothing but read
// the bytes (and find the next cursor at the page's end). PostgreSQL runs
// with CSM_TEST_POSTGRES set (see .ci/postgres) and is skipped without it.
func BenchmarkServeFullSync(b *testing.B) {
	book := model.Generate(model.GenOptions{Seed: 1, Accounts: 1000, Days: 365, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	tenants := []Tenant{{Token: testToken, Book: book}}
	for _, kind := range allStoreKinds {
		b.Run("store="+string(kind), func(b *testing.B) {
			store := benchServerStore(b, kind, tenants)
			ts := httptest.NewServer(NewServerWith(store).Handler())
			defer ts.Close()
			var bytesRead int64
			b.ResetTimer()
			defer benchcpu.Start(b)()
			for i := 0; i < b.N; i++ {
				bytesRead = readFullFeed(b, ts.URL)
			}
			b.ReportMetric(float64(bytesRead)/(1<<20), "MB-feed")
		})
	}
}

// readFullFeed fetches every page of a full sync as a client would (gzip
// accepted, undone by the transport) and returns the bytes of JSON read.
func readFullFeed(b *testing.B, base string) int64 {
	b.Helper()
	var total int64
	cursor := ""
	for range maxPages {
		u := base + APIPrefix + "/changes?limit=" + strconv.Itoa(PullPageLimit)
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("page %q: %d %v", cursor, resp.StatusCode, err)
		}
		total += int64(len(body))
		// The page ends with the cursor and has_more (appendPage): the
		// tail is read, not the whole page.
		tail := body[bytes.LastIndex(body, []byte(`],"next_cursor":`))+1:]
		var end struct {
			NextCursor string `json:"next_cursor"`
			HasMore    bool   `json:"has_more"`
		}
		if err := json.Unmarshal(append([]byte("{"), tail[1:]...), &end); err != nil {
			b.Fatalf("page end %q: %v", tail, err)
		}
		if !end.HasMore {
			return total
		}
		cursor = end.NextCursor
	}
	b.Fatal("the feed did not end")
	return total
}

// benchServerStore is a team store of kind holding tenants, closed when
// the benchmark ends.
func benchServerStore(b *testing.B, kind storeKind, tenants []Tenant) ServerStore {
	b.Helper()
	if kind == storeMemory {
		return NewMemoryStore(tenants)
	}
	var dbURL string
	switch kind {
	case storeSQLite:
		dbURL = "sqlite:" + filepath.Join(b.TempDir(), "server.db")
	case storePostgres:
		dbURL = benchPostgresURL(b)
	}
	s, err := OpenSQLStore(context.Background(), dbURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.SeedTenants(context.Background(), tenants); err != nil {
		b.Fatalf("seed: %v", err)
	}
	return s
}

// benchPostgresURL is postgresTestURL's schema of its own, for a benchmark.
func benchPostgresURL(b *testing.B) string {
	b.Helper()
	base := os.Getenv(envTestPostgres)
	if base == "" {
		b.Skip(envTestPostgres + " is not set: run `eval \"$(.ci/postgres start)\"` first")
	}
	u, err := url.Parse(base)
	if err != nil {
		b.Fatalf("%s: %v", envTestPostgres, err)
	}
	schema := fmt.Sprintf("csm_bench_%d", time.Now().UnixNano())
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		b.Fatalf("make a schema: %v", err)
	}
	b.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			b.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
