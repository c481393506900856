package ui

import (
	"math/rand/v2"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// listOf is a list of n rows, h in view, with headings at the given rows.
func listOf(n, h int, headings ...int) *list {
	l := &list{}
	if len(headings) > 0 {
		set := map[int]bool{}
		for _, i := range headings {
			set[i] = true
		}
		l.heading = func(i int) bool { return set[i] }
	}
	l.SetHeight(h)
	l.SetLen(n)
	return l
}

func TestListNavigation(t *testing.T) {
	keys := DefaultKeyMap()
	wheel := func(b tea.MouseButton) tea.Msg { return tea.MouseWheelMsg{Button: b} }
	tests := []struct {
		name     string
		l        *list
		msgs     []tea.Msg
		cursor   int
		offset   int
		selected bool
	}{
		{"empty list", listOf(0, 5), []tea.Msg{keyMsg("j"), keyMsg("G")}, 0, 0, false},
		{"down", listOf(10, 5), []tea.Msg{keyMsg("j"), keyMsg("down")}, 2, 0, true},
		{"down past the screen scrolls one", listOf(10, 5), []tea.Msg{keyMsg("j"), keyMsg("j"), keyMsg("j"), keyMsg("j"), keyMsg("j")}, 5, 1, true},
		{"up at the top stays", listOf(10, 5), []tea.Msg{keyMsg("k"), keyMsg("up")}, 0, 0, true},
		{"bottom", listOf(10, 5), []tea.Msg{keyMsg("G")}, 9, 5, true},
		{"bottom then top", listOf(10, 5), []tea.Msg{keyMsg("G"), keyMsg("g")}, 0, 0, true},
		{"page down", listOf(12, 5), []tea.Msg{tea.KeyPressMsg{Code: tea.KeyPgDown}}, 5, 1, true},
		{"page down twice stops at the end", listOf(12, 5), []tea.Msg{tea.KeyPressMsg{Code: tea.KeyPgDown}, tea.KeyPressMsg{Code: tea.KeyPgDown}, tea.KeyPressMsg{Code: tea.KeyPgDown}}, 11, 7, true},
		{"page up from the bottom", listOf(12, 5), []tea.Msg{keyMsg("G"), tea.KeyPressMsg{Code: tea.KeyPgUp}}, 6, 6, true},
		{"wheel down", listOf(10, 5), []tea.Msg{wheel(tea.MouseWheelDown)}, 3, 0, true},
		{"wheel down twice", listOf(10, 5), []tea.Msg{wheel(tea.MouseWheelDown), wheel(tea.MouseWheelDown)}, 6, 2, true},
		{"wheel up at the top", listOf(10, 5), []tea.Msg{wheel(tea.MouseWheelUp)}, 0, 0, true},
		{"one row of room", listOf(10, 1), []tea.Msg{keyMsg("j"), keyMsg("j")}, 2, 2, true},
		{"headings: starts under the first", listOf(6, 5, 0, 3), nil, 1, 0, true},
		{"headings: down steps over one", listOf(6, 5, 0, 3), []tea.Msg{keyMsg("j"), keyMsg("j")}, 4, 0, true},
		{"headings: top shows the heading", listOf(6, 2, 0, 3), []tea.Msg{keyMsg("G"), keyMsg("g")}, 1, 0, true},
		{"headings: up to a group's first row shows its heading", listOf(8, 3, 0, 3), []tea.Msg{keyMsg("G"), keyMsg("k"), keyMsg("k"), keyMsg("k")}, 4, 3, true},
		{"headings: page down counts rows, not headings", listOf(8, 3, 0, 3), []tea.Msg{tea.KeyPressMsg{Code: tea.KeyPgDown}}, 5, 3, true},
		{"headings only", listOf(2, 3, 0, 1), []tea.Msg{keyMsg("j")}, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.l
			for _, m := range tc.msgs {
				if !l.Update(m, keys) {
					t.Fatalf("%v not handled", m)
				}
			}
			_, ok := l.Selected()
			if l.Cursor() != tc.cursor || l.Offset() != tc.offset || ok != tc.selected {
				t.Fatalf("cursor %d offset %d selected %v, want %d %d %v", l.Cursor(), l.Offset(), ok, tc.cursor, tc.offset, tc.selected)
			}
		})
	}
}

