package sync

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A page over MaxResponseBytes is asked for again in halves instead of
// being retried as it is, forever.
func TestPullHalvesTheLimitOfPagesTooLarge(t *testing.T) {
	var limits []int
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/changes") {
				next.ServeHTTP(w, r)
				return
			}
			limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
			limits = append(limits, limit)
			if limit > 500 {
				w.Header().Set("Content-Type", "application/json")
				w.Write(bytes.Repeat([]byte(" "), MaxResponseBytes+1))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	f := newFixture(t, 4, wrap)
	// Each refused page is 64 MiB read to its end: under the race
	// detector on a busy machine that takes longer than the fixture's
	// 5 s request timeout.
	c, err := NewClient(f.http.URL, testToken,
		WithRetry(Retry{Attempts: 5, Base: time.Millisecond, Max: 20 * time.Millisecond}), WithTimeout(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Pull(context.Background(), c, f.store, 2000)
	if err != nil {
		t.Fatalf("pull: %v", err)
	}
	if len(limits) < 3 || limits[0] != 2000 || limits[1] != 1000 || limits[2] != 500 {
		t.Fatalf("limits asked: %v, want 2000, 1000, 500…", limits)
	}
	if sum.Changes == 0 {
		t.Fatal("nothing pulled after halving")
	}
	f.requireSameBook(t)
}
