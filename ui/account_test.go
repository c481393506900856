package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"csm/data"
	"csm/model"
)

// openFirstAccount opens the book's first account with enter, as a CSM
// would, and returns its screen once loaded.
func openFirstAccount(t *testing.T, a *App) *accountScreen {
	t.Helper()
	press(t, a, "enter")
	acc, ok := a.active().(*accountScreen)
	if !ok {
		t.Fatalf("enter did not open an account screen: %T", a.active())
	}
	if !acc.loaded {
		// press gives a command 200ms; on a busy machine the read may take
		// longer. Wait for it here rather than fail.
		send(a, acc.Init()())
	}
	if !acc.loaded || acc.err != nil {
		t.Fatalf("account not loaded: loaded=%v err=%v", acc.loaded, acc.err)
	}
	return acc
}

// wholePage scrolls from top to bottom with pgdown and returns every line
// the screen showed, stripped of styles, in order (overlaps removed).
func wholePage(t *testing.T, a *App, acc *accountScreen) []string {
	t.Helper()
	press(t, a, "g")
	var out []string
	seen := -1
	for {
		body := strings.Split(acc.View(), "\n")
		for i, l := range body {
			if acc.offset+i > seen {
				out = append(out, ansi.Strip(l))
				seen = acc.offset + i
			}
		}
		before := acc.offset
		pgDown(a)
		if acc.offset == before {
			return out
		}
	}
}

// pgDown presses page down (the shared keyMsg knows no page keys).
func pgDown(a *App) { send(a, tea.KeyPressMsg{Code: tea.KeyPgDown}) }

var spaces = regexp.MustCompile(`\s+`)

// flat joins lines and collapses runs of white space, so sentences
// wrapped over several lines can be searched for.
func flat(lines []string) string {
	return spaces.ReplaceAllString(strings.Join(lines, " "), " ")
}

func TestAccountShowsTheStoredFigures(t *testing.T) {
	st := fixtureStore(t, 60)
	a := newTestApp(t, st, 100, 30)
	id := a.book.selectedID()
	acc := openFirstAccount(t, a)
	if acc.id != id {
		t.Fatalf("opened %s, the book had %s selected", acc.id, id)
	}
	d, err := st.AccountDetail(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	m := d.Metrics
	text := flat(wholePage(t, a, acc))

	want := []string{
		d.Account.Name,
		fmt.Sprintf("health %.1f", m.Health.Score),
		"usage as of Nov 20", // format.ShortDay: the clock's year goes without saying
		"utilization % (monthly active",
		"daily active users",
		"Aug 23", "Nov 20", // the x axis runs over the 90 days ending at T
		"Usage", "Health", "Why flagged", "Contacts", "NPS", "Follow-ups", "Checklist", "Plays", "Notes", "Campaigns",
		fmt.Sprintf("total %.1f", m.Health.Score),
	}
	for _, k := range m.Segments {
		want = append(want, model.Label(k)+": "+m.Reasons[k])
	}
	for _, n := range m.AlertNotes {
		want = append(want, n.Title, n.What, n.Figures, n.Play)
	}
	for _, c := range d.Contacts {
		want = append(want, c.Name)
	}
	if m.ChampionName != "" {
		want = append(want, "★ "+m.ChampionName)
	}
	for _, p := range m.Suggested {
		for _, pb := range d.Catalogue.Playbooks {
			if pb.Key == p {
				want = append(want, pb.Name)
			}
		}
	}
	for _, w := range want {
		if !strings.Contains(text, spaces.ReplaceAllString(w, " ")) {
			t.Errorf("the page does not show %q", w)
		}
	}
	// Every counted health component shows its points.
	for _, c := range m.Health.Components {
		if c.Counted && !strings.Contains(text, fmt.Sprintf("%.1f", c.Points)) {
			t.Errorf("health component %s: points %.1f not shown", c.Key, c.Points)
		}
	}
}

func TestAccountEscGoesBack(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 80, 24)
	openFirstAccount(t, a)
	press(t, a, "esc")
	if a.active() != screen(a.book) {
		t.Fatalf("esc left %T active, want the book", a.active())
	}
	if !strings.Contains(viewOf(a), "Account") {
		t.Fatal("the book's table is not back after esc")
	}
}

