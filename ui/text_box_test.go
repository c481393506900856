package ui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// The box must draw what the text area would: the same rows, cut at the
// same places, the cursor on the same cell, the same selection. Each case
// replays random keys into a box and into a bare text area tall enough to
// show every row from the first, and compares the box's frame with the rows of the text
// area's that the box shows, after every key. The box must show the
// cursor's row.
func TestTextBoxDrawsWhatTheTextAreaWould(t *testing.T) {
	t.Parallel()
	styles := NewStyles(true).TextArea
	words := []string{"renewal", "QBR", "a", "the", "champion", "dashboards", "é", "naïve", "漢字の", "👍", "x",
		"supercalifragilisticexpialidocious", "  ", "   ", "billing-and-invoicing-export-for-finance"}
	keys := []tea.KeyPressMsg{
		{Code: 'x', Text: "x"}, {Code: ' ', Text: " "}, {Code: 'é', Text: "é"}, {Code: '字', Text: "字"},
		{Code: tea.KeyEnter}, {Code: tea.KeyBackspace}, {Code: tea.KeyDelete},
		{Code: tea.KeyLeft}, {Code: tea.KeyRight}, {Code: tea.KeyUp}, {Code: tea.KeyDown},
		{Code: tea.KeyHome}, {Code: tea.KeyEnd},
		{Code: tea.KeyLeft, Mod: tea.ModShift}, {Code: tea.KeyRight, Mod: tea.ModShift}, {Code: tea.KeyUp, Mod: tea.ModShift},
		{Code: tea.KeyBackspace, Mod: tea.ModAlt}, {Code: tea.KeyLeft, Mod: tea.ModAlt},
	}
	for c := 0; c < 25; c++ {
		rng := rand.New(rand.NewPCG(uint64(c), 7))
		width, height := 10+rng.IntN(50), 3+rng.IntN(6)
		var text strings.Builder
		for n := rng.IntN(60); n > 0; n-- {
			switch rng.IntN(8) {
			case 0:
				text.WriteString("\n")
			case 1:
				text.WriteString(" ")
			default:
				text.WriteString(words[rng.IntN(len(words))] + " ")
			}
		}
		box := newTextBox(styles, 0, "")
		area := textarea.New()
		area.ShowLineNumbers, area.MaxHeight, area.CharLimit = false, 0, 0
		area.SetStyles(styles)
		box.SetWidth(width)
		box.SetHeight(height)
		area.SetWidth(width)
		area.SetHeight(allRows)
		box.SetValue(text.String())
		area.SetValue(text.String())
		box.Focus()
		area.Focus()
		if rng.IntN(2) == 0 {
			box.MoveToBegin()
			area.MoveToBegin()
		}
		name := fmt.Sprintf("case %d (%dx%d)", c, width, height)
		sameFrame(t, name+" opened", &box, &area)
		for k := 0; k < 40; k++ {
			key := keys[rng.IntN(len(keys))]
			box.Update(key)
			if !area.HasSelection() {
				area.ClearSelection() // as the box does, see dropEmptySelection
			}
			area, _ = area.Update(key)
			sameFrame(t, fmt.Sprintf("%s after %d keys, the last %q", name, k+1, key.String()), &box, &area)
			if t.Failed() {
				return
			}
		}
		box.Blur()
		area.Blur()
		sameFrame(t, name+" blurred", &box, &area)
	}
}

// allRows is more rows than any case's text takes.
const allRows = 60

// focusedBox is an empty box of w×h with the keys, holding limit bytes.
func focusedBox(limit, w, h int) *textBox {
	box := newTextBox(NewStyles(true).TextArea, limit, "")
	box.SetWidth(w)
	box.SetHeight(h)
	box.Focus()
	return &box
}

// sameFrame compares two frames as a terminal shows them: the text of
// each row, and which cells are drawn in reverse (the cursor) or with a
// background (the selection).
func sameFrame(t *testing.T, name string, box *textBox, area *textarea.Model) {
	t.Helper()
	got := box.View()
	g := strings.Split(got, "\n")
	w := strings.Split(area.View(), "\n")
	if box.top+box.Height() > len(w) {
		t.Fatalf("%s: the text area draws %d rows, too few to compare", name, len(w))
	}
	w = w[box.top : box.top+box.Height()]
	want := strings.Join(w, "\n")
	if len(g) != len(w) {
		t.Errorf("%s: %d rows, not %d\n%s", name, len(g), len(w), ansi.Strip(got))
		return
	}
	if box.area.Focused() && !box.area.HasSelection() && !strings.Contains(got, "\x1b[7") {
		t.Errorf("%s: no cursor on screen (rows from %d)\n%s", name, box.top, ansi.Strip(got))
	}
	for i := range g {
		gs, ws := strings.TrimRight(ansi.Strip(g[i]), " "), strings.TrimRight(ansi.Strip(w[i]), " ")
		if gs != ws || marks(g[i]) != marks(w[i]) {
			t.Errorf("%s: row %d is\n%q %s\nthe text area draws\n%q %s\n%s\n--- text area:\n%s", name, i, gs, marks(g[i]), ws, marks(w[i]), ansi.Strip(got), ansi.Strip(want))
			return
		}
		if cells := ansi.StringWidth(g[i]); cells > box.Width()+2 {
			t.Errorf("%s: row %d is %d cells wide, wider than the box", name, i, cells)
		}
	}
}

