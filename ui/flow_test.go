package ui

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"csm/data"
	"csm/model"
	csmsync "csm/sync"
)

// TestWholeProgramOfflineWorkThenSync runs the real program (teatest) on a
// real database synced from the reference server over loopback: the CSM
// opens an account, ticks a checklist item, writes a note with a next step,
// syncs with s, and the server ends up with each change exactly once.
func TestWholeProgramOfflineWorkThenSync(t *testing.T) {
	ctx := context.Background()
	book := model.Generate(model.GenOptions{Seed: 11, Accounts: 8, Days: 90, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	srv := csmsync.NewServer([]csmsync.Tenant{{Token: "flow-token", Book: book}})
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := csmsync.NewClient(hs.URL, "flow-token")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := csmsync.Run(ctx, c, st); err != nil {
		t.Fatal(err)
	}
	before := srv.MutationCount(book.CSM.ID)

	app := New(Options{
		Store: st,
		Sync: func(ctx context.Context) (string, error) {
			sum, err := csmsync.Run(ctx, c, st)
			return sum.String(), err
		},
		Now:       func() time.Time { return fixedNow },
		StatusTTL: -1,
	})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(100, 30))
	waitScreen(t, tm, "8 accounts")

	// Open the most urgent account; go to its checklist and tick the first
	// item.
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, "last 90 days")
	for i := 0; i < 6; i++ {
		tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	}
	tm.Send(tea.KeyPressMsg{Code: 'x', Text: "x"})
	waitFor(t, "the tick to be saved", func() bool { return pendingOf(t, st, model.MutChecklistSet) == 1 })

	// A note with one next step.
	tm.Send(tea.KeyPressMsg{Code: 'n', Text: "n"})
	waitScreen(t, tm, "New note")
	tm.Type("Renewal call: budget approved, wants SSO.")
	tm.Send(tea.KeyPressMsg{Code: 'n', Mod: tea.ModCtrl})
	tm.Type("Send the SSO guide")
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitFor(t, "the note to be saved", func() bool {
		return pendingOf(t, st, model.MutNoteCreate) == 1 && pendingOf(t, st, model.MutTaskCreate) == 1
	})

	// Sync now: everything waiting reaches the server once. The editor
	// closes when its save is reported, a moment after the row is in the
	// database; an s typed before that is text in a note already saved, so
	// s is pressed again until the outbox is empty.
	deadline := time.Now().Add(20 * time.Second)
	for pending := 1; pending > 0; {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for s to push the outbox")
		}
		tm.Send(tea.KeyPressMsg{Code: 's', Text: "s"})
		for end := time.Now().Add(time.Second); pending > 0 && time.Now().Before(end); {
			time.Sleep(20 * time.Millisecond)
			if pending, _, err = st.OutboxCounts(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := srv.MutationCount(book.CSM.ID) - before; got != 3 {
		t.Fatalf("server applied %d mutations, want 3 (tick, note, follow-up)", got)
	}
	notes := 0
	for _, n := range srv.Book(book.CSM.ID).Notes {
		if strings.HasPrefix(n.Body, "Renewal call: budget approved") {
			notes++
		}
	}
	if notes != 1 {
		t.Fatalf("the note is on the server %d times, want once", notes)
	}
	waitScreen(t, tm, "nothing waiting")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
}

// waitScreen waits until the program has written text (as one run: use
// words that are drawn together).
func waitScreen(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

// waitFor polls a condition on the program's side effects.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func pendingOf(t *testing.T, st *data.Store, typ string) int {
	t.Helper()
	ms, err := st.Pending(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range ms {
		if m.Type == typ {
			n++
		}
	}
	return n
}
