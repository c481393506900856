package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// promptScreen asks for one line of text; enter hands it to onDone, whose
// command runs after the prompt closes; esc closes it with nothing done.
type promptScreen struct {
	*env
	title  string
	input  textinput.Model
	onDone func(text string) tea.Cmd
	err    string
	width  int
}

func newPrompt(e *env, title, placeholder string, onDone func(string) tea.Cmd) *promptScreen {
	in := textinput.New()
	in.Placeholder = placeholder
	in.CharLimit = 500
	in.Prompt = "> "
	in.SetStyles(e.styles.Input)
	return &promptScreen{env: e, title: title, input: in, onDone: onDone}
}

func (p *promptScreen) Init() tea.Cmd { return p.input.Focus() }

func (p *promptScreen) SetSize(w, h int) { p.width = w; p.input.SetWidth(max(w-4, 10)) }
func (p *promptScreen) Capturing() bool  { return true }

// restyle gives the input the new styles.
func (p *promptScreen) restyle() { p.input.SetStyles(p.styles.Input) }

func (p *promptScreen) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, p.keys.Back):
			return popScreen
		case key.Matches(k, p.keys.Open):
			text := strings.TrimSpace(p.input.Value())
			if text == "" {
				p.err = "type something, or esc to cancel"
				return nil
			}
			// Batch, not Sequence: popping re-reads the screen below, so the order
			// of the two does not matter.
			return tea.Batch(popScreen, p.onDone(text))
		}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

func (p *promptScreen) View() string {
	s := p.styles
	out := s.Section.Render(truncateLine(p.title, p.width)) + "\n\n" + truncateLine(p.input.View(), p.width)
	if p.err != "" {
		out += "\n" + s.Bad.Render(p.err)
	}
	return out + "\n\n" + s.Subtle.Render("enter to confirm · esc to cancel")
}

func (p *promptScreen) ShortHelp() []key.Binding {
	confirm, cancel := p.keys.Open, p.keys.Back
	confirm.SetHelp("enter", "confirm")
	cancel.SetHelp("esc", "cancel")
	return []key.Binding{confirm, cancel}
}

func (p *promptScreen) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// pickOption is one choice of a picker.
type pickOption struct {
	label, detail string
	value         string
}

// pickerScreen offers a list of choices; enter hands the chosen value to
// onPick, whose command runs after the picker closes.
type pickerScreen struct {
	*env
	title   string
	options []pickOption
	list    list
	onPick  func(value string) tea.Cmd
	width   int
}

func newPicker(e *env, title string, options []pickOption, onPick func(string) tea.Cmd) *pickerScreen {
	p := &pickerScreen{env: e, title: title, options: options, onPick: onPick}
	p.list.SetLen(len(options))
	return p
}

// SetSize sets the room: the choices get what the title and the blank line
// under it leave, less one line.
func (p *pickerScreen) SetSize(w, h int) {
	p.width = w
	p.list.SetHeight(h - 3)
}

func (p *pickerScreen) Capturing() bool { return false }

// restyle: the screen keeps nothing drawn.
func (p *pickerScreen) restyle() {}

func (p *pickerScreen) Update(msg tea.Msg) tea.Cmd {
	if p.list.Update(msg, p.keys) {
		return nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, p.keys.Back):
		return popScreen
	case key.Matches(k, p.keys.Open):
		if i, ok := p.list.Selected(); ok {
			return tea.Batch(popScreen, p.onPick(p.options[i].value))
		}
	}
	return nil
}

func (p *pickerScreen) View() string {
	s := p.styles
	var b strings.Builder
	b.WriteString(s.Section.Render(truncateLine(p.title, p.width)))
	b.WriteString("\n\n")
	for i := p.list.Offset(); i < p.list.End(); i++ {
		o := p.options[i]
		line := "  " + cell(o.label, 32) + " " + s.Subtle.Render(cell(o.detail, max(p.width-38, 0)))
		if i == p.list.Cursor() {
			line = s.SelectedRow("▶ "+line[2:], p.width)
		}
		b.WriteString(truncateLine(line, p.width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (p *pickerScreen) ShortHelp() []key.Binding { return []key.Binding{p.keys.Open, p.keys.Back} }

func (p *pickerScreen) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown}, {k.Open, k.Back}}
}
