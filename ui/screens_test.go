package ui

import (
	"context"
	"fmt"
	"image/color"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"csm/data"
	"csm/model"
)

// The screens a CSM reaches, each opened as they would open it and with
// enough on it to show what it draws: the goldens and the restyle test
// walk them all.

// screenCase opens one screen over the book of a.
type screenCase struct {
	name string
	open func(t *testing.T, a *App, st *data.Store)
}

var screenCases = []screenCase{
	{"book", func(t *testing.T, a *App, st *data.Store) {}},
	{"account", func(t *testing.T, a *App, st *data.Store) { openFirstAccount(t, a) }},
	{"followups", openFollowUpsScreen},
	{"search", openSearchScreen},
	{"rejected", openRejectedScreen},
	{"changes", openChangesScreen},
	{"note_editor", openNoteEditorScreen},
	{"help", func(t *testing.T, a *App, st *data.Store) { press(t, a, "?") }},
}

// ctrlKey is ctrl and a letter.
func ctrlKey(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl} }

// activeAs returns the active screen as a T, failing the test otherwise.
func activeAs[T screen](t *testing.T, a *App) T {
	t.Helper()
	s, ok := a.active().(T)
	if !ok {
		t.Fatalf("active screen is %T", a.active())
	}
	return s
}

func openFollowUpsScreen(t *testing.T, a *App, st *data.Store) {
	press(t, a, "f")
	f := activeAs[*followUps](t, a)
	if !f.loaded {
		send(a, f.load()())
	}
}

func openSearchScreen(t *testing.T, a *App, st *data.Store) {
	send(a, ctrlKey('f'))
	s := activeAs[*searchScreen](t, a)
	typeText(a, "dashboard load")
	send(a, s.run()()) // the last query, however long the others take
	if len(s.hits) == 0 {
		t.Fatal("no hit for the search")
	}
}

// openRejectedScreen has the server refuse a note, then opens the list with
// R. The change's time is the store's clock: it is pinned for the golden.
func openRejectedScreen(t *testing.T, a *App, st *data.Store) {
	rejectNote(t, st)
	send(a, a.loadCounts()())
	press(t, a, "R")
	r := activeAs[*rejectedScreen](t, a)
	if !r.loaded {
		send(a, r.load()())
	}
	muts := append([]data.Mutation(nil), r.muts...)
	for i := range muts {
		muts[i].At = fixedNow.Add(-2 * time.Hour)
	}
	send(a, rejectedLoadedMsg{seq: r.loadSeq, muts: muts, names: r.names})
}

// openChangesScreen lowers the bar of low utilization and computes again,
// so accounts leave that segment, then opens the changes with c. The
// computation's time is pinned for the golden.
func openChangesScreen(t *testing.T, a *App, st *data.Store) {
	ctx := context.Background()
	th := model.DefaultThresholds()
	th.LowUtilization = 0.05
	st.SetThresholds(th)
	if err := st.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	send(a, a.loadBook()())
	press(t, a, "c")
	activeAs[*changesScreen](t, a)
	rows, _, err := st.Changes(ctx)
	if err != nil || len(rows) == 0 {
		t.Fatalf("no changes (%v)", err)
	}
	send(a, changesLoadedMsg{rows: sortChanges(rows), at: fixedNow.Add(-time.Hour)})
}

// openNoteEditorScreen writes a note with one next step due on Friday.
func openNoteEditorScreen(t *testing.T, a *App, st *data.Store) {
	press(t, a, "n")
	activeAs[*noteEditor](t, a)
	typeText(a, "Call with Dana about the renewal: they want the pricing before the board meets.")
	send(a, ctrlKey('n'))
	typeText(a, "Send the pricing deck")
	press(t, a, "tab")
	typeText(a, "fri")
}

// setBackground tells the UI the terminal's background, as the terminal's
// answer to tea.RequestBackgroundColor would.
func setBackground(a *App, dark bool) {
	var c color.Color = color.White
	if dark {
		c = color.Black
	}
	send(a, tea.BackgroundColorMsg{Color: c})
}

