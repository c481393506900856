package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

// pushFaults wraps the server's handler so that POST /mutations requests
// meet a planned list of outcomes, one each, then behave.
type pushFaults struct {
	mu       gosync.Mutex
	plan     []string // outcomes of the next requests, in order
	met      map[string]int
	maxBatch int // the most mutations one request carried
}

// The outcomes of a request, by where the connection dies.
const (
	faultPass    = "pass"    // no fault
	faultDrop    = "drop"    // before the server reads the body: nothing applied
	fault503     = "503"     // the server is unavailable: nothing applied
	faultCut     = "cut"     // applied, then the connection drops before the answer
	faultHalf    = "half"    // applied, then half the answer and the connection drops
	faultGarbage = "garbage" // applied, then a mangled 200 answer
)

func (pf *pushFaults) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/mutations") {
			next.ServeHTTP(w, r)
			return
		}
		pf.mu.Lock()
		fault := faultPass
		if len(pf.plan) > 0 {
			fault, pf.plan = pf.plan[0], pf.plan[1:]
		}
		pf.met[fault]++
		pf.mu.Unlock()

		switch fault {
		case faultDrop:
			hijackClose(w)
			return
		case fault503:
			http.Error(w, `{"error":{"code":"unavailable","message":"try later"}}`, http.StatusServiceUnavailable)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var req struct {
			Mutations []json.RawMessage `json:"mutations"`
		}
		if json.Unmarshal(body, &req) == nil {
			pf.mu.Lock()
			pf.maxBatch = max(pf.maxBatch, len(req.Mutations))
			pf.mu.Unlock()
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		switch fault {
		case faultPass:
			next.ServeHTTP(w, r)
		case faultCut:
			next.ServeHTTP(httptest.NewRecorder(), r)
			hijackClose(w)
		case faultHalf:
			rec := httptest.NewRecorder()
			r.Header.Del("Accept-Encoding")
			next.ServeHTTP(rec, r)
			answer := rec.Body.Bytes()
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				panic(err)
			}
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(answer)) + "\r\n\r\n")
			buf.Write(answer[:len(answer)/2])
			buf.Flush()
			conn.Close()
		case faultGarbage:
			next.ServeHTTP(httptest.NewRecorder(), r)
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"results": [{"id": "`))
		}
	})
}

