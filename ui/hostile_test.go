package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"csm/data"
	"csm/model"
	"csm/model/modeltest"
)

// The hostile UI tests (SPEC §5): a book whose every text field carries
// escape sequences, controls, bidi characters and huge text
// (modeltest.HostileBook) is drawn on every screen the keys reach, and no frame
// may hold anything but text, line breaks and the SGR styling lipgloss
// writes; no line may be wider than the terminal.

// hostileAccounts is the size of the hostile book: enough accounts for every
// tab to fill and scroll.
const hostileAccounts = 30

// hostileStore imports the hostile book into a real database, then imports
// it again with the newest usage month of every other account dropped, so
// that "what changed" has rows (with hostile names) to show. It returns the
// store and the book as imported first.
func hostileStore(t testing.TB) (*data.Store, model.Book) {
	t.Helper()
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	base := model.Generate(model.GenOptions{Seed: 7, Accounts: hostileAccounts, Days: 365, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	h := modeltest.HostileBook(base, 1)
	if err := st.ImportBook(ctx, h); err != nil {
		t.Fatal(err)
	}
	later := h
	later.Usage = nil
	for _, u := range h.Usage {
		i := slices.IndexFunc(h.Accounts, func(a model.Account) bool { return a.ID == u.AccountID })
		if i%2 == 1 && u.Month == "2026-11" {
			continue
		}
		later.Usage = append(later.Usage, u)
	}
	if err := st.ImportBook(ctx, later); err != nil {
		t.Fatal(err)
	}
	return st, h
}

// frameProblems lists what must not be in a frame of w×h cells: any escape
// sequence but SGR, any C0 control but \n, any C1 control, any invisible
// format character (bidi controls and the like; ZWJ and ZWNJ are allowed,
// and tag characters, which flags need, are left to the Hidden check), more
// than h lines, and any Hidden text of a payload. Lines wider than w are
// listed apart, in wide: a layout fault, not a terminal takeover.
func frameProblems(content string, w, h int) (bad, wide []string) {
	lines := strings.Split(content, "\n")
	if len(lines) > h {
		bad = append(bad, fmt.Sprintf("%d lines on a terminal of %d", len(lines), h))
	}
	// lipgloss pads every line of a joined block to its widest, so one
	// line too wide makes all of them too wide: report the widest only.
	widest, at := 0, 0
	for n, line := range lines {
		if lw := ansi.StringWidth(line); lw > widest {
			widest, at = lw, n
		}
	}
	if widest > w {
		wide = append(wide, fmt.Sprintf("line %d: width %d > %d in %q", at+1, widest, w, lines[at]))
	}
	p := ansi.NewParser()
	for n, line := range lines {
		report := func(what string) { bad = append(bad, fmt.Sprintf("line %d: %s in %q", n+1, what, line)) }
		var state byte
		for s := line; len(s) > 0; {
			seq, _, k, next := ansi.DecodeSequence(s, state, p)
			state = next
			k = max(k, 1)
			s = s[k:]
			switch c := seq[0]; {
			case c == ansi.ESC || (c >= 0x80 && c <= 0x9F):
				cmd := ansi.Cmd(p.Command())
				sgr := c == ansi.ESC && ansi.HasCsiPrefix(seq) && cmd.Final() == 'm' && cmd.Prefix() == 0 && cmd.Intermediate() == 0
				if !sgr {
					report(fmt.Sprintf("escape sequence %q", seq))
				}
			default:
				for _, r := range seq {
					switch {
					case r < 0x20 || r == 0x7F:
						report(fmt.Sprintf("C0 control %U", r))
					case r >= 0x80 && r <= 0x9F:
						report(fmt.Sprintf("C1 control %U", r))
					case r == '\u200C' || r == '\u200D' || (r >= 0xE0020 && r <= 0xE007F):
					case unicode.Is(unicode.Cf, r):
						report(fmt.Sprintf("format character %U", r))
					}
				}
			}
		}
	}
	for _, hid := range modeltest.HostileHidden() {
		if i := strings.Index(content, hid); i >= 0 {
			n := strings.Count(content[:i], "\n")
			bad = append(bad, fmt.Sprintf("line %d: payload text %q reached the screen: %q", n+1, hid, lines[n]))
		}
	}
	return bad, wide
}

// hostileWalk drives an App with keys and checks every frame it draws.
type hostileWalk struct {
	t      *testing.T
	a      *App
	w, h   int
	frames int
	// kept are the payloads' Kept texts not seen on any frame yet.
	kept map[string]bool
	// wideReported counts the frames reported too wide.
	wideReported int
}

func newHostileWalk(t *testing.T, st *data.Store, w, h int) *hostileWalk {
	hw := &hostileWalk{t: t, a: newTestApp(t, st, w, h), w: w, h: h, kept: map[string]bool{}}
	// A blinking cursor answers every key with a timer, which the test
	// helpers wait out; a steady one draws the same and keeps the walk fast.
	fs := hw.a.book.filter.Styles()
	fs.Cursor.Blink = false
	hw.a.book.filter.SetStyles(fs)
	// Likewise a footer message that never expires: no timer to wait out.
	hw.a.opts.StatusTTL = -1
	for _, p := range modeltest.HostilePayloads() {
		if p.Kept != "" {
			hw.kept[p.Kept] = true
		}
	}
	hw.check("first frame")
	return hw
}

// check looks at the current frame; it stops the test at the first bad one,
// since the next frames would repeat its failure.
func (hw *hostileWalk) check(where string) {
	hw.t.Helper()
	hw.frames++
	content := viewOf(hw.a)
	bad, wide := frameProblems(content, hw.w, hw.h)
	if len(bad) > 0 {
		if len(bad) > 8 {
			bad = append(bad[:8], fmt.Sprintf("… and %d more", len(bad)-8))
		}
		hw.t.Fatalf("%dx%d, %s:\n  %s", hw.w, hw.h, where, strings.Join(bad, "\n  "))
	}
	if len(wide) > 0 && hw.wideReported < 3 {
		// The root pads every line to the widest: name the screen's own
		// line that is too wide. Later frames would mostly repeat it, so
		// only the first few are reported, and the walk goes on.
		if !hw.a.showHelp {
			for n, l := range strings.Split(hw.a.active().View(), "\n") {
				if lw := ansi.StringWidth(l); lw > hw.w {
					wide = append(wide, fmt.Sprintf("screen line %d: width %d > %d in %q", n+1, lw, hw.w, l))
					break
				}
			}
		}
		hw.wideReported++
		hw.t.Errorf("%dx%d, %s: wider than the terminal:\n  %s", hw.w, hw.h, where, strings.Join(wide, "\n  "))
	}
	if len(hw.kept) > 0 {
		flatText := flat(strings.Split(ansi.Strip(content), "\n"))
		for k := range hw.kept {
			if strings.Contains(flatText, k) {
				delete(hw.kept, k)
			}
		}
	}
}

// keys presses each key and checks the frame after it.
func (hw *hostileWalk) keys(where string, keys ...string) {
	hw.t.Helper()
	for _, k := range keys {
		switch k {
		case "pgdown":
			send(hw.a, tea.KeyPressMsg{Code: tea.KeyPgDown})
		case "pgup":
			send(hw.a, tea.KeyPressMsg{Code: tea.KeyPgUp})
		case "ctrl+f":
			send(hw.a, tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl})
		default:
			press(hw.t, hw.a, k)
		}
		hw.check(where + ", after " + k)
	}
}

// walkBook visits every tab, scrolled top to bottom, every sort, and a
// filter typed and cleared.
func (hw *hostileWalk) walkBook() {
	hw.t.Helper()
	for i := range hw.a.book.tabs {
		where := fmt.Sprintf("book tab %d", i)
		hw.keys(where, "pgdown", "G", "k", "g")
		hw.keys(where, "tab")
	}
	for range model.BookSorts {
		hw.keys("book sort", "o", "G", "g")
	}
	hw.keys("book filter", "/", "c", "l", "i", "c", "k", "enter", "esc")
	hw.keys("book filter", "/", "東", "京", "backspace", "backspace", "esc")
	hw.keys("book filter matching nothing", "/", "z", "q", "x", "enter", "esc")
	// Snoozing asks how long, naming the account, and shows its name in
	// the status line.
	hw.keys("book snooze", "g", "z", "enter")
	if hw.a.status == "" {
		hw.t.Error("snoozing showed no status line")
	}
	hw.keys("book snooze picker", "z", "esc")
	// A new note from the book: the editor's header names the account.
	hw.keys("book new note", "n")
	if _, ok := hw.a.active().(*noteEditor); !ok {
		hw.t.Errorf("n in the book opened no note editor (%T)", hw.a.active())
	} else {
		hw.closeEditor("book new note")
	}
	// The book-wide screens: follow-ups, note search, rejected changes.
	hw.keys("follow-ups", "f")
	if _, ok := hw.a.active().(*followUps); !ok {
		hw.t.Errorf("f opened no follow-ups (%T)", hw.a.active())
	} else {
		hw.keys("follow-ups", "j", "j", "j", "G", "g", "esc")
	}
	hw.keys("rejected", "R")
	hw.backToBook("rejected")
	hw.keys("help", "?")
	if !hw.a.showHelp {
		hw.t.Error("? did not open the help")
	}
	hw.keys("help", "x")
	hw.keys("changes", "c")
	if ch, ok := hw.a.active().(*changesScreen); !ok || len(ch.rows) == 0 {
		hw.t.Fatalf("c did not open a changes screen with rows: %T", hw.a.active())
	}
	for range 6 {
		hw.keys("changes", "j")
	}
	hw.keys("changes", "G", "enter")
	if _, ok := hw.a.active().(*accountScreen); !ok {
		hw.t.Fatalf("enter on a change did not open its account: %T", hw.a.active())
	}
	hw.keys("account opened from changes", "tab", "pgdown", "esc")
	hw.keys("changes", "esc")
}

// walkSearch searches the notes and follow-ups for words of the hostile
// text, some of which only occur inside escape sequences (a link's URL, a
// clipboard text): a snippet must show neither the sequence nor what it
// hides.
func (hw *hostileWalk) walkSearch() {
	hw.t.Helper()
	for _, q := range []string{"click", "東京", "second", "evil", "hostile", "Y3Nt"} {
		hw.keys("search", "ctrl+f")
		if _, ok := hw.a.active().(*searchScreen); !ok {
			hw.t.Fatalf("ctrl+f opened no search (%T)", hw.a.active())
		}
		for _, r := range q {
			hw.keys("search for "+q, string(r))
		}
		// Each key searches in a command the helpers may give up on when
		// slow (-race): run the query once more and wait for its hits.
		if r, ok := hw.a.active().(refresher); ok {
			if cmd := r.Refresh(); cmd != nil {
				send(hw.a, cmd())
			}
		}
		hw.check("search for " + q + ", hits shown")
		hw.keys("search for "+q, "down", "down", "down", "up")
		hw.backToBook("search for " + q)
	}
}

// openAccount finds the account with the filter, as a CSM would (typing a
// word of its name), and opens it.
func (hw *hostileWalk) openAccount(id, word string) *accountScreen {
	hw.t.Helper()
	hw.keys("filter for "+word, "/")
	for _, r := range strings.ToLower(word) {
		hw.keys("filter for "+word, string(r))
	}
	hw.keys("filter for "+word, "enter")
	for range len(hw.a.book.visible) {
		if hw.a.book.selectedID() == id {
			break
		}
		hw.keys("filter for "+word, "j")
	}
	if got := hw.a.book.selectedID(); got != id {
		hw.t.Fatalf("filtering for %q did not reach account %q (at %q)", word, id, got)
	}
	hw.keys("open "+word, "enter")
	acc, ok := hw.a.active().(*accountScreen)
	if !ok || !acc.loaded || acc.err != nil {
		hw.t.Fatalf("account %q did not open: %T", id, hw.a.active())
	}
	return acc
}

// walkAccount tabs through every section, moves through its items, then
// pages through the whole page, and closes it.
func (hw *hostileWalk) walkAccount(acc *accountScreen, name string) {
	hw.t.Helper()
	where := "account " + name
	for range acc.page.sections {
		hw.keys(where, "tab", "j", "j", "j", "k")
	}
	hw.keys(where, "shift+tab", "g")
	// A page built from a 1 MiB name is long; every page of it is drawn,
	// up to a bound that keeps the test quick.
	for i := 0; i < 400; i++ {
		before := acc.offset
		hw.keys(where, "pgdown")
		if acc.offset == before {
			break
		}
	}
	hw.keys(where, "G", "pgup")
	hw.walkActions(acc, where)
	hw.keys(where, "esc")
	hw.keys("book after "+where, "esc")
}

// backToBook presses esc until the book is the active screen.
func (hw *hostileWalk) backToBook(where string) {
	hw.t.Helper()
	for range 4 {
		if hw.a.active() == screen(hw.a.book) {
			return
		}
		hw.keys(where, "esc")
	}
	hw.t.Fatalf("%s: esc did not lead back to the book (%T)", where, hw.a.active())
}

// closeEditor leaves a note editor without saving: esc, and y if it asks
// whether to discard.
func (hw *hostileWalk) closeEditor(where string) {
	hw.t.Helper()
	hw.keys(where, "esc")
	if e, ok := hw.a.active().(*noteEditor); ok && e.confirming {
		hw.keys(where+", discard", "y")
	}
	if _, ok := hw.a.active().(*noteEditor); ok {
		hw.t.Fatalf("%s: the note editor did not close", where)
	}
}

// focus tabs to the section with key k; false when the page has none.
func (hw *hostileWalk) focus(acc *accountScreen, k, where string) bool {
	hw.t.Helper()
	for range acc.page.sections {
		if acc.focusedKey() == k {
			return true
		}
		hw.keys(where, "tab")
	}
	return acc.focusedKey() == k
}

// walkActions uses the account's work keys, whose screens and status
// lines show account, playbook and campaign text: the play picker, the
// prompt that closes a play, a tick, a campaign saved to a file.
func (hw *hostileWalk) walkActions(acc *accountScreen, where string) {
	hw.t.Helper()
	hw.keys(where+", play picker", "p")
	if _, ok := hw.a.active().(*pickerScreen); !ok {
		hw.t.Errorf("%s: p opened no play picker (%T)", where, hw.a.active())
	} else {
		hw.keys(where+", play picker", "j", "j", "esc")
	}
	if hw.focus(acc, secPlays, where) {
		hw.keys(where+", plays", "j")
		if _, _, ok := acc.selectedPlayStep(); ok {
			hw.keys(where+", close play prompt", "c")
			if hw.a.active() != acc {
				hw.keys(where+", close play prompt", "esc")
			}
		}
	}
	if hw.focus(acc, secChecklist, where) {
		hw.keys(where+", tick", "x", "x")
	}
	// The note editor: a new note (its header names the account), then a
	// revision, pre-filled with the note's hostile body and next steps.
	hw.keys(where+", new note", "n")
	if _, ok := hw.a.active().(*noteEditor); !ok {
		hw.t.Errorf("%s: n opened no note editor (%T)", where, hw.a.active())
	} else {
		hw.closeEditor(where + ", new note")
	}
	if hw.focus(acc, secNotes, where) {
		hw.keys(where+", notes", "j")
		if _, ok := acc.selectedNote(); ok {
			hw.keys(where+", revise note", "e")
			if _, ok := hw.a.active().(*noteEditor); !ok {
				hw.t.Errorf("%s: e opened no note reviser (%T)", where, hw.a.active())
			} else {
				hw.keys(where+", revise note", "tab", "tab", "tab")
				hw.closeEditor(where + ", revise note")
			}
		}
	}
	if hw.focus(acc, secCampaigns, where) {
		hw.keys(where+", save campaign", "j", "w")
		if !strings.HasPrefix(hw.a.status, "saved to") {
			hw.t.Errorf("%s: w did not save the campaign: status %q", where, hw.a.status)
		}
	}
}

// firstWord is the first word of an account's original name, to find it.
func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i > 0 {
		return s[:i]
	}
	return s
}

