package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"csm/model"
)

// followUpForm asks for a new follow-up (a title and when it is due) or a
// new due day for one. Enter checks what was typed: a missing title or a
// day that does not read is said under the fields and nothing is saved;
// otherwise the form closes and onSave's command runs. Esc cancels.
type followUpForm struct {
	*env
	heading string
	// title is nil when only the due day is asked (re-dating).
	title *textinput.Model
	due   textinput.Model
	focus int // 0 the title, 1 the due day
	err   string
	today model.Date
	// needDue: an empty due field is an error (re-dating) rather than no
	// date (adding).
	needDue bool
	onSave  func(title string, due *model.Date) tea.Cmd

	width int
}

func newFollowUpInput(e *env, prompt, placeholder string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.SetStyles(e.styles.Input)
	return in
}

// newAddFollowUp asks for a new follow-up on the account named name.
func newAddFollowUp(e *env, name string, onSave func(title string, due *model.Date) tea.Cmd) *followUpForm {
	title := newFollowUpInput(e, "title > ", "what to do", 500)
	f := &followUpForm{env: e, heading: "New follow-up for " + name, title: &title, onSave: onSave, today: model.LocalDay(e.now())}
	f.due = newFollowUpInput(e, "due   > ", "fri, +3d, tomorrow, 2026-12-24; empty for no date", 40)
	f.SetSize(80, 24)
	return f
}

// newRedate asks for a new due day, the current one filled in.
func newRedate(e *env, heading string, current *model.Date, onSave func(due *model.Date) tea.Cmd) *followUpForm {
	f := &followUpForm{env: e, heading: heading, focus: 1, needDue: true, today: model.LocalDay(e.now()),
		onSave: func(_ string, due *model.Date) tea.Cmd { return onSave(due) }}
	f.due = newFollowUpInput(e, "due > ", "fri, +3d, tomorrow, 2026-12-24, or none", 40)
	if current != nil {
		f.due.SetValue(current.String())
	}
	f.SetSize(80, 24)
	return f
}

// Init gives the first field the cursor.
func (f *followUpForm) Init() tea.Cmd {
	if f.title != nil && f.focus == 0 {
		return f.title.Focus()
	}
	return f.due.Focus()
}

func (f *followUpForm) SetSize(w, _ int) {
	f.width = w
	if f.title != nil {
		f.title.SetWidth(max(w-12, 10))
	}
	f.due.SetWidth(max(w-12, 10))
}

// Capturing: every key is text in a form.
func (f *followUpForm) Capturing() bool { return true }

func (f *followUpForm) restyle() {
	if f.title != nil {
		f.title.SetStyles(f.styles.Input)
	}
	f.due.SetStyles(f.styles.Input)
}

func (f *followUpForm) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, f.keys.Back):
			return popScreen
		case key.Matches(k, f.keys.Open):
			return f.save()
		case f.title != nil && (key.Matches(k, f.keys.NextSection) || key.Matches(k, f.keys.PrevSection)):
			return f.switchField()
		}
	}
	var cmd tea.Cmd
	if f.focus == 0 && f.title != nil {
		*f.title, cmd = f.title.Update(msg)
	} else {
		f.due, cmd = f.due.Update(msg)
	}
	return cmd
}

func (f *followUpForm) switchField() tea.Cmd {
	f.focus = 1 - f.focus
	if f.focus == 0 {
		f.due.Blur()
		return f.title.Focus()
	}
	f.title.Blur()
	return f.due.Focus()
}

// save checks the fields; the form closes only on good input.
func (f *followUpForm) save() tea.Cmd {
	var title string
	if f.title != nil {
		title = strings.TrimSpace(f.title.Value())
		if title == "" {
			f.err = "the follow-up needs a title"
			if f.focus != 0 {
				return f.switchField()
			}
			return nil
		}
	}
	var due *model.Date
	if text := strings.TrimSpace(f.due.Value()); text != "" || f.needDue {
		if text == "" {
			f.err = "type a day (" + model.DateWordsHelp + "), or none for no date"
			return nil
		}
		d, err := model.ParseDueWord(text, f.today)
		if err != nil {
			f.err = err.Error()
			if f.focus != 1 {
				return f.switchField()
			}
			return nil
		}
		due = d
	}
	return tea.Batch(popScreen, f.onSave(title, due))
}

func (f *followUpForm) View() string {
	s := f.styles
	lines := []string{s.Section.Render(truncateLine(f.heading, f.width)), ""}
	if f.title != nil {
		lines = append(lines, truncateLine(f.title.View(), f.width))
	}
	lines = append(lines, truncateLine(f.due.View(), f.width))
	if f.err != "" {
		lines = append(lines, "", truncateLine(s.Bad.Render(f.err), f.width))
	}
	hint := "enter to save · esc to cancel"
	if f.title != nil {
		hint = "tab to the other field · " + hint
	}
	lines = append(lines, "", truncateLine(s.Subtle.Render(hint), f.width))
	return strings.Join(lines, "\n")
}

func (f *followUpForm) ShortHelp() []key.Binding {
	save, cancel := f.keys.Open, f.keys.Back
	save.SetHelp("enter", "save")
	cancel.SetHelp("esc", "cancel")
	if f.title == nil {
		return []key.Binding{save, cancel}
	}
	next := f.keys.NextSection
	next.SetHelp("tab", "other field")
	return []key.Binding{save, next, cancel}
}

func (f *followUpForm) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }
