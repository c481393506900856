package sync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	gosync "sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestProgressWords(t *testing.T) {
	tests := []struct {
		p    Progress
		want string
	}{
		{Progress{Phase: PhasePull, Pages: 3, Changes: 15000, Percent: 42, Full: true}, "pulling the full book: 3 pages, 15000 changes (42%)"},
		{Progress{Phase: PhasePull, Pages: 1, Changes: 1, Percent: -1}, "pulling: 1 page, 1 change"},
		{Progress{Phase: PhasePush, Pushed: 500, ToPush: 1200, Percent: -1}, "sending 500 of 1200 changes"},
		{Progress{Phase: PhaseRetry, Retry: "server answered 503, retrying in 2s (try 3 of 6)"}, "server answered 503, retrying in 2s (try 3 of 6)"},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestFeedPercent(t *testing.T) {
	tests := []struct {
		from, at, head int64
		last           bool
		want           int
	}{
		{0, 5000, 20000, false, 25},
		{10000, 15000, 20000, false, 50},
		{0, 20000, 20000, false, 99}, // not done until the last page
		{0, 5000, 0, false, -1},      // the server does not say
		{0, 5000, 0, true, 100},
		{30000, 5000, 20000, false, -1}, // a head behind the walk says nothing
	}
	for _, tc := range tests {
		if got := feedPercent(tc.from, tc.at, tc.head, tc.last); got != tc.want {
			t.Errorf("feedPercent(%d, %d, %d, %v) = %d, want %d", tc.from, tc.at, tc.head, tc.last, got, tc.want)
		}
	}
}

func TestRetryWords(t *testing.T) {
	refused := fmt.Errorf("GET /changes: %w", syscall.ECONNREFUSED)
	tests := []struct {
		err  error
		wait time.Duration
		want string
	}{
		{refused, 2 * time.Second, "server unreachable, retrying in 2s (try 3 of 6)"},
		{fmt.Errorf("x: %w", &StatusError{Status: 503}), 1400 * time.Millisecond, "server answered 503, retrying in 1s (try 3 of 6)"},
		{&retryAfter{err: &StatusError{Status: 429}}, 10 * time.Second, "server busy (429), retrying in 10s (try 3 of 6)"},
		{context.DeadlineExceeded, 300 * time.Millisecond, "no answer in time, retrying in 300ms (try 3 of 6)"},
		{errors.New("GET /changes: malformed answer: eof"), time.Second, "answer garbled, retrying in 1s (try 3 of 6)"},
		{errors.New("EOF"), time.Second, "connection lost, retrying in 1s (try 3 of 6)"},
	}
	for _, tc := range tests {
		if got := retryWords(tc.err, tc.wait, 3, 6); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

// On a terminal the line is redrawn in place and cleared at the end; in a
// pipe, plain lines, at most one per interval (retries always).
func TestMeter(t *testing.T) {
	clock := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	pull := func(pages, pct int) Progress {
		return Progress{Phase: PhasePull, Pages: pages, Changes: pages * 5000, Percent: pct, Full: true}
	}

	var term strings.Builder
	m := NewMeter(&term, true)
	m.now = now
	m.Report(pull(1, 33))
	clock = clock.Add(10 * time.Millisecond)
	m.Report(pull(2, 66)) // too soon after: skipped
	m.Report(pull(3, 100))
	m.Done()
	want := "\rcsm: pulling the full book: 1 page, 5000 changes (33%)" +
		"\rcsm: pulling the full book: 3 pages, 15000 changes (100%)" + strings.Repeat(" ", 0) +
		"\r" + strings.Repeat(" ", len("csm: pulling the full book: 3 pages, 15000 changes (100%)")) + "\r"
	if term.String() != want {
		t.Errorf("terminal:\n%q\nwant\n%q", term.String(), want)
	}

	var pipe strings.Builder
	m = NewMeter(&pipe, false)
	m.now = now
	m.Report(pull(1, 33))
	clock = clock.Add(time.Second)
	m.Report(pull(2, 66)) // within the interval: skipped
	m.Report(Progress{Phase: PhaseRetry, Retry: "server answered 503, retrying in 1s (try 2 of 6)"})
	clock = clock.Add(2 * time.Second)
	m.Report(pull(3, 100))
	m.Done()
	want = "csm: pulling the full book: 1 page, 5000 changes (33%)\n" +
		"csm: server answered 503, retrying in 1s (try 2 of 6)\n" +
		"csm: pulling the full book: 3 pages, 15000 changes (100%)\n"
	if pipe.String() != want {
		t.Errorf("pipe:\n%q\nwant\n%q", pipe.String(), want)
	}
}

// A sync reports its push, its pages with a percentage, and what a retry
// waits for, through the context it runs under.
func TestRunReportsProgress(t *testing.T) {
	var failures atomic.Int32
	failures.Store(1)
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			smallPages(r)
			if strings.HasSuffix(r.URL.Path, "/changes") && failures.Add(-1) >= 0 {
				http.Error(w, `{"error":{"code":"unavailable","message":"restarting"}}`, http.StatusServiceUnavailable)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	f := newFixture(t, 40, wrap)
	var rec recorder
	sum, err := Run(WithProgress(context.Background(), rec.add), f.client(t), f.store)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Pull.Pages < 2 {
		t.Fatalf("%d pages: the test needs several", sum.Pull.Pages)
	}
	got := rec.all()
	var lines []string
	pulls := 0
	for _, p := range got {
		lines = append(lines, p.String())
		if p.Phase == PhasePull {
			pulls++
		}
	}
	text := strings.Join(lines, "\n")
	if pulls != sum.Pull.Pages {
		t.Errorf("%d pull reports for %d pages:\n%s", pulls, sum.Pull.Pages, text)
	}
	if !strings.HasPrefix(got[0].Retry, "server answered 503, retrying in ") || !strings.HasSuffix(got[0].Retry, "(try 2 of 5)") {
		t.Errorf("the retry said %q", got[0].Retry)
	}
	first, last := got[1], got[len(got)-1]
	if first.Phase != PhasePull || first.Percent <= 0 || first.Percent >= 100 || !first.Full || first.Pages != 1 {
		t.Errorf("first page: %+v", first)
	}
	if last.Percent != 100 || last.Changes != sum.Pull.Changes || last.Pages != sum.Pull.Pages {
		t.Errorf("last page: %+v, summary %+v", last, sum.Pull)
	}

	// The next sync sends what was made here, and says so.
	book, err := f.store.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := f.store.CreateTask(context.Background(), book.Accounts[i].ID, "call back", nil); err != nil {
			t.Fatal(err)
		}
	}
	var again recorder
	if _, err := Run(WithProgress(context.Background(), again.add), f.client(t), f.store); err != nil {
		t.Fatal(err)
	}
	if got := again.all(); len(got) == 0 || got[0].String() != "sending 3 of 3 changes" {
		t.Errorf("the push reported %+v", got)
	}
}

// smallPages makes the server answer the feed in pages of 300 changes,
// whatever the client asked, so a small book has several.
func smallPages(r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/changes") {
		q := r.URL.Query()
		q.Set("limit", "300")
		r.URL.RawQuery = q.Encode()
	}
}

// recorder keeps what a sync reported (from any goroutine).
type recorder struct {
	mu  gosync.Mutex
	got []Progress
}

func (r *recorder) add(p Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, p)
}

func (r *recorder) all() []Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Progress(nil), r.got...)
}

// Without head_seq (another server) there is no percentage, and the rest
// of the progress still shows.
func TestProgressWithoutHeadSeq(t *testing.T) {
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			smallPages(r)
			rec := httptest.NewRecorder()
			r.Header.Del("Accept-Encoding")
			next.ServeHTTP(rec, r)
			body := rec.Body.String()
			if i := strings.LastIndex(body, `,"head_seq":`); i >= 0 {
				body = body[:i] + "}"
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			w.Write([]byte(body))
		})
	}
	f := newFixture(t, 40, wrap)
	var rec recorder
	if _, err := Pull(WithProgress(context.Background(), rec.add), f.client(t), f.store, 0); err != nil {
		t.Fatal(err)
	}
	got := rec.all()
	if len(got) < 2 || got[0].Percent != -1 || got[len(got)-1].Percent != 100 || got[0].Changes == 0 {
		t.Errorf("progress without head_seq: %+v", got)
	}
}
