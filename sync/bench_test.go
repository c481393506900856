package sync

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

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
