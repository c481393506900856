package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	gosync "sync"
	"testing"

	"csm/model"
)

// contractOnly makes the reference server look like a server of
// docs/API.md alone: its /me lists no extension. It records the type of
// every mutation pushed to it.
type contractOnly struct {
	mu     gosync.Mutex
	hidden bool // /me lists no extension while true
	pushed []string
}

func (co *contractOnly) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		co.mu.Lock()
		hidden := co.hidden
		co.mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "/me") && hidden:
			r.Header.Del("Accept-Encoding")
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var me Me
			if err := json.Unmarshal(rec.Body.Bytes(), &me); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			me.Extensions = nil
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(me)
		case strings.HasSuffix(r.URL.Path, "/mutations"):
			body, _ := io.ReadAll(r.Body)
			var req struct{ Mutations []Mutation }
			json.Unmarshal(body, &req)
			co.mu.Lock()
			for _, m := range req.Mutations {
				co.pushed = append(co.pushed, m.Type)
			}
			co.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
			next.ServeHTTP(w, r)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func (co *contractOnly) took() []string {
	co.mu.Lock()
	defer co.mu.Unlock()
	out := co.pushed
	co.pushed = nil
	return out
}

// A snooze is sent only to a server whose /me lists "snooze": to a server
// of docs/API.md alone it is never pushed (it would be refused) and does
// not count as waiting, while the account stays snoozed here; once the
// server lists the extension, the next sync sends it, once.
func TestSnoozeGoesOnlyToAServerThatTakesIt(t *testing.T) {
	ctx := context.Background()
	co := &contractOnly{hidden: true}
	f := newFixture(t, 6, co.wrap)
	c := f.client(t)
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	acct := f.srv.Book(f.csm).Accounts[0].ID
	until := model.MakeDate(2027, 1, 1)
	if err := f.store.Snooze(ctx, acct, model.SnoozeAll, until); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.CreateTask(ctx, acct, "Send the deck", nil); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := f.store.OutboxCounts(ctx); n != 1 {
		t.Fatalf("%d changes waiting for a contract-only server, want 1 (the follow-up; the snooze stays here)", n)
	}
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	if got := co.took(); len(got) != 1 || got[0] != MutTaskCreate {
		t.Fatalf("a contract-only server was sent %v, want only task.create", got)
	}
	if n, _, _ := f.store.OutboxCounts(ctx); n != 0 {
		t.Fatalf("%d waiting after the sync, want 0", n)
	}
	snoozed, err := f.store.Snoozes(ctx, model.MakeDate(2026, 12, 2))
	if err != nil || snoozed[acct] == nil {
		t.Fatalf("the account is not snoozed here after the sync: %v %v", snoozed, err)
	}

	co.mu.Lock()
	co.hidden = false
	co.mu.Unlock()
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	if got := co.took(); len(got) != 1 || got[0] != MutSnoozeSet {
		t.Fatalf("a server listing snooze was sent %v, want the one snooze.set", got)
	}
	if _, err := Run(ctx, c, f.store); err != nil {
		t.Fatal(err)
	}
	if got := co.took(); len(got) != 0 {
		t.Fatalf("a second sync sent %v again", got)
	}
}
