package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// list is the navigation of every list screen: which row is selected and
// which rows are in view. It counts rows and never holds them: the screen
// keeps its rows, tells the list how many there are (SetLen) and how many
// fit (SetHeight), draws rows [Offset, End) and marks Cursor.
//
// After every method the selection is on a row in view: a screen never
// acts on a row the reader cannot see.
type list struct {
	cursor, offset int
	n, height      int
	// heading, when set, says which rows are headings (the follow-ups'
	// groups): the cursor never rests on one and moves step over them,
	// and a heading stays in view above the first row under it.
	heading func(i int) bool
}

// wheelRows is how far one notch of the mouse wheel moves the selection.
const wheelRows = 3

// Cursor is the selected row; 0 in an empty list.
func (l *list) Cursor() int { return l.cursor }

// Offset is the first row in view.
func (l *list) Offset() int { return l.offset }

// End is one past the last row in view.
func (l *list) End() int { return min(l.offset+l.rows(), l.n) }

// Len is the number of rows.
func (l *list) Len() int { return l.n }

// Height is the number of rows that fit.
func (l *list) Height() int { return l.rows() }

// Selected returns the selected row, false when there is none (an empty
// list, or one of headings only).
func (l *list) Selected() (int, bool) {
	if l.cursor >= l.n || l.isHeading(l.cursor) {
		return 0, false
	}
	return l.cursor, true
}

// SetLen says how many rows there are now; the cursor stays at the same
// index where it can.
func (l *list) SetLen(n int) {
	l.n = max(n, 0)
	l.clamp()
}

// SetHeight says how many rows fit; the selection stays in view.
func (l *list) SetHeight(h int) {
	l.height = max(h, 1)
	l.clamp()
}

// Select moves the cursor to row i (or the nearest row to it).
func (l *list) Select(i int) {
	l.cursor = i
	l.clamp()
}

// Reset selects the first row and scrolls to the top.
func (l *list) Reset() {
	l.cursor, l.offset = 0, 0
	l.clamp()
}

// Top selects the first row.
func (l *list) Top() { l.Select(0) }

// Bottom selects the last row.
func (l *list) Bottom() { l.Select(l.n - 1) }

// Move moves the selection d rows down (up when negative), stopping at
// either end; headings are stepped over and not counted.
func (l *list) Move(d int) {
	if l.heading == nil {
		l.Select(l.cursor + d)
		return
	}
	step := 1
	if d < 0 {
		step, d = -1, -d
	}
	for ; d > 0; d-- {
		next := l.cursor + step
		for next >= 0 && next < l.n && l.heading(next) {
			next += step
		}
		if next < 0 || next >= l.n {
			break
		}
		l.cursor = next
	}
	l.clamp()
}

// Update handles the navigation keys (up, down, top, bottom, page up and
// down) and the mouse wheel; false when msg is none of them.
func (l *list) Update(msg tea.Msg, k KeyMap) bool {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Up):
			l.Move(-1)
		case key.Matches(msg, k.Down):
			l.Move(1)
		case key.Matches(msg, k.Top):
			l.Top()
		case key.Matches(msg, k.Bottom):
			l.Bottom()
		case key.Matches(msg, k.PageUp):
			l.Move(-l.rows())
		case key.Matches(msg, k.PageDown):
			l.Move(l.rows())
		default:
			return false
		}
		return true
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			l.Move(-wheelRows)
		case tea.MouseWheelDown:
			l.Move(wheelRows)
		default:
			return false
		}
		return true
	}
	return false
}

// rows is the height, at least one row.
func (l *list) rows() int { return max(l.height, 1) }

func (l *list) isHeading(i int) bool { return l.heading != nil && i >= 0 && i < l.n && l.heading(i) }

// clamp puts the cursor on a row (off a heading: the row below it, or the
// one above at the end) and scrolls as little as keeps it in view.
func (l *list) clamp() {
	l.cursor = min(max(l.cursor, 0), max(l.n-1, 0))
	if l.isHeading(l.cursor) {
		l.cursor = l.nearestRow(l.cursor)
	}
	h := l.rows()
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	// A group's heading shows with its first row.
	if l.cursor == l.offset && l.isHeading(l.cursor-1) {
		l.offset--
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
	l.offset = min(max(l.offset, 0), max(l.n-h, 0))
}

// nearestRow is the first row that is no heading below i, else above it;
// i itself when every row is one.
func (l *list) nearestRow(i int) int {
	for j := i + 1; j < l.n; j++ {
		if !l.heading(j) {
			return j
		}
	}
	for j := i - 1; j >= 0; j-- {
		if !l.heading(j) {
			return j
		}
	}
	return i
}
