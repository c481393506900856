package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/textarea"
	"charm.land/lipgloss/v2"
	"github.com/mattn/go-runewidth"
	"github.com/rivo/uniseg"
)

// The text box drawn: only the rows on screen, cut where the text area
// cuts them, in its styles.

// View draws the rows on screen: exactly Height rows, each no wider than
// the box.
func (b *textBox) View() string {
	if b.Value() == "" && b.area.Placeholder != "" {
		return b.area.View() // one short row: cheap
	}
	// top is kept by follow and scroll at every change of the text, the
	// cursor or the size.
	lines, top := b.lines, b.top
	p := b.newPainter()
	curLine, curCol := b.Line(), b.Column()
	selFrom, selTo, selecting := b.area.Selection()
	var out strings.Builder
	drawn, row := 0, 0
	for l := 0; l < len(lines) && drawn < b.Height(); l++ {
		rows := b.rowsOf(lines[l])
		if row+len(rows) <= top {
			row += len(rows)
			continue
		}
		curSeg, curAt := -1, 0
		if l == curLine && b.area.Focused() {
			curSeg, curAt = cursorSegment(rows, curCol)
		}
		n := utf8.RuneCountInString(lines[l])
		base := 0
		for s, seg := range rows {
			if row >= top && drawn < b.Height() {
				part := rowPart{runes: seg, onLine: l == curLine, at: -1, span: [2]int{-1, -1}}
				if selecting {
					part.span = selectedSpan(selFrom, selTo, l, base, len(seg), n)
				}
				if s == curSeg {
					part.at = curAt
					part.atEnd = curCol >= n
				}
				p.row(&out, part)
				drawn++
			}
			row++
			base += len(seg)
		}
	}
	for ; drawn < b.Height(); drawn++ {
		p.blank(&out)
	}
	return strings.TrimSuffix(out.String(), "\n")
}

// Rows is the box drawn for a terminal w cells wide: its rows fit the box,
// and are cut only when the terminal is narrower than a box can be.
func (b *textBox) Rows(w int) []string {
	rows := strings.Split(b.View(), "\n")
	if w < b.Width()+lipgloss.Width(b.area.Prompt) {
		for i, r := range rows {
			rows[i] = truncateLine(r, w)
		}
	}
	return rows
}

// selectedSpan is the part [from, to) of a row, whose first rune is base
// in its line of n runes, that the selection covers; {-1, -1} if none.
func selectedSpan(from, to textarea.Position, line, base, length, n int) [2]int {
	if line < from.Row || line > to.Row {
		return [2]int{-1, -1}
	}
	lo, hi := 0, n
	if line == from.Row {
		lo = min(max(from.Col, 0), n)
	}
	if line == to.Row {
		hi = min(max(to.Col, 0), n)
	}
	lo, hi = max(lo, base), min(hi, base+length)
	if lo >= hi {
		return [2]int{-1, -1}
	}
	return [2]int{lo - base, hi - base}
}

// painter draws rows in the text area's styles, with each style's escape
// sequences worked out once per frame rather than once per piece.
type painter struct {
	width       int // text cells, prompt excluded
	prompt      string
	promptCells int
	// text is the style of a row, curLine of a row of the cursor's line.
	text, curLine, sel, cur, fill ends
}

// ends are the sequences a style opens and closes a piece of text with.
type ends struct{ open, close string }

func endsOf(st lipgloss.Style) ends {
	// The probe is a letter no escape sequence holds.
	open, close, _ := strings.Cut(st.Render("x"), "x")
	return ends{open, close}
}

func (e ends) paint(s string) string {
	if s == "" {
		return ""
	}
	return e.open + s + e.close
}

func (b *textBox) newPainter() painter {
	st := b.area.Styles()
	state := st.Blurred
	if b.area.Focused() {
		state = st.Focused
	}
	curLine := state.CursorLine.Inherit(state.Base).Inline(true)
	prompt := curLine.Render(state.Prompt.Inherit(state.Base).Inline(true).Render(b.area.Prompt))
	return painter{
		width:       b.Width(),
		prompt:      prompt,
		promptCells: lipgloss.Width(prompt),
		text:        endsOf(state.Text.Inherit(state.Base).Inline(true)),
		curLine:     endsOf(curLine),
		sel:         endsOf(state.Selection.Inherit(state.Text).Inherit(state.Base).Inline(true)),
		cur:         endsOf(lipgloss.NewStyle().Foreground(st.Cursor.Color).Inline(true).Reverse(true)),
		fill:        endsOf(state.EndOfBuffer.Inherit(state.Base).Inline(true)),
	}
}

