package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"csm/data"
	"csm/model"
)

// liveApp runs an App as the Bubble Tea runtime does, timers included:
// each command runs in a goroutine and its message comes back through a
// channel to Update, on the test's goroutine, so the test reads View and
// the model between messages without racing them.
type liveApp struct {
	a    *App
	msgs chan tea.Msg
	done chan struct{}
	log  []string // the type of every message delivered, in order
}

func startLive(t *testing.T, a *App, w, h int) *liveApp {
	t.Helper()
	l := &liveApp{a: a, msgs: make(chan tea.Msg, 64), done: make(chan struct{})}
	t.Cleanup(func() { close(l.done) })
	l.deliver(tea.WindowSizeMsg{Width: w, Height: h})
	l.exec(a.Init())
	return l
}

func (l *liveApp) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		select {
		case l.msgs <- msg:
		case <-l.done:
		}
	}()
}

// deliver gives one message to Update, and runs the commands it returns.
func (l *liveApp) deliver(msg tea.Msg) {
	switch m := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range m {
			l.exec(c)
		}
	default:
		if isCursorBlink(msg) {
			return // re-arms itself for ever: not part of these tests
		}
		l.log = append(l.log, reflect.TypeOf(msg).String())
		_, cmd := l.a.Update(msg)
		l.exec(cmd)
	}
}

// press delivers key presses.
func (l *liveApp) press(keys ...string) {
	for _, k := range keys {
		l.deliver(keyMsg(k))
	}
}

// until delivers messages as they come until cond holds, and fails the
// test if it does not within d. It returns how long it took.
func (l *liveApp) until(t *testing.T, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for !cond() {
		select {
		case msg := <-l.msgs:
			l.deliver(msg)
		case <-deadline.C:
			t.Fatalf("%s: not within %s; the screen:\n%s", what, d, ansi.Strip(viewOf(l.a)))
		}
	}
	return time.Since(start)
}

// untilMsg delivers messages until one of type T has been delivered.
func untilMsg[T tea.Msg](t *testing.T, l *liveApp, d time.Duration) {
	t.Helper()
	untilMsgSince[T](t, l, len(l.log), d)
}

// untilMsgSince is untilMsg counting the messages delivered since the
// log held from of them: one that came while the test waited for
// something else still counts.
func untilMsgSince[T tea.Msg](t *testing.T, l *liveApp, from int, d time.Duration) {
	t.Helper()
	want := reflect.TypeFor[T]().String()
	l.until(t, d, "a "+want, func() bool {
		for _, m := range l.log[from:] {
			if m == want {
				return true
			}
		}
		return false
	})
}

// settle delivers whatever comes within d and returns the types delivered.
func (l *liveApp) settle(d time.Duration) []string {
	from := len(l.log)
	end := time.After(d)
	for {
		select {
		case msg := <-l.msgs:
			l.deliver(msg)
		case <-end:
			return l.log[from:]
		}
	}
}

// delivered says whether a message of the named type was delivered.
func (l *liveApp) delivered(typ string) bool {
	for _, m := range l.log {
		if m == typ {
			return true
		}
	}
	return false
}

// screenText is the view without styles.
func (l *liveApp) screenText() string { return ansi.Strip(viewOf(l.a)) }

// footer is the footer's first line, without styles.
func (l *liveApp) footer() string {
	lines := strings.Split(l.screenText(), "\n")
	return lines[len(lines)-2]
}

// writeNoteElsewhere saves a note through a second handle on the database
// file, as `csm note` in a shell would: its own *data.Store, its own
// connections.
func writeNoteElsewhere(t *testing.T, path, accountID, body string) {
	t.Helper()
	ctx := context.Background()
	other, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.CreateNote(ctx, data.NewNote{AccountID: accountID, Kind: model.NoteCall,
		HappenedAt: fixedNow, Body: body, Author: "shell"}); err != nil {
		t.Fatal(err)
	}
}

// accountOnScreen is the account screen in view.
func accountOnScreen(t *testing.T, l *liveApp) *accountScreen {
	t.Helper()
	acc, ok := l.a.active().(*accountScreen)
	if !ok {
		t.Fatalf("the screen in view is a %T, not an account", l.a.active())
	}
	return acc
}