func TestAccountScrolls(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 80, 24)
	acc := openFirstAccount(t, a)
	top := viewOf(a)
	press(t, a, "j")
	if acc.offset != 1 {
		t.Fatalf("j: offset %d, want 1", acc.offset)
	}
	press(t, a, "k")
	if acc.offset != 0 || viewOf(a) != top {
		t.Fatalf("k did not scroll back to the top (offset %d)", acc.offset)
	}
	pgDown(a)
	if acc.offset != acc.height-1 {
		t.Fatalf("pgdown: offset %d, want %d", acc.offset, acc.height-1)
	}
	press(t, a, "G")
	if want := len(acc.page.lines) - acc.height; acc.offset != want {
		t.Fatalf("G: offset %d, want %d", acc.offset, want)
	}
	press(t, a, "g")
	if acc.offset != 0 {
		t.Fatalf("g: offset %d, want 0", acc.offset)
	}
	send(a, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if acc.offset != 3 {
		t.Fatalf("wheel down: offset %d, want 3", acc.offset)
	}
}

func TestAccountTabMovesTheFocus(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 80, 24)
	acc := openFirstAccount(t, a)
	if acc.focusedKey() != secUsage {
		t.Fatalf("first focus %q, want %q", acc.focusedKey(), secUsage)
	}
	for i, want := range []string{secHealth, secWhy, secContacts} {
		press(t, a, "tab")
		if acc.focusedKey() != want {
			t.Fatalf("tab %d: focus %q, want %q", i+1, acc.focusedKey(), want)
		}
		s := acc.page.sections[acc.focus]
		if s.start < acc.offset || s.start >= acc.offset+acc.height {
			t.Fatalf("tab %d: the title of %q (line %d) is off screen (offset %d)", i+1, want, s.start, acc.offset)
		}
	}
	press(t, a, "shift+tab")
	if acc.focusedKey() != secWhy {
		t.Fatalf("shift+tab: focus %q, want %q", acc.focusedKey(), secWhy)
	}
	// Shift+tab from the first section wraps to the last.
	press(t, a, "g", "shift+tab")
	if acc.focusedKey() != secCampaigns {
		t.Fatalf("shift+tab from the top: focus %q, want %q", acc.focusedKey(), secCampaigns)
	}
}

// focus tabs until the named section has the focus.
func focus(t *testing.T, a *App, acc *accountScreen, key string) {
	t.Helper()
	for range acc.page.sections {
		if acc.focusedKey() == key {
			return
		}
		press(t, a, "tab")
	}
	t.Fatalf("no section %q", key)
}

func TestAccountChecklistSelection(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 80, 24)
	acc := openFirstAccount(t, a)
	if _, _, ok := acc.selectedChecklistItem(); ok {
		t.Fatal("a checklist item is selected while the usage section has the focus")
	}
	focus(t, a, acc, secChecklist)
	cl, item, ok := acc.selectedChecklistItem()
	if !ok {
		t.Fatal("no checklist item selected in the focused checklist")
	}
	lists := acc.stageChecklists()
	if len(lists) == 0 || cl != lists[0].Key || item != lists[0].Items[0].Key {
		t.Fatalf("selected %s/%s, want the first item of the stage checklist", cl, item)
	}
	if !strings.Contains(viewOf(a), "▶") {
		t.Fatal("the selected item is not marked")
	}
	press(t, a, "j", "j")
	_, item, _ = acc.selectedChecklistItem()
	if item != lists[0].Items[2].Key {
		t.Fatalf("j j: selected %s, want %s", item, lists[0].Items[2].Key)
	}
	press(t, a, "k")
	_, item, _ = acc.selectedChecklistItem()
	if item != lists[0].Items[1].Key {
		t.Fatalf("k: selected %s, want %s", item, lists[0].Items[1].Key)
	}
	if _, _, ok := acc.selectedPlayStep(); ok {
		t.Fatal("a play step is selected in the checklist")
	}
}

