package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"csm/data"
	"csm/model"
	"csm/safe"
	"csm/ui"
)

// TestCLIAndCockpitShowTheSameBook runs one book, with snoozes, through
// `csm accounts --json --segment KEY --sort FIELD` and through the
// cockpit's book screen driven by its keys (tab, o) and read from its
// view: Needs me, every tab's members and every order must be identical.
func TestCLIAndCockpitShowTheSameBook(t *testing.T) {
	dataDir, _ := triageEnv(t)
	triageImport(t, dataDir, model.Generate(model.GenOptions{Seed: 7, Accounts: 90, CSMs: 1})[0])
	st, err := data.Open(context.Background(), filepath.Join(dataDir, data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	snoozeSome(t, st)

	c := newBookCockpit(t, st)
	cliNames := func(args ...string) []string {
		var names []string
		for _, a := range accountsJSON(t, args...) {
			names = append(names, safe.Truncate(a.Name, cockpitNameWidth))
		}
		return names
	}

	// The tabs: All, Needs me, then each alert and segment that holds an
	// account, in model.TabKeys' order.
	tabs := []string{""}
	for _, key := range model.TabKeys() {
		if key == model.NeedsMe || len(accountsJSON(t, "--segment", key)) > 0 {
			tabs = append(tabs, key)
		}
	}
	if len(tabs) < 8 {
		t.Fatalf("only %d tabs: the book should exercise more segments", len(tabs))
	}
	for i, key := range tabs {
		if i > 0 {
			c.press(tea.KeyPressMsg{Code: tea.KeyTab})
		}
		want := cliNames(segmentArgs(key)...)
		if key == model.NeedsMe && len(want) == 0 {
			t.Fatal("Needs me is empty: the test proves nothing")
		}
		label := "All"
		if key != "" {
			label = model.Label(key)
		}
		if tab := fmt.Sprintf("%s %d", label, len(want)); !strings.Contains(c.tabsLine(), tab) {
			t.Errorf("tab %d: the tabs line %q lacks %q", i, c.tabsLine(), tab)
		}
		if got := c.rows(); !slices.Equal(got, want) {
			t.Errorf("tab %q: the cockpit lists\n%v\ncsm accounts --segment %s lists\n%v", label, got, key, want)
		}
	}
	c.press(tea.KeyPressMsg{Code: tea.KeyTab}) // back to All

	// Every order, on the whole book and on Needs me.
	for i, s := range model.BookSorts {
		if i > 0 {
			c.press(tea.KeyPressMsg{Code: 'o', Text: "o"})
		}
		if says := "sorted by " + s.Says(false); i > 0 && !strings.Contains(c.view(), says) {
			t.Fatalf("after %d presses of o the cockpit does not say %q:\n%s", i, says, c.view())
		}
		for _, key := range []string{"", model.NeedsMe} {
			want := cliNames(append(segmentArgs(key), "--sort", s.Key)...)
			if got := c.rows(); !slices.Equal(got, want) {
				t.Errorf("sort %s, tab %q: the cockpit lists\n%v\ncsm accounts lists\n%v", s.Key, key, got, want)
			}
			c.press(tea.KeyPressMsg{Code: tea.KeyTab})
		}
		for range len(tabs) - 2 { // round to All again
			c.press(tea.KeyPressMsg{Code: tea.KeyTab})
		}
	}
	c.press(tea.KeyPressMsg{Code: 'o', Text: "o"})
	if says := "sorted by " + model.BookSorts[0].Says(false); !strings.Contains(c.view(), says) {
		t.Errorf("o does not cycle back to %s: the view lacks %q", model.BookSorts[0].Key, says)
	}
}

func segmentArgs(key string) []string {
	if key == "" {
		return nil
	}
	return []string{"--segment", key}
}

// snoozeSome snoozes, for a week from today, the whole of the most urgent
// account with an alert, and one alert of the next account with one.
func snoozeSome(t *testing.T, st *data.Store) {
	t.Helper()
	ctx := context.Background()
	b, err := st.Book(ctx)
	if err != nil {
		t.Fatal(err)
	}
	until := model.DateOf(time.Now()) + 7
	var alerted []data.BookRow
	for _, r := range b.Rows {
		if len(r.Metrics.Alerts) > 0 {
			alerted = append(alerted, r)
		}
	}
	if len(alerted) < 2 {
		t.Fatalf("%d accounts with an alert: the test needs two", len(alerted))
	}
	if err := st.Snooze(ctx, alerted[0].Account.ID, data.SnoozeAll, until); err != nil {
		t.Fatal(err)
	}
	if err := st.Snooze(ctx, alerted[1].Account.ID, alerted[1].Metrics.Alerts[0], until); err != nil {
		t.Fatal(err)
	}
}

// cockpitNameWidth is the name column of the book at 160 columns and more.
const cockpitNameWidth = 32

// bookCockpit is the TUI on a store, driven as the runtime would: messages in,
// commands run and their messages fed back, the view read as text.
type bookCockpit struct {
	t *testing.T
	a tea.Model
}

func newBookCockpit(t *testing.T, st *data.Store) *bookCockpit {
	c := &bookCockpit{t: t, a: ui.New(ui.Options{Store: st, StatusTTL: -1, WatchEvery: -1})}
	c.send(tea.WindowSizeMsg{Width: 400, Height: 400})
	c.run(c.a.Init(), 0)
	if len(c.rows()) == 0 {
		t.Fatalf("the cockpit shows no book:\n%s", c.view())
	}
	return c
}

func (c *bookCockpit) press(k tea.KeyPressMsg) { c.send(k) }

func (c *bookCockpit) send(msg tea.Msg) {
	var cmd tea.Cmd
	c.a, cmd = c.a.Update(msg)
	c.run(cmd, 0)
}

// run runs a command and feeds its message back, depth first; a command
// that takes more than a second is a timer, not part of the step.
func (c *bookCockpit) run(cmd tea.Cmd, depth int) {
	if cmd == nil || depth > 6 {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		switch m := msg.(type) {
		case nil:
		case tea.BatchMsg:
			for _, sub := range m {
				c.run(sub, depth+1)
			}
		default:
			var next tea.Cmd
			c.a, next = c.a.Update(m)
			c.run(next, depth+1)
		}
	case <-time.After(time.Second):
	}
}

func (c *bookCockpit) view() string { return ansi.Strip(c.a.View().Content) }

// tabsLine is the line of the tabs, which starts with All.
func (c *bookCockpit) tabsLine() string {
	for _, l := range strings.Split(c.view(), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "All ") && strings.Contains(l, model.Label(model.NeedsMe)) {
			return l
		}
	}
	return ""
}

// rows lists the names on the book's rows, top to bottom.
func (c *bookCockpit) rows() []string {
	lines := strings.Split(c.view(), "\n")
	i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "  Account") })
	if i < 0 {
		c.t.Fatalf("no column header in the view:\n%s", c.view())
	}
	var names []string
	for _, l := range lines[i+1:] {
		if !strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "▶ ") {
			break
		}
		name := strings.TrimRight(ansi.Cut(l, 2, 2+cockpitNameWidth), " ")
		if name == "" {
			break
		}
		names = append(names, name)
	}
	return names
}
