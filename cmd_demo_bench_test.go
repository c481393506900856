package main

import (
	"context"
	"io"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"csm/benchcpu"
	"csm/config"
	"csm/settings"
	csmsync "csm/sync"
	"csm/ui"
)

// firstBookFrame runs the cockpit as csm demo does, without a terminal,
// until a frame shows rows of the book (a name of one of its accounts),
// and fails if a frame before it said the book was empty.
type firstBookFrame struct {
	tea.Model
	names   []string
	loading bool   // a frame said "loading the demo book…"
	empty   string // a frame that said no accounts match, if any
	rows    bool
}

func (f *firstBookFrame) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := f.Model.Update(msg)
	f.Model = m
	view := m.View().Content
	f.loading = f.loading || strings.Contains(view, "loading the demo book")
	if strings.Contains(view, "no accounts match") && f.empty == "" {
		f.empty = view
	}
	for _, n := range f.names {
		if strings.Contains(view, n) {
			f.rows = true
			return f, tea.Quit
		}
	}
	return f, cmd
}

// runDemoToRows starts the demo in dir and runs its cockpit to the first
// frame with rows.
func runDemoToRows(tb testing.TB, dir string, d csmsync.DemoBooks, names []string) *firstBookFrame {
	ctx := context.Background()
	s := settings.Settings{DataDir: dir, Config: config.Defaults()}
	o, stop, err := startDemo(ctx, s, d)
	if err != nil {
		tb.Fatal(err)
	}
	defer stop()
	o.Context = ctx
	f := &firstBookFrame{Model: ui.New(o), names: names}
	if _, err := tea.NewProgram(f, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithWindowSize(160, 48)).Run(); err != nil {
		tb.Fatal(err)
	}
	if f.empty != "" {
		tb.Fatalf("the demo showed an empty result before its book:\n%s", f.empty)
	}
	if !f.rows {
		tb.Fatal("the demo ended without a frame of its book")
	}
	return f
}

// accountNames lists the names of the demo's own book.
func accountNames(d csmsync.DemoBooks) []string {
	var names []string
	for _, a := range demoTenants(d)[0].Book.Accounts {
		names = append(names, a.Name)
	}
	return names
}

// The demo says it is loading its book until the book is there, and never
// shows an empty result meanwhile.
func TestDemoShowsLoadingThenRows(t *testing.T) {
	d := csmsync.DemoBooks{Token: "demo-token", Seed: 1, Accounts: 20, Days: 60}
	f := runDemoToRows(t, t.TempDir(), d, accountNames(d))
	if !f.loading {
		t.Error("no frame said \"loading the demo book…\" before the book came")
	}
}

// BenchmarkDemoFirstFrame is csm demo from start (the book generated, the
// server started, the database made) to the first frame with rows of its
// 200 accounts, as `csm demo` runs it.
func BenchmarkDemoFirstFrame(b *testing.B) {
	d := csmsync.DemoBooks{Token: "demo-token", Seed: 1, Accounts: 200, Days: 365}
	names := accountNames(d)
	b.ResetTimer()
	defer benchcpu.Start(b)()
	for i := 0; i < b.N; i++ {
		runDemoToRows(b, b.TempDir(), d, names)
	}
}
