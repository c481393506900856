package sync

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

// offlineWork makes one of every kind of local change on the first account
// that has an onboarding checklist item to tick, and returns the count of
// mutations it queued.
func offlineWork(t *testing.T, st *data.Store) (accountID string, queued int) {
	t.Helper()
	ctx := context.Background()
	b, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := b.Accounts[0]
	due := model.MakeDate(2026, 12, 1)
	n, err := st.CreateNote(ctx, data.NewNote{AccountID: a.ID, Kind: model.NoteCall, HappenedAt: time.Now(),
		Body: "Call with the champion: rollout stalled in the EU team.", Author: "Dana",
		NextSteps: []data.NextStep{{Title: "Send training dates", DueOn: &due}, {Title: "Loop in the AE"}}})
	if err != nil {
		t.Fatal(err)
	}
	list := b.Checklists[0]
	if err := st.SetChecklistItem(ctx, a.ID, list.Key, list.Items[0].Key, true); err != nil {
		t.Fatal(err)
	}
	run, err := st.StartPlay(ctx, a.ID, b.Playbooks[0].Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPlayStep(ctx, run.ID, b.Playbooks[0].Steps[0].Key, true); err != nil {
		t.Fatal(err)
	}
	if err := st.ClosePlay(ctx, run.ID, "utilization back above 60%"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ReviseNote(ctx, n.ID, model.NoteCall, "Call with the champion: rollout stalled in the EU team (budget).", n.HappenedAt, n.NextSteps); err != nil {
		t.Fatal(err)
	}
	// note + 2 tasks + checklist + start + step + close + revise
	return a.ID, 8
}

func pendingCount(t *testing.T, st *data.Store) (int, int) {
	t.Helper()
	p, r, err := st.OutboxCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p, r
}

func TestOfflineWorkIsPushedExactlyOnce(t *testing.T) {
	f := newFixture(t, 6, nil)
	ctx := context.Background()
	c := f.client(t)
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	before := f.srv.MutationCount(f.csm)
	_, queued := offlineWork(t, f.store)
	if p, _ := pendingCount(t, f.store); p != queued {
		t.Fatalf("outbox holds %d changes, want %d", p, queued)
	}
	sum, err := Run(ctx, c, f.store)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Pushed != queued || sum.Rejected != 0 {
		t.Fatalf("pushed %d rejected %d, want %d and 0", sum.Pushed, sum.Rejected, queued)
	}
	if got := f.srv.MutationCount(f.csm) - before; got != queued {
		t.Fatalf("server applied %d mutations, want %d", got, queued)
	}
	if p, r := pendingCount(t, f.store); p+r != 0 {
		t.Fatalf("outbox after sync: %d pending, %d rejected", p, r)
	}
	// The pulled echo replaced the local rows: same ids, no doubles.
	f.requireSameBook(t)
	again, err := Run(ctx, c, f.store)
	if err != nil || again.Pushed != 0 {
		t.Fatalf("second sync pushed %d (%v)", again.Pushed, err)
	}
}

// cutAfterApply lets the server apply the first push, then drops the
// connection before the answer leaves, as a flaky network would.
func cutAfterApply(cuts *atomic.Int32) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/mutations") || cuts.Load() > 0 {
				next.ServeHTTP(w, r)
				return
			}
			cuts.Add(1)
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			next.ServeHTTP(httptest.NewRecorder(), r)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		})
	}
}

func TestLostAnswerIsAnsweredDuplicate(t *testing.T) {
	var cuts atomic.Int32
	f := newFixture(t, 4, cutAfterApply(&cuts))
	ctx := context.Background()
	c := f.client(t)
	if _, err := Pull(ctx, c, f.store, 0); err != nil {
		t.Fatal(err)
	}
	_, queued := offlineWork(t, f.store)
	before := f.srv.MutationCount(f.csm)
	sum, err := Run(ctx, c, f.store)
	if err != nil {
		t.Fatal(err)
	}
	if cuts.Load() != 1 {
		t.Fatal("the connection was never cut")
	}
	if sum.Pushed != queued {
		t.Fatalf("pushed %d, want %d (duplicates count as done)", sum.Pushed, queued)
	}
	if got := f.srv.MutationCount(f.csm) - before; got != queued {
		t.Fatalf("server applied %d mutations, want each of %d once", got, queued)
	}
	b := f.srv.Book(f.csm)
	calls := 0
	for _, n := range b.Notes {
		if strings.HasPrefix(n.Body, "Call with the champion: rollout stalled") && n.Revision == 1 {
			calls++
		}
	}
	if calls != 1 {
		t.Fatalf("the note is on the server %d times, want once", calls)
	}
	f.requireSameBook(t)
}

