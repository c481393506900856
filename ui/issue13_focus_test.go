package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// focusOnScreen fails unless the focus of the account page is where the
// CSM can see it: the selected item of the focused section on screen and
// marked ▶, or, for a section without items, some of it on screen.
func focusOnScreen(t *testing.T, acc *accountScreen, where string) {
	t.Helper()
	if acc.focus >= len(acc.page.sections) {
		t.Fatalf("%s: no focused section", where)
	}
	s := acc.page.sections[acc.focus]
	if len(s.items) == 0 {
		if !acc.visible(s) {
			t.Fatalf("%s: focused section %q (lines %d–%d) is off screen (offset %d, height %d)", where, s.key, s.start, s.end, acc.offset, acc.height)
		}
		return
	}
	line := s.items[acc.cursor[s.key]].line
	if line < acc.offset || line >= acc.offset+acc.height {
		t.Fatalf("%s: the selected item of %q (line %d) is off screen (offset %d, height %d)", where, s.key, line, acc.offset, acc.height)
	}
	rows := strings.Split(acc.View(), "\n")
	if !strings.Contains(ansi.Strip(rows[line-acc.offset]), "▶") {
		t.Fatalf("%s: the selected row of %q is not marked ▶: %q", where, s.key, ansi.Strip(rows[line-acc.offset]))
	}
	if _, ok := acc.selected(); !ok {
		t.Fatalf("%s: a row is marked but nothing is selected", where)
	}
}

// Issue 13, defect 1: at 80×24, tab to the checklist, resize to 120×30:
// the ▶ stayed where the page used to be; x unticked an item off screen
// and j jumped several items.
func TestAccountFocusSurvivesResize(t *testing.T) {
	st := fixtureStore(t, 30)
	for _, to := range [][2]int{{120, 30}, {200, 50}, {60, 20}} {
		a := newTestApp(t, st, 80, 24)
		acc := openFirstAccount(t, a)
		focus(t, a, acc, secChecklist)
		focusOnScreen(t, acc, "tab to the checklist")
		_, item, _ := acc.selectedChecklistItem()
		send(a, tea.WindowSizeMsg{Width: to[0], Height: to[1]})
		where := fmt.Sprintf("resized to %dx%d", to[0], to[1])
		focusOnScreen(t, acc, where)
		if _, got, ok := acc.selectedChecklistItem(); !ok || got != item {
			t.Fatalf("%s: selected %q, want %q still", where, got, item)
		}
		// j moves one item, not to the first on screen.
		press(t, a, "j")
		lists := acc.stageChecklists()
		if _, got, _ := acc.selectedChecklistItem(); got != lists[0].Items[1].Key {
			t.Fatalf("%s, j: selected %q, want the second item %q", where, got, lists[0].Items[1].Key)
		}
		focusOnScreen(t, acc, where+", j")
		// x ticks the highlighted item and says so.
		press(t, a, "x")
		if v := ansi.Strip(viewOf(a)); !strings.Contains(v, "item ticked · will sync") && !strings.Contains(v, "item unticked · will sync") {
			t.Fatalf("%s, x: no answer in the footer:\n%s", where, v)
		}
		focusOnScreen(t, acc, where+", x")
	}
}

// Issue 13, defect 1: G, PgDn, PgUp, g and the wheel move the view, and
// the focus moves with it: y on the campaign on screen after G copies it.
func TestAccountFocusFollowsTheView(t *testing.T) {
	st := fixtureStore(t, 30)
	for _, size := range [][2]int{{80, 24}, {120, 30}, {200, 50}} {
		a := newTestApp(t, st, size[0], size[1])
		acc := openFirstAccount(t, a)
		at := fmt.Sprintf("%dx%d", size[0], size[1])
		focus(t, a, acc, secChecklist)
		for i := 0; i < 40; i++ {
			pgDown(a)
			focusOnScreen(t, acc, fmt.Sprintf("%s pgdown %d", at, i))
		}
		for i := 0; i < 40; i++ {
			send(a, tea.KeyPressMsg{Code: tea.KeyPgUp})
			focusOnScreen(t, acc, fmt.Sprintf("%s pgup %d", at, i))
		}
		for i := 0; i < 60; i++ {
			send(a, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
			focusOnScreen(t, acc, fmt.Sprintf("%s wheel down %d", at, i))
		}
		for i := 0; i < 60; i++ {
			send(a, tea.MouseWheelMsg{Button: tea.MouseWheelUp})
			focusOnScreen(t, acc, fmt.Sprintf("%s wheel up %d", at, i))
		}
		focus(t, a, acc, secChecklist)
		press(t, a, "G")
		focusOnScreen(t, acc, at+" G")
		if acc.focusedKey() != secCampaigns {
			t.Fatalf("%s G: focus on %q, want the campaigns at the bottom", at, acc.focusedKey())
		}
		press(t, a, "y")
		if v := ansi.Strip(viewOf(a)); !strings.Contains(v, "copied") {
			t.Fatalf("%s y after G: the campaign on screen was not copied:\n%s", at, v)
		}
		press(t, a, "g")
		focusOnScreen(t, acc, at+" g")
		for i := 0; i < 80; i++ {
			press(t, a, "j")
			focusOnScreen(t, acc, fmt.Sprintf("%s j %d", at, i))
		}
		for range acc.page.sections {
			press(t, a, "tab")
			focusOnScreen(t, acc, at+" tab to "+acc.focusedKey())
		}
	}
}
