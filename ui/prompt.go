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
	title  string
	input  textinput.Model
	onDone func(text string) tea.Cmd
	styles *Styles
	keys   KeyMap
	err    string
	width  int
}

func newPrompt(title, placeholder string, keys KeyMap, styles *Styles, onDone func(string) tea.Cmd) *promptScreen {
	in := textinput.New()
	in.Placeholder = placeholder
	in.CharLimit = 500
	in.Prompt = "> "
	return &promptScreen{title: title, input: in, onDone: onDone, styles: styles, keys: keys}
}

func (p *promptScreen) Init() tea.Cmd { return p.input.Focus() }

func (p *promptScreen) SetSize(w, h int) { p.width = w; p.input.SetWidth(max(w-4, 10)) }
func (p *promptScreen) Capturing() bool  { return true }

func (p *promptScreen) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "esc":
			return popScreen
		case "enter":
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
	out := s.Section.Render(truncateLine(p.title, p.width)) + "\n\n" + p.input.View()
	if p.err != "" {
		out += "\n" + s.Bad.Render(p.err)
	}
	return out + "\n\n" + s.Subtle.Render("enter to confirm · esc to cancel")
}

func (p *promptScreen) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
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
	title   string
	options []pickOption
	cursor  int
	onPick  func(value string) tea.Cmd
	styles  *Styles
	keys    KeyMap
	width   int
	height  int
}

func newPicker(title string, options []pickOption, keys KeyMap, styles *Styles, onPick func(string) tea.Cmd) *pickerScreen {
	return &pickerScreen{title: title, options: options, onPick: onPick, styles: styles, keys: keys}
}

func (p *pickerScreen) SetSize(w, h int) { p.width, p.height = w, h }
func (p *pickerScreen) Capturing() bool  { return false }

func (p *pickerScreen) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, p.keys.Back):
		return popScreen
	case key.Matches(k, p.keys.Up):
		p.cursor = max(p.cursor-1, 0)
	case key.Matches(k, p.keys.Down):
		p.cursor = min(p.cursor+1, len(p.options)-1)
	case key.Matches(k, p.keys.Open):
		if p.cursor < len(p.options) {
			return tea.Batch(popScreen, p.onPick(p.options[p.cursor].value))
		}
	}
	return nil
}

func (p *pickerScreen) View() string {
	s := p.styles
	var b strings.Builder
	b.WriteString(s.Section.Render(truncateLine(p.title, p.width)))
	b.WriteString("\n\n")
	start := max(0, p.cursor-(p.height-4)+1)
	for i := start; i < len(p.options) && i-start < p.height-3; i++ {
		o := p.options[i]
		line := "  " + cell(o.label, 32) + " " + s.Subtle.Render(cell(o.detail, max(p.width-38, 0)))
		if i == p.cursor {
			line = s.Selected.Render(pad(truncateLine("▶ "+line[2:], p.width), p.width))
		}
		b.WriteString(truncateLine(line, p.width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (p *pickerScreen) ShortHelp() []key.Binding { return []key.Binding{p.keys.Open, p.keys.Back} }

func (p *pickerScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Up, p.keys.Down, p.keys.Open, p.keys.Back}}
}