func TestHostileBookScreens(t *testing.T) {
	st, _ := hostileStore(t)
	for _, size := range [][2]int{{80, 24}, {100, 30}, {160, 48}, {60, 16}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			hw := newHostileWalk(t, st, size[0], size[1])
			hw.walkBook()
			// Resizing redraws everything at the new width.
			send(hw.a, tea.WindowSizeMsg{Width: size[0] / 2, Height: size[1]})
			hw.w = size[0] / 2
			hw.check("book halved in width")
		})
	}
}

func TestHostileSearch(t *testing.T) {
	st, _ := hostileStore(t)
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			newHostileWalk(t, st, size[0], size[1]).walkSearch()
		})
	}
}

func TestHostileAccountScreens(t *testing.T) {
	st, h := hostileStore(t)
	base := model.Generate(model.GenOptions{Seed: 7, Accounts: hostileAccounts, Days: 365, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	// The kitchen-sink name, the 1 MiB name, the hostile id, and a few
	// others whose fields hold one payload each.
	picks := []int{0, 1, 2, 3, 7, 11}
	for _, size := range [][2]int{{80, 24}, {100, 30}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			hw := newHostileWalk(t, st, size[0], size[1])
			for _, i := range picks {
				word := firstWord(base.Accounts[i].Name)
				acc := hw.openAccount(h.Accounts[i].ID, word)
				hw.walkAccount(acc, word)
			}
			if size[0] == 100 && len(hw.kept) > 0 {
				// Every text that must survive did show somewhere.
				t.Errorf("never shown, though they must survive sanitizing: %q", keysOf(hw.kept))
			}
			t.Logf("%d frames checked", hw.frames)
		})
	}
}

