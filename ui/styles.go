// Package ui is the terminal interface: the screens of the book and of an
// account, and the root that routes between them. It only presents and
// routes; every figure comes precomputed from the store, and all I/O runs
// in commands whose results come back as messages.
package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Styles is every style the UI draws with, built once per background.
// Colours are chosen in light/dark pairs so both kinds of terminal read;
// with NO_COLOR the renderer drops colours and keeps bold and reverse.
// The components' styles (text fields, help) are built here too, so none
// keeps the library's dark defaults on a light terminal.
type Styles struct {
	App        lipgloss.Style
	Title      lipgloss.Style
	Subtle     lipgloss.Style
	Footer     lipgloss.Style
	FooterWarn lipgloss.Style
	FooterErr  lipgloss.Style
	Selected   lipgloss.Style
	ColHeader  lipgloss.Style
	Good       lipgloss.Style
	Warn       lipgloss.Style
	Bad        lipgloss.Style
	Alert      lipgloss.Style
	Flag       lipgloss.Style
	Spark      lipgloss.Style
	Section    lipgloss.Style
	Label      lipgloss.Style
	Tab        lipgloss.Style
	TabActive  lipgloss.Style
	Filter     lipgloss.Style

	// Input is every one-line text field: the book's filter, the search,
	// the prompts and the note editor's fields. TextArea is the note's
	// body.
	Input    textinput.Styles
	TextArea textarea.Styles
	// Help draws the keys in the footer and on the help screen;
	// HelpColumn spaces the help screen's columns.
	Help       help.Styles
	HelpColumn lipgloss.Style
}

// Palette holds the colours the styles are made of, for parts (charts) that
// need a raw colour.
type Palette struct {
	Fg, Subtle, Accent, Good, Warn, Bad, SelBg color.Color
}

// NewPalette picks the colours for a dark or light background.
func NewPalette(isDark bool) Palette {
	ld := lipgloss.LightDark(isDark)
	return Palette{
		Fg:     ld(lipgloss.Color("#1f2328"), lipgloss.Color("#e6edf3")),
		Subtle: ld(lipgloss.Color("#6e7781"), lipgloss.Color("#8b949e")),
		Accent: ld(lipgloss.Color("#0550ae"), lipgloss.Color("#79c0ff")),
		Good:   ld(lipgloss.Color("#1a7f37"), lipgloss.Color("#3fb950")),
		Warn:   ld(lipgloss.Color("#9a6700"), lipgloss.Color("#d29922")),
		Bad:    ld(lipgloss.Color("#cf222e"), lipgloss.Color("#f85149")),
		SelBg:  ld(lipgloss.Color("#ddf4ff"), lipgloss.Color("#1f3a5f")),
	}
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(isDark bool) Styles {
	p := NewPalette(isDark)
	s := Styles{}
	s.App = lipgloss.NewStyle()
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(p.Accent)
	s.Subtle = lipgloss.NewStyle().Foreground(p.Subtle)
	s.Footer = lipgloss.NewStyle().Foreground(p.Subtle)
	s.FooterWarn = lipgloss.NewStyle().Foreground(p.Warn)
	s.FooterErr = lipgloss.NewStyle().Foreground(p.Bad).Bold(true)
	s.Selected = lipgloss.NewStyle().Background(p.SelBg).Bold(true)
	s.ColHeader = lipgloss.NewStyle().Foreground(p.Subtle).Bold(true)
	s.Good = lipgloss.NewStyle().Foreground(p.Good)
	s.Warn = lipgloss.NewStyle().Foreground(p.Warn)
	s.Bad = lipgloss.NewStyle().Foreground(p.Bad)
	s.Alert = lipgloss.NewStyle().Foreground(p.Bad).Bold(true)
	s.Flag = lipgloss.NewStyle().Foreground(p.Warn)
	s.Spark = lipgloss.NewStyle().Foreground(p.Accent)
	s.Section = lipgloss.NewStyle().Bold(true).Foreground(p.Accent)
	s.Label = lipgloss.NewStyle().Foreground(p.Subtle)
	s.Tab = lipgloss.NewStyle().Foreground(p.Subtle).Padding(0, 1)
	s.TabActive = lipgloss.NewStyle().Bold(true).Reverse(true).Padding(0, 1)
	s.Filter = lipgloss.NewStyle().Foreground(p.Accent)
	s.Input = inputStyles(s, p)
	s.TextArea = textAreaStyles(s, p)
	s.Help = helpStyles(s, p)
	s.HelpColumn = lipgloss.NewStyle().PaddingRight(4)
	return s
}

// SelectedRow draws the selected row of a list: the selection colours
// across the whole width. The row's own colours are dropped: each of them
// ends with a reset, which would end the band where it starts.
func (s *Styles) SelectedRow(line string, width int) string {
	return s.Selected.Render(pad(ansi.Strip(truncateLine(line, width)), width))
}

// inputStyles gives the one-line fields the UI's colours: typed text in
// the terminal's own colour, the prompt in the accent, a steady cursor
// (a blinking one redraws twice a second for nothing).
func inputStyles(s Styles, p Palette) textinput.Styles {
	var ts textinput.Styles
	for _, st := range []*textinput.StyleState{&ts.Focused, &ts.Blurred} {
		st.Text = s.App
		st.Placeholder = s.Subtle
		st.Suggestion = s.Subtle
		st.Prompt = s.Filter
	}
	ts.Cursor = textinput.CursorStyle{Color: p.Accent, Shape: tea.CursorBlock}
	return ts
}

// textAreaStyles is the note body's: no cursor-line band, the prompt bar
// in the accent while it has the focus.
func textAreaStyles(s Styles, p Palette) textarea.Styles {
	var ts textarea.Styles
	for _, st := range []*textarea.StyleState{&ts.Focused, &ts.Blurred} {
		st.Base = s.App
		st.Text = s.App
		st.CursorLine = s.App
		st.EndOfBuffer = s.App
		st.Placeholder = s.Subtle
		st.LineNumber = s.Subtle
		st.CursorLineNumber = s.Subtle
		st.Selection = s.Selected
	}
	ts.Focused.Prompt = s.Title
	ts.Blurred.Prompt = s.Subtle
	ts.Cursor = textarea.CursorStyle{Color: p.Accent, Shape: tea.CursorBlock}
	return ts
}

// helpStyles: the keys in the terminal's colour, what they do dimmed.
func helpStyles(s Styles, p Palette) help.Styles {
	key := lipgloss.NewStyle().Foreground(p.Fg)
	return help.Styles{
		Ellipsis:       s.Subtle,
		ShortKey:       key,
		ShortDesc:      s.Subtle,
		ShortSeparator: s.Subtle,
		FullKey:        key,
		FullDesc:       s.Subtle,
		FullSeparator:  s.Subtle,
	}
}
