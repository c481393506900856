package ui

import (
	"math"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"csm/model"
)

// textBox is the multi-line text field of the note and campaign editors.
// The bubbles text area does the editing; the box draws it. The text
// area's own View draws every row of the text, plus a screen of padding,
// through Lip Gloss, and then cuts the rows that fit: on a note of 40
// lines that was most of the cost of a key. The box draws only the rows
// on screen, and keeps which rows those are itself (text_box_view.go).
//
// The rows are cut where the text area cuts them (wrapRows), so that up
// and down in the text area move between the rows drawn here.
type textBox struct {
	area  textarea.Model
	limit int // bytes of text at most; 0: no limit

	top int // the first row on screen
	// free says the wheel moved the view away from the cursor: it stays
	// where the wheel left it until the next key.
	free bool

	// text and lines are the text as it is, kept between changes: the
	// text area builds its text anew at each call, and a frame and a
	// draft each want it several times.
	text  string
	lines []string
	known bool

	wraps     map[string][][]rune // the rows of a line, at wrapWidth
	wrapWidth int
}

// textBoxMinWidth is the least width a box is given, its prompt included.
const textBoxMinWidth = 10

// newTextBox is an empty box with the UI's styles, holding at most limit
// bytes of text, in as many lines as it takes.
func newTextBox(styles textarea.Styles, limit int, placeholder string) textBox {
	b := textBox{area: textarea.New(), limit: limit}
	b.area.ShowLineNumbers = false
	b.area.MaxHeight = 0
	// The box keeps the limit itself, in bytes as the store counts: the
	// text area's own counts cells, over the whole text at every key.
	b.area.CharLimit = 0
	b.area.Placeholder = placeholder
	// ctrl+v would read the clipboard of the machine csm runs on (over
	// ssh, not the CSM's) and insert it past the box's limit and its
	// cleaning; the terminal's own paste arrives as a tea.PasteMsg.
	b.area.KeyMap.Paste.SetEnabled(false)
	b.area.SetStyles(styles)
	return b
}

// Value is the text.
func (b *textBox) Value() string {
	b.know()
	return b.text
}

// know reads the text from the text area, once per change.
func (b *textBox) know() {
	if !b.known {
		b.text = b.area.Value()
		b.lines = strings.Split(b.text, "\n")
		b.known = true
	}
}

// changed says the text may have changed: it is read again when next
// wanted, and the view follows the cursor.
func (b *textBox) changed() {
	b.known = false
	b.follow()
}

// Update edits the text and keeps the cursor in view; the wheel scrolls.
func (b *textBox) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			b.scroll(-wheelRows)
		case tea.MouseWheelDown:
			b.scroll(wheelRows)
		}
		return nil
	case tea.PasteMsg:
		b.dropEmptySelection()
		msg.Content = model.FitBytes(msg.Content, b.room())
		var cmd tea.Cmd
		b.area, cmd = b.area.Update(msg)
		b.changed()
		return cmd
	case tea.KeyPressMsg:
		b.dropEmptySelection()
		if b.wouldOverflow(msg) {
			return nil
		}
		if b.typePlain(msg) {
			b.changed()
			return nil
		}
	}
	var cmd tea.Cmd
	b.area, cmd = b.area.Update(msg)
	b.changed()
	return cmd
}

// room is how many more bytes the text may take.
func (b *textBox) room() int {
	if b.limit <= 0 {
		return math.MaxInt
	}
	return max(b.limit-len(b.Value()), 0)
}

// wouldOverflow says a key would add text past the limit: it types
// nothing, as a full field does.
func (b *textBox) wouldOverflow(msg tea.KeyPressMsg) bool {
	switch {
	case b.area.HasSelection():
		return false // it replaces the selection
	case key.Matches(msg, b.area.KeyMap.InsertNewline):
		return b.room() < 1
	}
	return b.room() < len(typedText(msg))
}

// typedText is the text a key types: its text when no modifier but shift
// is held, else none.
func typedText(msg tea.KeyPressMsg) string {
	if msg.Mod&^tea.ModShift != 0 {
		return ""
	}
	return msg.Text
}