func keysOf(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestHostileWholeProgram runs the real program loop and reads the bytes it
// wrote to the terminal: the renderer's own sequences are there, so it
// looks for what can only come from data, the payloads' Hidden texts (the
// clipboard text of OSC 52, the link of OSC 8, the titles, C1 and bidi
// characters).
func TestHostileWholeProgram(t *testing.T) {
	st, h := hostileStore(t)
	base := model.Generate(model.GenOptions{Seed: 7, Accounts: hostileAccounts, Days: 365, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	app := New(Options{Store: st, Now: func() time.Time { return fixedNow }, Label: "hostile"})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(100, 30))

	var written bytes.Buffer
	// waitFor reads what the program writes until cond holds; WaitFor
	// consumes the output, so everything read is kept in written.
	waitFor := func(what string, cond func(string) bool) {
		t.Helper()
		var seen []byte
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			seen = b
			return cond(string(b))
		}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
		written.Write(seen)
	}
	keys := func(ks ...string) {
		for _, k := range ks {
			switch k {
			case "pgdown":
				tm.Send(tea.KeyPressMsg{Code: tea.KeyPgDown})
			default:
				tm.Send(keyMsg(k))
			}
		}
	}
	settle := func(what string) {
		// Give the program a moment to draw after keys, then take what
		// it wrote (a frame that changed nothing writes nothing).
		time.Sleep(150 * time.Millisecond)
		waitFor(what, func(string) bool { return true })
	}

	waitFor("the book", func(s string) bool { return strings.Contains(s, "accounts") })
	keys("tab", "tab", "tab", "o", "o", "G", "g")
	settle("tabs and sorts")
	// Back to the tab of all accounts, where the filter finds any.
	keys("shift+tab", "shift+tab", "shift+tab")
	keys("/", "c", "l", "i", "c", "k", "enter")
	settle("filter")
	keys("esc", "?")
	waitFor("the help", func(s string) bool { return strings.Contains(s, "press") })
	keys("x", "c")
	settle("changes")
	keys("esc")
	settle("book again")
	keys("f", "j", "j", "G")
	settle("follow-ups")
	keys("esc")
	settle("book again")
	// Open the kitchen-sink account and the 1 MiB one and page through.
	for _, i := range []int{0, 1, 2} {
		keys("/")
		for _, r := range strings.ToLower(firstWord(base.Accounts[i].Name)) {
			keys(string(r))
		}
		keys("enter", "enter")
		waitFor("account "+h.Accounts[i].ID, func(s string) bool { return strings.Contains(s, "Usage") })
		for range 12 {
			keys("tab")
		}
		for range 20 {
			keys("pgdown")
		}
		settle("account pages")
		// esc closes the account through a command: wait for the book
		// before the next esc clears the filter.
		keys("esc")
		settle("book")
		keys("esc")
		settle("filter cleared")
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(20*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	written.Write(rest)

	out := written.Bytes()
	if len(out) < 1000 {
		t.Fatalf("the program wrote only %d bytes", len(out))
	}
	for _, hid := range modeltest.HostileHidden() {
		if i := bytes.Index(out, []byte(hid)); i >= 0 {
			t.Errorf("payload text %q reached the terminal: …%q…", hid, out[max(i-60, 0):min(i+60, len(out))])
		}
	}
	// Sequences the renderer never writes here, whatever it draws: a
	// clipboard write, a link, a notification.
	for _, seq := range []string{"\x1b]52;", "\x1b]8;", "\x1b]9;", "\x1b]777;", "\u009b", "\u009d"} {
		if bytes.Contains(out, []byte(seq)) {
			t.Errorf("the terminal received %q", seq)
		}
	}
	// The data is on screen, sanitized: something of it must show.
	if !bytes.Contains(out, []byte("click here")) && !bytes.Contains(out, []byte("東")) {
		t.Error("none of the hostile book's visible text reached the screen: the test drew nothing of it")
	}
}

// rawModel draws text as given, unsanitized.
type rawModel struct{ text string }

func (m rawModel) Init() tea.Cmd                       { return nil }
func (m rawModel) Update(tea.Msg) (tea.Model, tea.Cmd) { return m, nil }
func (m rawModel) View() tea.View                      { return tea.NewView(m.text) }

// TestHostileRendererControl is the control of TestHostileWholeProgram: the
// payloads drawn unsanitized, through the same renderer. The renderer drops
// 7-bit CSI and OSC itself, but it writes C1 controls (U+009D starts an OSC
// 52 on a terminal that reads UTF-8 C1), bidi and format characters, and
// the contents of DCS, APC, PM and SOS as they are. So the sanitizer is the
// only defence against those, and the whole-program check can see them.
func TestHostileRendererControl(t *testing.T) {
	var all []string
	for _, p := range modeltest.HostilePayloads() {
		all = append(all, "x "+p.Text)
	}
	tm := teatest.NewTestModel(t, rawModel{text: strings.Join(all, "\n")}, teatest.WithInitialTermSize(200, 80))
	var out []byte // WaitFor consumes what it reads: keep it
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { out = b; return bytes.Contains(b, []byte("x ")) },
		teatest.WithDuration(10*time.Second))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(10*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, rest...)
	var through []string
	for _, p := range modeltest.HostilePayloads() {
		for _, hid := range p.Hidden {
			if bytes.Contains(out, []byte(hid)) {
				through = append(through, p.Name)
				break
			}
		}
	}
	t.Logf("unsanitized, the renderer lets through: %q", through)
	if len(through) == 0 {
		t.Error("the renderer stopped every payload by itself: TestHostileWholeProgram no longer tests the sanitizer; revisit it")
	}
}

// An account the book still lists may be gone from the store when it is
// opened (a background sync deleted it). The error names the account by
// its id, which is server text like any other.
func TestHostileAccountErrorPath(t *testing.T) {
	st, h := hostileStore(t)
	base := model.Generate(model.GenOptions{Seed: 7, Accounts: hostileAccounts, Days: 365, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	hw := newHostileWalk(t, st, 100, 30)
	word := firstWord(base.Accounts[2].Name)
	hw.keys("filter for "+word, "/")
	for _, r := range strings.ToLower(word) {
		hw.keys("filter for "+word, string(r))
	}
	hw.keys("filter for "+word, "enter")
	for range len(hw.a.book.visible) {
		if hw.a.book.selectedID() == h.Accounts[2].ID {
			break
		}
		hw.keys("filter for "+word, "j")
	}
	if hw.a.book.selectedID() != modeltest.HostileAccountID {
		t.Fatalf("the account with the hostile id is not selected (%q)", hw.a.book.selectedID())
	}
	_, err := st.ApplyPage(context.Background(), data.Page{Changes: []data.Change{
		{Seq: 1, Entity: "account", Op: "delete", ID: modeltest.HostileAccountID},
	}})
	if err != nil {
		t.Fatal(err)
	}
	hw.keys("open a deleted account", "enter")
}
