package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"csm/model"
)

// countingWriter counts what a handler writes on the wire.
type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(b []byte) (int, error) {
	w.n.Add(int64(len(b)))
	return w.ResponseWriter.Write(b)
}

// The feed travels gzipped: the transport asks for it, the reference
// server sends it, and the client reads the decompressed page.
func TestFeedTravelsGzipped(t *testing.T) {
	var asked, encoded atomic.Value
	var wire atomic.Int64
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/changes") {
				next.ServeHTTP(w, r)
				return
			}
			asked.Store(r.Header.Get("Accept-Encoding"))
			next.ServeHTTP(countingWriter{w, &wire}, r)
			encoded.Store(w.Header().Get("Content-Encoding"))
		})
	}
	f := newFixture(t, 20, wrap)
	page, err := f.client(t).Changes(context.Background(), "", 5000)
	if err != nil {
		t.Fatal(err)
	}
	if asked.Load() != "gzip" || encoded.Load() != "gzip" {
		t.Fatalf("Accept-Encoding %q, Content-Encoding %q: want gzip both", asked.Load(), encoded.Load())
	}
	plain, err := jsonLen(page)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) < 100 || wire.Load()*3 > int64(plain) {
		t.Errorf("%d changes, %d bytes on the wire for %d of JSON: not compressed", len(page.Changes), wire.Load(), plain)
	}
}

// A server made ServerUncompressed (the demo's, in the cockpit's own
// process) answers in plain JSON though the client asks for gzip, and the
// client reads it all the same.
func TestUncompressedServerSendsPlainJSON(t *testing.T) {
	books := model.Generate(model.GenOptions{Seed: 3, Accounts: 10, Days: 30, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})
	var asked, encoded atomic.Value
	h := NewServer([]Tenant{{Token: testToken, Book: books[0]}}, ServerUncompressed()).Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Store(r.Header.Get("Accept-Encoding"))
		h.ServeHTTP(w, r)
		encoded.Store(w.Header().Get("Content-Encoding"))
	}))
	t.Cleanup(hs.Close)
	c, err := NewClient(hs.URL, testToken)
	if err != nil {
		t.Fatal(err)
	}
	page, err := c.Changes(context.Background(), "", 5000)
	if err != nil {
		t.Fatal(err)
	}
	if asked.Load() != "gzip" || encoded.Load() != "" {
		t.Fatalf("Accept-Encoding %q, Content-Encoding %q: want gzip asked, nothing sent", asked.Load(), encoded.Load())
	}
	if len(page.Changes) < 50 {
		t.Fatalf("%d changes read", len(page.Changes))
	}
}

func jsonLen(p Page) (int, error) {
	var b bytes.Buffer
	_, err := b.Write(appendPage(nil, p))
	return b.Len(), err
}

// A gzip bomb, a few kilobytes that inflate past MaxResponseBytes, is cut
// off at the cap: ErrTooLarge, not gigabytes in memory.
func TestGzipBombIsCutAtTheCap(t *testing.T) {
	var bomb bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&bomb, gzip.BestSpeed)
	zeros := make([]byte, 1<<20)
	for written := 0; written <= MaxResponseBytes; written += len(zeros) {
		gz.Write(zeros)
	}
	gz.Close()
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/changes") {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			io.Copy(w, bytes.NewReader(bomb.Bytes()))
		})
	}
	f := newFixture(t, 2, wrap)
	c, err := NewClient(f.http.URL, testToken, WithRetry(Retry{Attempts: 1}), WithTimeout(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Changes(context.Background(), "", 10)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("a %d KiB bomb: %v, want ErrTooLarge", bomb.Len()>>10, err)
	}
}