func hijackClose(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

// TestFaultsWhilePushingRandomized queues 1,200 changes (three batches)
// and pushes them through a network that fails at random points, before
// and after the server applied a batch, over several rounds: in the end
// the server applied each change exactly once and the outbox is empty.
//
// Replay a failure with CSM_FAULT_SEED=<the logged seed>.
func TestFaultsWhilePushingRandomized(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("CSM_FAULT_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	// Six of each fault and two passes, in a random order. The three
	// batches need three passes, so the push cannot end before every fault
	// was met; where the passes fall decides which batch meets which faults.
	plan := []string{faultPass, faultPass}
	for range 6 {
		plan = append(plan, faultDrop, fault503, faultCut, faultHalf, faultGarbage)
	}
	rng.Shuffle(len(plan), func(i, j int) { plan[i], plan[j] = plan[j], plan[i] })
	pf := &pushFaults{plan: plan, met: map[string]int{}}
	f := newFixture(t, 4, pf.wrap)
	ctx := context.Background()
	c, err := NewClient(f.http.URL, testToken,
		WithRetry(Retry{Attempts: 3, Base: time.Millisecond, Max: 5 * time.Millisecond}), WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Pull(ctx, c, f.store, 0); err != nil {
		t.Fatal(err)
	}

	// 100 notes with eleven next steps each: 1,200 changes. Twelve
	// changes a note do not divide 500, so a batch ends inside a note and
	// its last tasks go in the next batch, after their note.
	queueStart := time.Now()
	accts, err := f.store.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		var steps []data.NextStep
		for j := range 11 {
			steps = append(steps, data.NextStep{Title: fmt.Sprintf("Step %d of meeting %d", j+1, i)})
		}
		if _, err := f.store.CreateNote(ctx, data.NewNote{AccountID: accts[i%len(accts)].ID, Kind: model.NoteMeeting,
			HappenedAt: time.Now(), Body: fmt.Sprintf("Meeting %d", i), NextSteps: steps, Author: "fault-test"}); err != nil {
			t.Fatal(err)
		}
	}
	local := checkNotesWhole(t, f.store, nil, "fault-test")
	if local.outbox != 1200 {
		t.Fatalf("queued %d changes, want 1200", local.outbox)
	}
	t.Logf("queued %d changes in %s", local.outbox, time.Since(queueStart).Round(time.Millisecond))

	before := f.srv.MutationCount(f.csm)
	pushStart := time.Now()
	rounds, failed := 0, 0
	for rounds < 100 {
		rounds++
		_, err := Push(ctx, c, f.store)
		if err == nil {
			break
		}
		failed++
	}
	pf.mu.Lock()
	left, met, maxBatch := len(pf.plan), pf.met, pf.maxBatch
	pf.mu.Unlock()
	t.Logf("pushed in %s: %d rounds, %d gave up; requests by outcome %v; largest batch %d",
		time.Since(pushStart).Round(time.Millisecond), rounds, failed, met, maxBatch)
	if left != 0 || failed == 0 || met[faultPass] < 3 {
		t.Fatalf("%d faults never met, %d rounds failed: the faults were not exercised", left, failed)
	}
	if maxBatch != MaxMutationsBatch {
		t.Fatalf("largest batch %d, want %d", maxBatch, MaxMutationsBatch)
	}
	if got := f.srv.MutationCount(f.csm) - before; got != local.outbox {
		t.Fatalf("server applied %d mutations, want each of %d once", got, local.outbox)
	}
	if p, r := pendingCount(t, f.store); p+r != 0 {
		t.Fatalf("outbox after the faults: %d pending, %d rejected", p, r)
	}
	serverHasNotesOnce(t, f, local, "fault-test")
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	f.requireSameBook(t)
}

// TestConcurrentWritersLoseNothing runs two processes writing 200 notes
// each to one database at the same time, while this one reads the book in
// a loop: all 400 are saved, neither writer ever sees an error (such as
// "database is locked"), and the file is intact.
func TestConcurrentWritersLoseNothing(t *testing.T) {
	perChild := 200
	// CSM_CONCURRENT_NOTES runs longer bursts, to see how long a writer
	// can be kept waiting.
	if n, err := strconv.Atoi(os.Getenv("CSM_CONCURRENT_NOTES")); err == nil && n > 0 {
		perChild = n
	}
	f := newFixture(t, 20, nil)
	ctx := context.Background()
	c := f.client(t)
	// A full sync, so the reader below also reads computed metrics.
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	path := f.store.Path()
	a := startChild(t, path, "writer-a", perChild)
	b := startChild(t, path, "writer-b", perChild)
	a.waitReady(t)
	b.waitReady(t)

	// The reader: what the TUI does while a second csm writes.
	stop := make(chan struct{})
	var reads atomic.Int64
	var readErr error
	var wg gosync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := f.store.Book(ctx); err != nil {
				readErr = err
				return
			}
			snap, err := f.store.Snapshot(ctx)
			if err != nil {
				readErr = err
				return
			}
			if _, err := f.store.AccountDetail(ctx, snap.Accounts[int(reads.Load())%len(snap.Accounts)].ID); err != nil {
				readErr = err
				return
			}
			if _, _, err := f.store.OutboxCounts(ctx); err != nil {
				readErr = err
				return
			}
			reads.Add(1)
		}
	})

	start := time.Now()
	a.begin(t)
	b.begin(t)
	errA, errB := a.wait(), b.wait()
	took := time.Since(start)
	close(stop)
	wg.Wait()
	for name, ch := range map[string]*child{"a": a, "b": b} {
		if len(ch.errors) > 0 || len(ch.acked()) != perChild {
			t.Errorf("writer %s saved %d of %d notes: %s", name, len(ch.acked()), perChild, ch.report())
		}
	}
	if errA != nil || errB != nil {
		t.Fatalf("writers exited with %v / %v: %s / %s", errA, errB, a.report(), b.report())
	}
	if readErr != nil {
		t.Fatalf("the reader failed after %d reads: %v", reads.Load(), readErr)
	}
	if t.Failed() {
		t.FailNow()
	}
	local := checkNotesWhole(t, f.store, append(a.acked(), b.acked()...), "writer-a", "writer-b")
	if local.notes != 2*perChild {
		t.Fatalf("database holds %d notes of the writers, want %d", local.notes, 2*perChild)
	}
	// How often the writers took turns, in the order the outbox saved them:
	// a few turns means they really wrote at the same time.
	turns := interleaving(t, f.store, a.acked())
	t.Logf("2 writers x %d notes in %s (%.1f ms/note), slowest save %s, %d reads meanwhile, %d turns between writers, outbox %d",
		perChild, took.Round(time.Millisecond), float64(took.Microseconds())/1000/float64(2*perChild),
		max(a.slowest, b.slowest).Round(time.Millisecond), reads.Load(), turns, local.outbox)

	before := f.srv.MutationCount(f.csm)
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	if got := f.srv.MutationCount(f.csm) - before; got != local.outbox {
		t.Fatalf("server applied %d mutations, want %d", got, local.outbox)
	}
	serverHasNotesOnce(t, f, local, "writer-a", "writer-b")
	f.requireSameBook(t)
}

// interleaving counts how often, in the outbox's order, a note of one
// writer follows a note of the other.
func interleaving(t *testing.T, st *data.Store, idsOfA []string) int {
	t.Helper()
	isA := map[string]bool{}
	for _, id := range idsOfA {
		isA[id] = true
	}
	pending, err := st.Pending(context.Background(), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	turns, last := 0, ""
	for _, m := range pending {
		if m.Type != model.MutNoteCreate {
			continue
		}
		who := "b"
		if isA[m.EntityID] {
			who = "a"
		}
		if last != "" && who != last {
			turns++
		}
		last = who
	}
	return turns
}