func TestPushHonoursRetryAfter(t *testing.T) {
	var busy atomic.Int32
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/mutations") && busy.Add(1) <= 2 {
				w.Header().Set("Retry-After", "3")
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	f := newFixture(t, 4, wrap)
	ctx := context.Background()
	c, _ := NewClient(f.http.URL, testToken, WithRetry(Retry{Attempts: 4, Base: time.Millisecond, Max: time.Minute}))
	var slept []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	if _, err := Pull(ctx, c, f.store, 0); err != nil {
		t.Fatal(err)
	}
	offlineWork(t, f.store)
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	if len(slept) != 2 || slept[0] != 3*time.Second || slept[1] != 3*time.Second {
		t.Fatalf("slept %v, want the server's 3s twice", slept)
	}
	if p, _ := pendingCount(t, f.store); p != 0 {
		t.Fatalf("%d changes still wait", p)
	}
}

func TestRejectedChangeIsKeptAndShown(t *testing.T) {
	f := newFixture(t, 4, nil)
	ctx := context.Background()
	c := f.client(t)
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	acct, queued := offlineWork(t, f.store)
	// Meanwhile the account left this CSM's book on the server.
	f.srv.Delete(f.csm, EntityAccount, acct)
	sum, err := Run(ctx, c, f.store)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != queued {
		t.Fatalf("rejected %d, want all %d (the account is gone)", sum.Rejected, queued)
	}
	rej, err := f.store.Rejected(ctx)
	if err != nil || len(rej) != queued {
		t.Fatalf("rejected list has %d (%v), want %d", len(rej), err, queued)
	}
	if rej[0].ErrorMsg == "" || rej[0].ErrorCode == "" {
		t.Fatalf("rejection kept no reason: %+v", rej[0])
	}
	// Never retried blindly: the next sync sends nothing.
	before := f.srv.MutationCount(f.csm)
	again, err := Run(ctx, c, f.store)
	if err != nil || again.Pushed+again.Rejected != 0 || f.srv.MutationCount(f.csm) != before {
		t.Fatalf("rejected changes were resent: %+v %v", again, err)
	}
}

func TestLastWriterWinsAcrossDevices(t *testing.T) {
	f := newFixture(t, 4, nil)
	ctx := context.Background()
	c := f.client(t)
	laptop := f.store
	phone, err := data.Open(ctx, filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer phone.Close()
	for _, st := range []*data.Store{laptop, phone} {
		if _, err := Run(ctx, c, st); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := laptop.Snapshot(ctx)
	a, list := b.Accounts[0].ID, b.Checklists[0]
	item := list.Items[1].Key
	// The laptop ticks first (older), the phone unticks later (newer) and
	// syncs first; the laptop's older tick must lose when it arrives.
	if err := laptop.SetChecklistItem(ctx, a, list.Key, item, true); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	if err := phone.SetChecklistItem(ctx, a, list.Key, item, false); err != nil {
		t.Fatal(err)
	}
	for _, st := range []*data.Store{phone, laptop, phone} {
		if _, err := Run(ctx, c, st); err != nil {
			t.Fatal(err)
		}
	}
	id := model.ChecklistItemID(a, list.Key, item)
	for name, st := range map[string]*data.Store{"laptop": laptop, "phone": phone} {
		d, err := st.AccountDetail(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range d.ChecklistItems {
			if it.ID == id && it.Done {
				t.Fatalf("%s shows the older tick: last writer did not win", name)
			}
		}
	}
}
