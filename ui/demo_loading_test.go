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

// The demo opens on "loading the demo book…" while its first sync runs,
// never on "no accounts match", and says it is a demo whose notes the next
// `csm demo` resets.
func TestDemoLoadsWithoutEmptyResult(t *testing.T) {
	st, err := data.Open(context.Background(), filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	release := make(chan struct{})
	sync := func(context.Context) (string, error) { <-release; return "pulled 0 changes", nil }
	defer close(release)
	a := New(Options{Store: st, Sync: sync, SyncOnStart: true, Label: "demo · notes reset by the next csm demo",
		Now: func() time.Time { return fixedNow }, StatusTTL: -1, WatchEvery: -1})
	a.Init()
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	a.Update(a.loadBook()())
	view := a.View().Content
	if strings.Contains(view, "no accounts match") || !strings.Contains(view, "loading the demo book…") {
		t.Errorf("the demo while its first sync runs:\n%s", view)
	}
	if !strings.Contains(view, "demo · notes reset by the next csm demo") {
		t.Errorf("the demo does not say it is one:\n%s", view)
	}
}

// The cockpit on an empty database with no server says where to go.
func TestFirstRunWithoutServer(t *testing.T) {
	st, err := data.Open(context.Background(), filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := New(Options{Store: st, Now: func() time.Time { return fixedNow }, StatusTTL: -1, WatchEvery: -1})
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	a.Update(a.loadBook()())
	view := a.View().Content
	if strings.Contains(view, "no accounts match") || !strings.Contains(view, "run `csm login`") || !strings.Contains(view, "csm demo") {
		t.Errorf("first run with no server:\n%s", view)
	}
}
