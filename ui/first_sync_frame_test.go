package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"csm/data"
)

// Between the end of the first sync and the arrival of the book it
// brought, the demo still says it is loading, never "no accounts match";
// once the book is read, an empty one says so.
func TestFirstSyncLoadsUntilItsBookIsRead(t *testing.T) {
	st, err := data.Open(context.Background(), filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sync := func(context.Context) (string, error) { return "pulled 0 changes", nil }
	a := New(Options{Store: st, Sync: sync, SyncOnStart: true, Label: "demo · notes reset by the next csm demo",
		Now: func() time.Time { return fixedNow }, StatusTTL: -1, WatchEvery: -1})
	a.Init()
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	a.Update(a.loadBook()())
	a.Update(syncDoneMsg{summary: "pulled 6013 changes in 2 pages (full)", at: fixedNow})
	if view := a.View().Content; strings.Contains(view, "no accounts match") || !strings.Contains(view, "loading the demo book…") {
		t.Errorf("the demo after its sync, before its book is read:\n%s", view)
	}
	a.Update(a.loadBook()())
	if view := a.View().Content; !strings.Contains(view, "no accounts match") {
		t.Errorf("an empty book once read:\n%s", view)
	}
}