// rowPart is one row to draw and what is on it.
type rowPart struct {
	runes  []rune
	onLine bool   // the row is of the cursor's line
	at     int    // the cursor's rune in the row; -1: not on it
	atEnd  bool   // the cursor is past the last rune of its line
	span   [2]int // the selected runes [from, to); from -1: none
}

// row draws one row.
func (p painter) row(out *strings.Builder, r rowPart) {
	seg := r.runes
	cells := runeCells(seg)
	if cells > p.width {
		// Only a space can stick out: any other rune would have wrapped.
		seg = seg[:len(seg)-1]
		cells = p.width
	}
	style := p.text
	if r.onLine {
		style = p.curLine
	}
	var line strings.Builder
	line.WriteString(p.prompt)
	cut := !isASCII(seg)
	switch from, to := min(r.span[0], len(seg)), min(r.span[1], len(seg)); {
	case from >= 0:
		line.WriteString(style.paint(string(seg[:from])))
		line.WriteString(p.sel.paint(string(seg[from:to])))
		line.WriteString(style.paint(string(seg[to:])))
	case r.at >= len(seg) || r.at >= 0 && r.atEnd && runeCells(seg[:r.at]) >= p.width:
		// Past the end of a full row: the cursor is a cell of its own.
		line.WriteString(style.paint(string(seg[:min(r.at, len(seg))])))
		line.WriteString(p.cur.paint(" "))
		cut = true
	case r.at >= 0:
		line.WriteString(style.paint(string(seg[:r.at])))
		line.WriteString(style.paint(p.cur.paint(string(seg[r.at]))))
		line.WriteString(style.paint(string(seg[r.at+1:])))
	default:
		line.WriteString(style.paint(string(seg)))
	}
	line.WriteString(style.paint(strings.Repeat(" ", p.width-cells)))
	s := line.String()
	if cut {
		// Wide and zero-width runes are measured here as the terminal
		// does, which is not always as the text area does.
		s = truncateLine(s, p.promptCells+p.width)
	}
	out.WriteString(s)
	out.WriteByte('\n')
}

// blank draws a row below the end of the text.
func (p painter) blank(out *strings.Builder) {
	out.WriteString(p.prompt)
	out.WriteString(p.fill.paint(strings.Repeat(" ", p.width)))
	out.WriteByte('\n')
}

// isASCII says every rune is printable ASCII, one cell wide by every
// measure.
func isASCII(rs []rune) bool {
	for _, r := range rs {
		if r < ' ' || r >= utf8.RuneSelf-1 {
			return false
		}
	}
	return true
}

// runeCells measures runes as the text area does.
func runeCells(rs []rune) int {
	if isASCII(rs) {
		return len(rs)
	}
	return uniseg.StringWidth(string(rs))
}

// wrapRows cuts a line into rows of width cells by the text area's own
// rule: a word goes whole to the next row when it and the spaces after
// it would not fit; a word wider than a row is cut; runs of spaces stay
// with the word before them; and the line ends in one more space, for
// the cursor to sit on past the last rune.
func wrapRows(line []rune, width int) [][]rune {
	rows := [][]rune{{}}
	var word []rune
	for _, r := range line {
		last := len(rows) - 1
		if !unicode.IsSpace(r) {
			word = append(word, r)
			if runeCells(word)+runewidth.RuneWidth(r) > width {
				// The word fills a row alone: it takes the next one
				// (unless this one is empty) and goes on from there.
				if len(rows[last]) > 0 {
					rows = append(rows, []rune{})
					last++
				}
				rows[last] = append(rows[last], word...)
				word = nil
			}
			continue
		}
		if runeCells(rows[last])+runeCells(word)+1 > width {
			rows = append(rows, []rune{})
			last++
		}
		rows[last] = append(append(rows[last], word...), ' ')
		word = nil
	}
	last := len(rows) - 1
	if runeCells(rows[last])+runeCells(word) >= width {
		rows = append(rows, []rune{})
		last++
	}
	rows[last] = append(append(rows[last], word...), ' ')
	return rows
}
