package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"csm/format"
	"csm/model"
)

// snoozePicker asks how long to snooze: 1 day, 3 days, a week, a month
// (model.SnoozeChoices), or until a date typed in date words. Enter on a
// length hands its last day to onPick, whose command runs after the picker
// closes; a date that does not read is said under the field and nothing
// happens. It snoozes an account (z in the book and on the account page)
// and a follow-up (z on the follow-ups screen: it comes due that day).
type snoozePicker struct {
	*env
	title  string
	today  model.Date
	list   list
	typing bool // the date field has the focus
	input  textinput.Model
	err    string
	onPick func(until model.Date) tea.Cmd

	width, height int
}

// snoozeDateOption is the last line of the picker: a date of one's own.
const snoozeDateOption = "until a date…"

func newSnoozePicker(e *env, title string, onPick func(until model.Date) tea.Cmd) *snoozePicker {
	in := textinput.New()
	in.Placeholder = "fri, +2w, 2026-12-24"
	in.CharLimit = 40
	in.Prompt = "until > "
	in.SetStyles(e.styles.Input)
	p := &snoozePicker{env: e, title: title, today: model.LocalDay(e.now()), input: in, onPick: onPick}
	p.list.SetLen(len(model.SnoozeChoices) + 1)
	p.SetSize(80, 24)
	return p
}

// SetSize sets the room: the choices never need more than their lines.
func (p *snoozePicker) SetSize(w, h int) {
	p.width, p.height = w, h
	p.list.SetHeight(max(h-6, 1))
	p.input.SetWidth(max(min(w-12, 40), 10))
}

// Capturing is true while a date is typed: every key is text then.
func (p *snoozePicker) Capturing() bool { return p.typing }

// restyle gives the field the new styles.
func (p *snoozePicker) restyle() { p.input.SetStyles(p.styles.Input) }

func (p *snoozePicker) Update(msg tea.Msg) tea.Cmd {
	if p.typing {
		return p.updateTyping(msg)
	}
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
		i, ok := p.list.Selected()
		if !ok {
			return nil
		}
		if i == len(model.SnoozeChoices) {
			p.typing, p.err = true, ""
			return p.input.Focus()
		}
		until, err := model.SnoozeUntil(model.SnoozeChoices[i].Word, p.today)
		if err != nil { // the choices always read; said rather than hidden
			p.err = err.Error()
			return nil
		}
		return tea.Batch(popScreen, p.onPick(until))
	}
	return nil
}

func (p *snoozePicker) updateTyping(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, p.keys.Back):
			p.typing, p.err = false, ""
			p.input.Blur()
			return nil
		case key.Matches(k, p.keys.Open):
			text := strings.TrimSpace(p.input.Value())
			if text == "" {
				p.err = "type a day (" + model.DateWordsHelp + "), or esc to pick a length"
				return nil
			}
			until, err := model.SnoozeUntil(text, p.today)
			if err != nil {
				p.err = err.Error()
				return nil
			}
			return tea.Batch(popScreen, p.onPick(until))
		}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	p.err = ""
	return cmd
}

// View draws the title, the lengths with the day each ends, and the date
// field under them while it is in use.
func (p *snoozePicker) View() string {
	s := p.styles
	lines := []string{s.Section.Render(truncateLine(p.title, p.width)), ""}
	for i := p.list.Offset(); i < p.list.End(); i++ {
		label, detail := snoozeDateOption, model.DateWordsHelp
		if i < len(model.SnoozeChoices) {
			c := model.SnoozeChoices[i]
			label = c.Label
			if until, err := model.SnoozeUntil(c.Word, p.today); err == nil {
				detail = "until " + format.ShortDay(until, p.today) + ", " + until.Time().Format("Monday")
			}
		}
		line := "  " + pad(label, 16) + " " + s.Subtle.Render(detail)
		if i == p.list.Cursor() {
			line = s.SelectedRow("▶ "+pad(label, 16)+" "+detail, p.width)
		}
		lines = append(lines, truncateLine(line, p.width))
	}
	if p.typing {
		lines = append(lines, "", truncateLine(p.input.View(), p.width))
	}
	if p.err != "" {
		lines = append(lines, truncateLine(s.Bad.Render(p.err), p.width))
	}
	return strings.Join(lines, "\n")
}

func (p *snoozePicker) ShortHelp() []key.Binding {
	pick, back := p.keys.Open, p.keys.Back
	pick.SetHelp("enter", "snooze")
	back.SetHelp("esc", "cancel")
	if p.typing {
		back.SetHelp("esc", "back to the lengths")
	}
	return []key.Binding{pick, back}
}

func (p *snoozePicker) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, p.ShortHelp()}
}