// openAccountLive opens the selected account and waits for it to be read.
func openAccountLive(t *testing.T, l *liveApp) *accountScreen {
	t.Helper()
	l.press("enter")
	l.until(t, 10*time.Second, "the account screen", func() bool {
		acc, ok := l.a.active().(*accountScreen)
		return ok && acc.loaded
	})
	return accountOnScreen(t, l)
}

func hasNote(acc *accountScreen, body string) bool {
	for _, n := range acc.detail.Notes {
		if n.Body == body {
			return true
		}
	}
	return false
}

// The TUI is open on an account; another csm writes a note to it. Within
// two seconds, with no key pressed, the footer counts the waiting change
// and the account shows the note.
func TestWatchShowsANoteWrittenByAnotherStore(t *testing.T) {
	st := fixtureStore(t, 30)
	l := startLive(t, New(Options{Store: st, Now: func() time.Time { return fixedNow }, StatusTTL: -1}), 100, 400)
	l.until(t, 10*time.Second, "the book", func() bool { return strings.Contains(l.screenText(), "30 accounts") })
	acc := openAccountLive(t, l)
	if f := l.footer(); !strings.Contains(f, "nothing waiting") {
		t.Fatalf("footer before the note: %q", f)
	}

	const body = "Called from the shell: wants the SSO guide."
	writeNoteElsewhere(t, st.Path(), acc.id, body)
	took := l.until(t, 2*time.Second, "the other csm's note and its waiting change", func() bool {
		return strings.Contains(l.footer(), "1 waiting") && strings.Contains(l.screenText(), body)
	})
	t.Logf("seen %s after the write", took.Round(time.Millisecond))
	if accountOnScreen(t, l) != acc {
		t.Fatal("the refresh replaced the account screen")
	}
}

// The watch's answers chain: a tick is armed only when the previous
// question has been answered, so ticks never pile up behind a slow store;
// and with nothing written, nothing is read again.
func TestWatchAsksOneAtATimeAndReadsNothingUnchanged(t *testing.T) {
	st := fixtureStore(t, 30)
	l := startLive(t, New(Options{Store: st, Now: func() time.Time { return fixedNow }, StatusTTL: -1,
		WatchEvery: 20 * time.Millisecond}), 100, 30)
	l.until(t, 10*time.Second, "the first reads", func() bool {
		return l.delivered("ui.bookLoadedMsg") && l.delivered("ui.countsMsg") && l.delivered("ui.lastSyncMsg")
	})

	got := l.settle(500 * time.Millisecond)
	ticks, answers := 0, 0
	for _, m := range got {
		switch m {
		case "ui.watchTickMsg":
			ticks++
			if ticks > answers+1 {
				t.Fatalf("tick %d before the answer to the previous one: %v", ticks, got)
			}
		case "ui.dataVersionMsg":
			answers++
		case "ui.bookLoadedMsg", "ui.countsMsg":
			t.Fatalf("%s with nothing written: %v", m, got)
		}
	}
	if ticks < 5 {
		t.Fatalf("%d ticks in half a second at 20 ms: %v", ticks, got)
	}
}

