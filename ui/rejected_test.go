package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"csm/data"
	"csm/model"
)

// rejectNote saves a note and has the server refuse its outbox entry.
func rejectNote(t *testing.T, st *data.Store) (model.Account, string) {
	t.Helper()
	ctx := context.Background()
	acct := firstAccount(t, st).Account
	if _, err := st.CreateNote(ctx, data.NewNote{AccountID: acct.ID, Kind: model.NoteCall, HappenedAt: time.Now(), Body: "Pricing call with the CFO"}); err != nil {
		t.Fatal(err)
	}
	pending, err := st.Pending(ctx, 100)
	if err != nil || len(pending) == 0 {
		t.Fatal("nothing pending", err)
	}
	id := pending[len(pending)-1].ID
	err = st.RecordResults(ctx, []data.Result{{ID: id, Done: false, ErrorCode: "invalid", ErrorMsg: "body \x1b[31mrefused\x1b[0m by policy\x1b]52;c;aGk=\x07"}})
	if err != nil {
		t.Fatal(err)
	}
	return acct, id
}

func TestRejectedListsAndRequeues(t *testing.T) {
	st := fixtureStore(t, 30)
	acct, id := rejectNote(t, st)
	a := newTestApp(t, st, 100, 30)
	send(a, a.loadCounts()())
	r := newRejected(&a.env)
	sendNow(t, a, pushScreenMsg{s: r})

	v := viewOf(a)
	plain := ansi.Strip(v)
	for _, want := range []string{"nothing was deleted", "new note", acct.Name, "invalid: body refused by policy", "Pricing call"} {
		if !strings.Contains(plain, want) {
			t.Errorf("view lacks %q: %s", want, plain)
		}
	}
	if strings.Contains(v, "\x1b]52") || strings.Contains(v, "\x1b[31mrefused") {
		t.Fatal("escape sequence from the server's reason reached the view")
	}

	press(t, a, "r")
	if !strings.Contains(ansi.Strip(viewOf(a)), "y/n") {
		t.Fatal("r did not ask first")
	}
	press(t, a, "n")
	if rej, _ := st.Rejected(context.Background()); len(rej) != 1 {
		t.Fatal("n requeued anyway")
	}
	press(t, a, "r")
	sendNow(t, a, keyMsg("y"))
	send(a, r.load()())
	send(a, a.loadCounts()())
	rej, _ := st.Rejected(context.Background())
	pending, _ := st.Pending(context.Background(), 100)
	found := false
	for _, m := range pending {
		found = found || m.ID == id
	}
	if len(rej) != 0 || !found {
		t.Fatalf("after requeue: %d rejected, pending again %v", len(rej), found)
	}
	if !strings.Contains(ansi.Strip(viewOf(a)), "nothing rejected") || a.rejected != 0 {
		t.Fatalf("list not refreshed (footer count %d): %s", a.rejected, ansi.Strip(viewOf(a)))
	}
	press(t, a, "esc")
	if len(a.stack) != 0 {
		t.Fatal("esc did not go back")
	}
}

func TestRejectedFits(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		st := fixtureStore(t, 30)
		for range 12 {
			rejectNote(t, st)
		}
		a := newTestApp(t, st, size[0], size[1])
		sendNow(t, a, pushScreenMsg{s: newRejected(&a.env)})
		press(t, a, "G", "r")
		checkFits(t, a, size[0], size[1])
	}
}