// marks lists, cell by cell, where reverse video and backgrounds start
// and stop in a row.
func marks(row string) string {
	var out strings.Builder
	cell := 0
	p := ansi.NewParser()
	state := byte(0)
	for len(row) > 0 {
		seq, width, n, newState := ansi.DecodeSequence(row, state, p)
		state = newState
		if ansi.HasCsiPrefix(seq) && strings.HasSuffix(seq, "m") {
			params := seq[2 : len(seq)-1]
			for _, f := range strings.Split(params, ";") {
				switch {
				case f == "7":
					fmt.Fprintf(&out, "rev@%d ", cell)
				case f == "" || f == "0":
					if out.Len() > 0 {
						fmt.Fprintf(&out, "end@%d ", cell)
					}
				case f == "48":
					fmt.Fprintf(&out, "bg@%d ", cell)
				}
			}
		}
		cell += width
		row = row[n:]
	}
	return strings.TrimSpace(collapseEnds(out.String()))
}

// collapseEnds drops resets that close nothing, as two writers may reset
// at different places with the same result on screen.
func collapseEnds(s string) string {
	var out []string
	open := false
	for _, f := range strings.Fields(s) {
		if strings.HasPrefix(f, "end@") {
			if open {
				out = append(out, f)
			}
			open = false
			continue
		}
		open = true
		out = append(out, f)
	}
	return strings.Join(out, " ")
}

// Shift and an arrow that cannot move, then an edit, then a selection and
// a delete: the bare text area crashed on this (its selection's anchor
// stayed on a line the edit removed). The box selects from the cursor.
func TestTextBoxSelectionAfterAnEditStartsAtTheCursor(t *testing.T) {
	box := focusedBox(0, 40, 5)
	box.SetValue("ab\ncd\nef")
	for _, k := range []tea.KeyPressMsg{
		{Code: tea.KeyBackspace, Mod: tea.ModAlt}, // "ef" goes: "ab\ncd\n"
		{Code: tea.KeyRight, Mod: tea.ModShift},   // at the very end: nothing to select
		{Code: tea.KeyBackspace},                  // the empty last line goes: "ab\ncd"
		{Code: tea.KeyLeft, Mod: tea.ModShift},    // selects "d"
		{Code: tea.KeyBackspace, Mod: tea.ModAlt}, // deletes the selection
	} {
		box.Update(k)
	}
	if got := box.Value(); got != "ab\nc" {
		t.Fatalf("text is %q, want %q", got, "ab\nc")
	}
}

// The box holds at most its limit in bytes, as the store counts: a key
// past it types nothing, and a paste is cut to what fits, at a character.
func TestTextBoxKeepsItsByteLimit(t *testing.T) {
	box := focusedBox(13, 40, 3)
	typeInto := func(s string) {
		for _, r := range s {
			box.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
	typeInto("abcdefghij")
	box.Update(tea.PasteMsg{Content: "é漢字"}) // 3 bytes free: é (2) fits, 漢 (3) does not
	if got := box.Value(); got != "abcdefghijé" {
		t.Fatalf("after the paste: %q", got)
	}
	typeInto("漢x")                                  // 漢 does not fit, x does
	box.Update(tea.KeyPressMsg{Code: tea.KeyEnter}) // full: no new line
	if got := box.Value(); got != "abcdefghijéx" || len(got) != 13 {
		t.Fatalf("at the limit: %q (%d bytes)", got, len(got))
	}
	box.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	box.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if got := box.Value(); got != "abcdefghijé\n" {
		t.Fatalf("after a backspace, enter: %q", got)
	}
}

// The wheel scrolls the rows without moving the cursor; the next key
// brings the cursor's row back into view.
func TestTextBoxWheelScrollsAndAKeyBringsTheCursorBack(t *testing.T) {
	box := focusedBox(0, 40, 5)
	lines := make([]string, 30)
	for i := range lines {
		lines[i] = fmt.Sprintf("line %d", i)
	}
	box.SetValue(strings.Join(lines, "\n"))
	wheel := func(notches int) {
		b := tea.MouseWheelDown
		if notches < 0 {
			b, notches = tea.MouseWheelUp, -notches
		}
		for range notches {
			box.Update(tea.MouseWheelMsg{Button: b})
		}
	}
	firstRow := func(when, want string) {
		t.Helper()
		if got := strings.TrimSpace(ansi.Strip(strings.Split(box.View(), "\n")[0])); got != want {
			t.Fatalf("%s, the first row is %q, want %q", when, got, want)
		}
	}
	firstRow("opened at the end", "┃ line 25")
	wheel(-2)
	firstRow("two notches up", "┃ line 19")
	if strings.Contains(box.View(), "\x1b[7") {
		t.Fatal("the cursor is drawn on a row it is not on")
	}
	wheel(20)
	firstRow("scrolled down past the end", "┃ line 25")
	wheel(-1)
	box.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
	firstRow("after a key, back to the cursor", "┃ line 25")
	if !strings.Contains(box.View(), "\x1b[7") {
		t.Fatal("after a key, no cursor on screen")
	}
}

// ctrl+v is not the text area's clipboard read: a paste comes from the
// terminal, cleaned and held to the limit.
func TestTextBoxCtrlVReadsNoClipboard(t *testing.T) {
	box := focusedBox(0, 40, 3)
	if cmd := box.Update(tea.KeyPressMsg{Code: 'v', Mod: tea.ModCtrl}); cmd != nil {
		t.Fatalf("ctrl+v asked for the clipboard: %T", cmd())
	}
	if box.Value() != "" {
		t.Fatalf("ctrl+v typed %q", box.Value())
	}
}