// A refresh brought by the watch keeps the book's selection on the same
// account, and the scroll where it was when the order did not change; when
// the other csm moves the selected account (a snooze sinks it to the end),
// the selection goes with it.
func TestWatchRefreshKeepsTheSelectedAccount(t *testing.T) {
	st := fixtureStore(t, 30)
	ctx := context.Background()
	l := startLive(t, New(Options{Store: st, Now: func() time.Time { return fixedNow }, StatusTTL: -1,
		WatchEvery: time.Hour}), 100, 20)
	l.until(t, 10*time.Second, "the book", func() bool { return l.a.book.loaded })
	for range 20 {
		l.press("down")
	}
	b := l.a.book
	selected, cursor, offset := b.selectedID(), b.list.Cursor(), b.list.Offset()
	if offset == 0 {
		t.Fatalf("the book did not scroll (cursor %d): the test needs it to", cursor)
	}
	other := b.book.Rows[b.visible[0]].Account.ID

	writeNoteElsewhere(t, st.Path(), other, "A note on another account.")
	// The counts and the book are read at once: the book may arrive
	// before the count, so it is looked for from the tick on.
	from := len(l.log)
	l.deliver(watchTickMsg{})
	l.until(t, 10*time.Second, "the waiting change", func() bool { return l.a.pending == 1 })
	untilMsgSince[bookLoadedMsg](t, l, from, 10*time.Second)
	if b.selectedID() != selected || b.list.Cursor() != cursor || b.list.Offset() != offset {
		t.Fatalf("after the refresh: %s at row %d, offset %d; want %s at row %d, offset %d",
			b.selectedID(), b.list.Cursor(), b.list.Offset(), selected, cursor, offset)
	}

	other2, err := data.Open(ctx, st.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := other2.Snooze(ctx, selected, data.SnoozeAll, model.DateOf(fixedNow)+14); err != nil {
		t.Fatal(err)
	}
	other2.Close()
	l.deliver(watchTickMsg{})
	untilMsg[bookLoadedMsg](t, l, 10*time.Second)
	if b.selectedID() != selected {
		t.Fatalf("after the account moved, %s is selected, want %s", b.selectedID(), selected)
	}
	if b.list.Cursor() == cursor {
		t.Fatalf("the snoozed account stayed at row %d: the test needs it to move", cursor)
	}
	if b.list.Cursor() < b.list.Offset() || b.list.Cursor() >= b.list.Offset()+b.listHeight() {
		t.Fatalf("the selected row %d is off screen (offset %d, %d rows)", b.list.Cursor(), b.list.Offset(), b.listHeight())
	}
}

// On an account scrolled down, a refresh the watch brings keeps the focus
// and the scroll, and shows the new note.
func TestWatchRefreshKeepsTheAccountsScroll(t *testing.T) {
	st := fixtureStore(t, 30)
	l := startLive(t, New(Options{Store: st, Now: func() time.Time { return fixedNow }, StatusTTL: -1,
		WatchEvery: time.Hour}), 100, 30)
	l.until(t, 10*time.Second, "the book", func() bool { return l.a.book.loaded })
	acc := openAccountLive(t, l)
	l.press("tab", "tab", "down", "down")
	focus, offset, notes := acc.focus, acc.offset, len(acc.detail.Notes)
	if offset == 0 {
		t.Fatal("the account did not scroll: the test needs it to")
	}

	const body = "Quarterly review booked from the shell."
	writeNoteElsewhere(t, st.Path(), acc.id, body)
	l.deliver(watchTickMsg{})
	l.until(t, 10*time.Second, "the note on the account", func() bool { return hasNote(acc, body) })
	if len(acc.detail.Notes) != notes+1 {
		t.Fatalf("%d notes after the refresh, want %d", len(acc.detail.Notes), notes+1)
	}
	if acc.focus != focus || acc.offset != offset {
		t.Fatalf("after the refresh: focus %d, offset %d; want %d, %d", acc.focus, acc.offset, focus, offset)
	}
}

// While another csm holds the sync, the TUI's own sync is no failure: the
// footer says who syncs and that its changes will show, in 80 columns. Once
// the other sync has recorded its end, the footer says synced.
func TestSyncBusyFooter(t *testing.T) {
	for name, busy := range map[string]error{
		"lock held":    &data.SyncBusyError{PID: 4242, Command: "csm sync"},
		"cursor moved": fmt.Errorf("pull: apply page 2: %w", data.ErrCursorMoved),
	} {
		t.Run(name, func(t *testing.T) {
			st := fixtureStore(t, 30)
			sync := func(context.Context) (string, error) { return "", busy }
			a := New(Options{Store: st, Sync: sync, Now: func() time.Time { return fixedNow }, StatusTTL: -1, WatchEvery: time.Hour})
			l := startLive(t, a, 80, 24)
			l.until(t, 10*time.Second, "the book", func() bool { return a.book.loaded })
			l.press("s")
			untilMsg[syncDoneMsg](t, l, 10*time.Second)
			f := l.footer()
			if strings.Contains(f, "failed") || !strings.Contains(f, busyFooter+" · nothing waiting") {
				t.Fatalf("footer while another csm syncs: %q", f)
			}

			other, err := data.Open(context.Background(), st.Path())
			if err != nil {
				t.Fatal(err)
			}
			if err := other.SetLastSync(context.Background(), time.Now(), "pulled 3 changes in 1 page"); err != nil {
				t.Fatal(err)
			}
			other.Close()
			l.deliver(watchTickMsg{})
			l.until(t, 10*time.Second, "the other sync's end in the footer", func() bool {
				return strings.Contains(l.footer(), "synced just now · nothing waiting · pulled 3 changes")
			})
		})
	}
}

// A sync that fails for any other reason still says so.
func TestSyncFailureFooter(t *testing.T) {
	st := fixtureStore(t, 30)
	sync := func(context.Context) (string, error) { return "", errors.New("server said 500") }
	a := New(Options{Store: st, Sync: sync, Now: func() time.Time { return fixedNow }, StatusTTL: -1, WatchEvery: -1})
	l := startLive(t, a, 80, 24)
	l.until(t, 10*time.Second, "the book", func() bool { return a.book.loaded })
	l.press("s")
	untilMsg[syncDoneMsg](t, l, 10*time.Second)
	if f := l.footer(); !strings.Contains(f, "last sync failed: server said 500") {
		t.Fatalf("footer after a failed sync: %q", f)
	}
}

// The footer while another csm syncs fits 80 columns with the most it can
// hold beside it.
func TestSyncBusyFooterFits80Columns(t *testing.T) {
	a := New(Options{Store: nil, Sync: func(context.Context) (string, error) { return "", nil }})
	a.syncBusy, a.pending, a.rejected = true, 1234, 56
	line := strings.Split(a.footerView(), "\n")[0]
	if w := ansi.StringWidth(line); w > 80 {
		t.Fatalf("footer is %d columns: %q", w, ansi.Strip(line))
	}
	if !strings.Contains(ansi.Strip(line), busyFooter+" · 1234 waiting") {
		t.Fatalf("footer cut: %q", ansi.Strip(line))
	}
}

// While a refresh the watch started is still reading, a new change does
// not start another: seen stays behind, and the tick after the book is in
// sees it again.
func TestWatchStartsNoRefreshWhileOneIsReading(t *testing.T) {
	st := fixtureStore(t, 30)
	a := New(Options{Store: st, Now: func() time.Time { return fixedNow }, StatusTTL: -1, WatchEvery: time.Hour})
	a.Update(dataVersionMsg{version: 5}) // the first answer
	a.Update(dataVersionMsg{version: 6})
	if !a.watch.loading || a.watch.seen != 6 {
		t.Fatalf("after a change: loading=%v seen=%d, want a refresh at 6", a.watch.loading, a.watch.seen)
	}
	a.Update(dataVersionMsg{version: 7})
	if a.watch.seen != 6 {
		t.Fatalf("a second refresh started at %d while the first was reading", a.watch.seen)
	}
	a.Update(a.loadBook()())
	a.Update(dataVersionMsg{version: 7})
	if !a.watch.loading || a.watch.seen != 7 {
		t.Fatalf("after the book came in: loading=%v seen=%d, want a refresh at 7", a.watch.loading, a.watch.seen)
	}
}

// The writer is a real separate process (this test binary run again): its
// own SQLite connections and file locks, as `csm note` would have.
func TestWatchShowsANoteWrittenByAnotherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	st := fixtureStore(t, 30)
	l := startLive(t, New(Options{Store: st, Now: func() time.Time { return fixedNow }, StatusTTL: -1}), 100, 400)
	l.until(t, 10*time.Second, "the book", func() bool { return strings.Contains(l.screenText(), "30 accounts") })
	acc := openAccountLive(t, l)

	const body = "Renewal risk raised by the other process."
	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchChildWritesANote$", "-test.timeout=60s")
	cmd.Env = append(os.Environ(), envWatchChildDB+"="+st.Path(), envWatchChildAccount+"="+acc.id, envWatchChildBody+"="+body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the writer process: %v\n%s", err, out)
	}
	took := l.until(t, 2*time.Second, "the other process's note and its waiting change", func() bool {
		return strings.Contains(l.footer(), "1 waiting") && strings.Contains(l.screenText(), body)
	})
	t.Logf("seen %s after the writer exited", took.Round(time.Millisecond))
}

const (
	envWatchChildDB      = "CSM_WATCH_CHILD_DB" // unset: not the child
	envWatchChildAccount = "CSM_WATCH_CHILD_ACCOUNT"
	envWatchChildBody    = "CSM_WATCH_CHILD_BODY"
)

// TestWatchChildWritesANote is the writer process of the test above; it
// does nothing in a normal run.
func TestWatchChildWritesANote(t *testing.T) {
	path := os.Getenv(envWatchChildDB)
	if path == "" {
		t.Skip("runs only as the writer of TestWatchShowsANoteWrittenByAnotherProcess")
	}
	writeNoteElsewhere(t, path, os.Getenv(envWatchChildAccount), os.Getenv(envWatchChildBody))
}