func TestListIgnoresOtherMessages(t *testing.T) {
	l := listOf(10, 5)
	for _, m := range []tea.Msg{keyMsg("enter"), keyMsg("x"), tea.MouseClickMsg{}, tea.WindowSizeMsg{}} {
		if l.Update(m, DefaultKeyMap()) {
			t.Fatalf("%T %v handled", m, m)
		}
	}
	if l.Cursor() != 0 {
		t.Fatal("cursor moved")
	}
}

// TestListHeightAndLength: the room and the rows change under the
// selection (a resize, the filter line opening, a re-read with fewer rows),
// and the selection stays in view.
func TestListHeightAndLength(t *testing.T) {
	tests := []struct {
		name           string
		change         func(l *list)
		cursor, offset int
	}{
		{"shorter: the selection at the bottom scrolls into view", func(l *list) { l.SetHeight(5) }, 9, 5},
		{"taller: no needless scroll back", func(l *list) { l.SetHeight(20) }, 9, 0},
		{"fewer rows: the cursor comes to the last", func(l *list) { l.SetLen(4) }, 3, 0},
		{"no rows", func(l *list) { l.SetLen(0) }, 0, 0},
		{"select past the end", func(l *list) { l.Select(99) }, 29, 20},
		{"reset", func(l *list) { l.Reset() }, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := listOf(30, 10)
			l.Select(9)
			tc.change(l)
			if l.Cursor() != tc.cursor || l.Offset() != tc.offset {
				t.Fatalf("cursor %d offset %d, want %d %d", l.Cursor(), l.Offset(), tc.cursor, tc.offset)
			}
		})
	}
}

// TestListSelectionAlwaysInView drives lists of every shape with random
// steps: the selection is always a row in view, never a heading.
func TestListSelectionAlwaysInView(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	keys := DefaultKeyMap()
	msgs := []tea.Msg{keyMsg("j"), keyMsg("k"), keyMsg("g"), keyMsg("G"),
		tea.KeyPressMsg{Code: tea.KeyPgDown}, tea.KeyPressMsg{Code: tea.KeyPgUp},
		tea.MouseWheelMsg{Button: tea.MouseWheelDown}, tea.MouseWheelMsg{Button: tea.MouseWheelUp}}
	for round := 0; round < 300; round++ {
		n := r.IntN(40)
		var heads []int
		for i := 0; i < n; i++ {
			if r.IntN(4) == 0 {
				heads = append(heads, i)
			}
		}
		l := listOf(n, 1+r.IntN(12), heads...)
		for step := 0; step < 60; step++ {
			switch r.IntN(10) {
			case 0:
				l.SetHeight(r.IntN(14))
			case 1:
				l.SetLen(r.IntN(n + 1))
			default:
				l.Update(msgs[r.IntN(len(msgs))], keys)
			}
			if l.Len() == 0 {
				if l.Cursor() != 0 || l.Offset() != 0 {
					t.Fatalf("round %d: empty list at %d/%d", round, l.Cursor(), l.Offset())
				}
				continue
			}
			if l.Cursor() < l.Offset() || l.Cursor() >= l.End() {
				t.Fatalf("round %d step %d: cursor %d out of view [%d, %d)", round, step, l.Cursor(), l.Offset(), l.End())
			}
			if _, ok := l.Selected(); !ok && !allHeadings(l) {
				t.Fatalf("round %d step %d: cursor %d on a heading", round, step, l.Cursor())
			}
		}
	}
}

func allHeadings(l *list) bool {
	for i := 0; i < l.Len(); i++ {
		if !l.isHeading(i) {
			return false
		}
	}
	return true
}
