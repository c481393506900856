package ui

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	gosync "sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
)

// fixedNow is the clock of UI tests, the day after the fixture's usage ends.
var fixedNow = time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)

// fixtureStore returns a real database holding a generated book of n
// accounts whose usage ends on 2026-11-20, the same on every run. The book
// is generated and imported once per size and the file copied for each
// test: importing is most of a UI test's time, and copying a few MB is not.
func fixtureStore(t testing.TB, n int) *data.Store {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), data.DBFile)
	if err := copyFile(fixtureTemplate(t, n), path); err != nil {
		t.Fatal(err)
	}
	st, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

var (
	fixtureMu        gosync.Mutex
	fixtureTemplates = map[int]string{}
)

// fixtureTemplate builds, once per size, a closed database file (its WAL
// checkpointed) holding the generated book.
func fixtureTemplate(t testing.TB, n int) string {
	t.Helper()
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	if p, ok := fixtureTemplates[n]; ok {
		return p
	}
	dir, err := os.MkdirTemp("", "csm-ui-fixture-")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, data.DBFile)
	ctx := context.Background()
	st, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	books := model.Generate(model.GenOptions{Seed: 7, Accounts: n, Days: 365, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})
	if err := st.ImportBook(ctx, books[0]); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	fixtureTemplates[n] = path
	return path
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}

// newTestApp builds the root on a fixture store at a size, with the book
// loaded, as the program would after its first commands ran.
func newTestApp(t testing.TB, st *data.Store, w, h int) *App {
	t.Helper()
	a := New(Options{Store: st, Now: func() time.Time { return fixedNow }, Label: "test", StatusTTL: -1})
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	a.Update(a.loadBook()())
	return a
}

// press sends key presses to the root, running any command that comes back
// once and feeding its message back in, as the runtime would.
func press(t testing.TB, a *App, keys ...string) {
	t.Helper()
	for _, k := range keys {
		send(a, keyMsg(k))
	}
}

// send delivers one message and then the messages of the commands it
// returns, depth first, skipping timers.
func send(a *App, msg tea.Msg) {
	_, cmd := a.Update(msg)
	runCmd(a, cmd, 0)
}

func runCmd(a *App, cmd tea.Cmd, depth int) {
	if cmd == nil || depth > 5 {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(time.Second):
		// A timer (a cursor blink): not part of this step. Store reads
		// finish well within this even on a loaded machine; footer
		// messages have no timer in tests (StatusTTL < 0).
		return
	}
	if isCursorBlink(msg) {
		// A blinking cursor re-arms its timer for ever: not part of a step.
		return
	}
	switch m := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range m {
			runCmd(a, c, depth+1)
		}
	default:
		_, next := a.Update(m)
		runCmd(a, next, depth+1)
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// viewOf renders the root's content.
func viewOf(a *App) string { return a.View().Content }

// isCursorBlink recognises the messages of bubbles' blinking cursor.
func isCursorBlink(msg tea.Msg) bool {
	if msg == nil {
		return false
	}
	t := reflect.TypeOf(msg)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return strings.HasSuffix(t.PkgPath(), "bubbles/v2/cursor")
}