// TestEveryScreenRestyles opens every kind of screen, one over the other,
// with text in their fields, then has the terminal report a light
// background: every screen, the ones under the active one included, draws
// in the light palette only, and no component keeps its own dark default.
func TestEveryScreenRestyles(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 120, 40)
	openFirstAccount(t, a)
	push := func(s screen) { send(a, pushScreenMsg{s: s}) }
	push(newFollowUps(&a.env))
	push(newChangesScreen(&a.env))
	push(newRejected(&a.env))
	push(newSearch(&a.env))
	typeText(a, "dashboard")
	push(newPicker(&a.env, "Pick one", []pickOption{{label: "first", detail: "the first", value: "1"}}, func(string) tea.Cmd { return nil }))
	push(newPrompt(&a.env, "Say something", "anything", func(string) tea.Cmd { return nil }))
	typeText(a, "words")
	push(newNoteEditor(&a.env, a.book.selectedID(), "Account"))
	send(a, ctrlKey('n'))
	typeText(a, "a step")

	setBackground(a, false)
	light := paletteColours(NewPalette(false))
	for len(a.stack) > 0 {
		checkColours(t, a, light)
		send(a, popScreenMsg{})
	}
	press(t, a, "/", "a")
	checkColours(t, a, light)
	press(t, a, "esc", "?")
	checkColours(t, a, light)

	// The answer comes while the account is in view: its page, built
	// when it loaded, is built again.
	b := newTestApp(t, st, 120, 40)
	openFirstAccount(t, b)
	setBackground(b, false)
	checkColours(t, b, light)
}

// paletteColours lists the colours of a palette as SGR parameters.
func paletteColours(p Palette) map[string]bool {
	out := map[string]bool{}
	for _, c := range []color.Color{p.Fg, p.Subtle, p.Accent, p.Good, p.Warn, p.Bad, p.SelBg} {
		r, g, b, _ := c.RGBA()
		out[fmt.Sprintf("2;%d;%d;%d", r>>8, g>>8, b>>8)] = true
	}
	return out
}

// checkColours fails when the frame sets a colour outside the palette.
func checkColours(t *testing.T, a *App, palette map[string]bool) {
	t.Helper()
	frame := viewOf(a)
	for _, m := range sgrPattern.FindAllStringSubmatch(frame, -1) {
		params := strings.Split(m[1], ";")
		for i := 0; i < len(params); i++ {
			switch p := params[i]; {
			case (p == "38" || p == "48") && i+1 < len(params) && params[i+1] == "2" && i+4 < len(params):
				c := strings.Join(params[i+1:i+5], ";")
				if !palette[c] {
					t.Fatalf("%T draws colour %s outside the palette:\n%s", a.active(), c, frame)
				}
				i += 4
			case p == "38" || p == "48":
				t.Fatalf("%T draws an indexed colour %q:\n%s", a.active(), m[1], frame)
			case len(p) == 2 && (p[0] == '3' || p[0] == '4' || p[0] == '9') && p[1] != '8' && p[1] != '9':
				t.Fatalf("%T draws a basic colour %q:\n%s", a.active(), m[1], frame)
			}
		}
	}
}

var sgrPattern = regexp.MustCompile("\x1b\\[([0-9;]*)m")

// TestSelectionStaysInView: on every list screen, whatever takes the room
// (a smaller terminal, the book's filter line opening, the bottom of the
// list, the wheel), the selected row is on the screen, so enter, n or x
// never act on a row the CSM cannot see.
func TestSelectionStaysInView(t *testing.T) {
	seen := func(t *testing.T, a *App, step string) {
		t.Helper()
		if !strings.Contains(viewOf(a), "▶") {
			t.Fatalf("%s: the selected row is off screen:\n%s", step, ansi.Strip(viewOf(a)))
		}
	}
	for _, sc := range screenCases {
		if sc.name == "account" || sc.name == "note_editor" || sc.name == "help" {
			continue // no list
		}
		t.Run(sc.name, func(t *testing.T) {
			st := fixtureStore(t, 60)
			a := newTestApp(t, st, 100, 24)
			sc.open(t, a, st)
			if sc.name == "search" {
				press(t, a, "down")
			}
			seen(t, a, "opened")
			for i := 0; i < 17; i++ {
				press(t, a, "down")
			}
			seen(t, a, "moved to the bottom row in view")
			if sc.name == "book" {
				press(t, a, "/")
				seen(t, a, "filter line opened")
				press(t, a, "enter")
			}
			send(a, tea.WindowSizeMsg{Width: 100, Height: 9})
			seen(t, a, "terminal shrunk")
			press(t, a, "G")
			send(a, tea.WindowSizeMsg{Width: 100, Height: 7})
			seen(t, a, "bottom, then shrunk")
			send(a, tea.MouseWheelMsg{Button: tea.MouseWheelUp})
			seen(t, a, "wheel up")
		})
	}
}