// dropEmptySelection forgets a selection of nothing. The text area keeps
// one alive after shift and an arrow that did not move (at the end of the
// text, say), and its anchor does not follow later edits: the next shift
// and arrow then selected from where the text used to be, and deleting
// that selection crashed the text area (index out of range) when its
// lines were gone.
func (b *textBox) dropEmptySelection() {
	if !b.area.HasSelection() {
		b.area.ClearSelection()
	}
}

// typePlain types a printable key without the text area's Update, which
// draws the whole text once more to place its own view. It types exactly
// what Update would.
func (b *textBox) typePlain(msg tea.KeyPressMsg) bool {
	text := typedText(msg)
	if !b.area.Focused() || text == "" || b.area.HasSelection() {
		return false
	}
	b.area.InsertString(text)
	return true
}

// SetValue replaces the text; the cursor ends at its end, in view.
func (b *textBox) SetValue(s string) {
	b.area.SetValue(s)
	b.changed()
}

// MoveToBegin puts the cursor at the start of the text, in view.
func (b *textBox) MoveToBegin() {
	b.area.MoveToBegin()
	b.follow()
}

// SetWidth sets the width of the box, prompt included.
func (b *textBox) SetWidth(w int) {
	b.area.SetWidth(w)
	b.follow()
}

// SetHeight sets the rows of the box.
func (b *textBox) SetHeight(h int) {
	b.area.SetHeight(h)
	b.follow()
}

// SetStyles gives the box the UI's styles.
func (b *textBox) SetStyles(s textarea.Styles) { b.area.SetStyles(s) }

// Focus gives the box the keys.
func (b *textBox) Focus() tea.Cmd { return b.area.Focus() }

// Blur takes the keys away.
func (b *textBox) Blur() { b.area.Blur() }

// Width is the text's width in cells, the prompt excluded.
func (b *textBox) Width() int { return b.area.Width() }

// Height is the box's rows.
func (b *textBox) Height() int { return b.area.Height() }

// Line and Column are where the cursor is: the line, and the rune in it.
func (b *textBox) Line() int   { return b.area.Line() }
func (b *textBox) Column() int { return b.area.Column() }

// follow scrolls as little as it takes to bring the cursor into view.
func (b *textBox) follow() {
	b.free = false
	b.top = b.topFor(b.top)
}

// topFor is the first row on screen, from top, once the cursor is in view.
func (b *textBox) topFor(top int) int {
	b.know()
	row := b.cursorRow(b.lines)
	if row < top {
		return row
	}
	if last := top + b.Height() - 1; row > last {
		return row - b.Height() + 1
	}
	return top
}

// scroll moves the view by n rows, the last row of text no higher than
// the bottom of the box.
func (b *textBox) scroll(n int) {
	b.know()
	total := 0
	for _, l := range b.lines {
		total += len(b.rowsOf(l))
	}
	b.top = max(min(b.top+n, total-b.Height()), 0)
	b.free = true
}

// cursorRow is the row, counted from the first of the text, the cursor is
// on.
func (b *textBox) cursorRow(lines []string) int {
	row := 0
	for _, l := range lines[:min(b.Line(), len(lines))] {
		row += len(b.rowsOf(l))
	}
	if b.Line() < len(lines) {
		seg, _ := cursorSegment(b.rowsOf(lines[b.Line()]), b.Column())
		row += seg
	}
	return row
}

// cursorSegment finds the row of a line a cursor at rune col is drawn on,
// and its column in that row. A cursor at the very end of a row that is
// not the last is drawn at the start of the next, as the text area does.
func cursorSegment(rows [][]rune, col int) (seg, at int) {
	start := 0
	for i, r := range rows {
		end := start + len(r)
		if end == col && i+1 < len(rows) {
			return i + 1, 0
		}
		if end >= col {
			return i, col - start
		}
		start = end
	}
	return 0, 0
}

// rowsOf is a line cut into rows, remembered per line: typing changes one
// line, and the others are cut once.
func (b *textBox) rowsOf(line string) [][]rune {
	w := b.Width()
	if b.wraps == nil || b.wrapWidth != w || len(b.wraps) > 4096 {
		b.wraps, b.wrapWidth = make(map[string][][]rune), w
	}
	rows, ok := b.wraps[line]
	if !ok {
		rows = wrapRows([]rune(line), w)
		b.wraps[line] = rows
	}
	return rows
}