func TestAccountNoteSelection(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 80, 24)
	acc := openFirstAccount(t, a)
	focus(t, a, acc, secNotes)
	threads := acc.noteThreads()
	id, ok := acc.selectedNote()
	if len(threads) == 0 {
		if ok {
			t.Fatal("a note is selected on an account without notes")
		}
		return
	}
	if !ok || id != threads[0].current.ID {
		t.Fatalf("selected note %q, want the newest %q", id, threads[0].current.ID)
	}
}

func TestAccountFitsEverySize(t *testing.T) {
	st := fixtureStore(t, 60)
	for _, size := range [][2]int{{80, 24}, {100, 30}, {139, 40}, {140, 40}, {160, 48}, {220, 60}, {60, 20}} {
		a := newTestApp(t, st, size[0], size[1])
		press(t, a, "j", "j", "j") // an account with usage, plays and notes
		acc := openFirstAccount(t, a)
		check := func(where string) {
			lines := strings.Split(viewOf(a), "\n")
			if len(lines) != size[1] {
				t.Errorf("%dx%d %s: view has %d lines", size[0], size[1], where, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("%dx%d %s: row %d is %d cells wide: %q", size[0], size[1], where, i, w, ansi.Strip(l))
				}
			}
		}
		for {
			check(fmt.Sprintf("at line %d", acc.offset))
			before := acc.offset
			pgDown(a)
			if acc.offset == before {
				break
			}
		}
		// The focused title and the selected row are drawn over the page:
		// they must fit too, in either column.
		press(t, a, "g")
		for range acc.page.sections {
			press(t, a, "tab", "j")
			check("focus on " + acc.focusedKey())
		}
	}
}

func TestAccountSanitizesData(t *testing.T) {
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	books := model.Generate(model.GenOptions{Seed: 7, Accounts: 20, Days: 120, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})
	b := books[0]
	const evil = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\u202e"
	for i := range b.Accounts {
		b.Accounts[i].Name += evil
	}
	for i := range b.Contacts {
		b.Contacts[i].Name += evil
		b.Contacts[i].Title += evil
	}
	for i := range b.Notes {
		b.Notes[i].Body += evil + "\nsecond line"
		b.Notes[i].NextSteps = append(b.Notes[i].NextSteps, "call back"+evil)
	}
	for i := range b.NPS {
		b.NPS[i].Comment += evil
	}
	for i := range b.Tasks {
		b.Tasks[i].Title += evil
	}
	if err := st.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{80, 160} {
		a := newTestApp(t, st, w, 40)
		acc := openFirstAccount(t, a)
		for _, l := range acc.page.lines {
			for _, bad := range []string{"\x1b]", "\x1b[2J", "\x07", "\x9b", "\u202e", "\u009b"} {
				if strings.Contains(l, bad) {
					t.Fatalf("width %d: a line carries %q from data: %q", w, bad, l)
				}
			}
		}
	}
}

// TestAccountGoldenBusy is an account with usage, plays and notes, scrolled
// to show the work sections.
func TestAccountGoldenBusy(t *testing.T) {
	st := fixtureStore(t, 60)
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			a := newTestApp(t, st, size[0], size[1])
			press(t, a, "j", "j", "j")
			openFirstAccount(t, a)
			golden.RequireEqual(t, []byte(viewOf(a)))
		})
	}
}

// BenchmarkAccountPage measures what opening an account costs besides the
// query: laying out the whole page at a large size from the loaded detail.
func BenchmarkAccountPage(b *testing.B) {
	st := fixtureStore(b, 200)
	a := newTestApp(b, st, 160, 48)
	id := a.book.book.Rows[3].Account.ID
	msg := newAccountScreen(&a.env, id).Init()()
	for b.Loop() {
		acc := newAccountScreen(&a.env, id)
		acc.SetSize(160, 44)
		acc.Update(msg)
		_ = acc.View()
	}
}

// BenchmarkAccountScroll measures a keypress: it must not rebuild the page.
func BenchmarkAccountScroll(b *testing.B) {
	st := fixtureStore(b, 60)
	a := newTestApp(b, st, 160, 48)
	send(a, keyMsg("enter"))
	down := keyMsg("j")
	for b.Loop() {
		a.Update(down)
		_ = a.View()
	}
}
