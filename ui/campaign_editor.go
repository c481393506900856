package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"csm/model"
	"csm/safe"
)

// The campaign editor: the filled draft of one campaign, opened with e on
// the account page's Campaigns section, for the CSM to make it their own
// before copying it. Every key is text while it is open, as in the note
// editor: ctrl+s (KeyMap.CopyEdited) copies the edited text to the
// clipboard, esc leaves (asking first when anything was changed). Nothing
// is stored: the draft is only ever copied.

// campaignEditor edits one filled campaign email.
type campaignEditor struct {
	*env

	name, to    string // the template's name and the recipient, for the title
	accountName string
	body        textBox
	initial     string // the draft as filled, to tell whether it was edited
	confirming  bool   // asking "discard your edits? y/n"
	msg         string // why the last ctrl+s copied nothing

	width, height int
}

// newCampaignEditor opens a filled campaign as the text y would copy.
func newCampaignEditor(shared *env, c campaign, accountName string) *campaignEditor {
	e := &campaignEditor{env: shared, name: c.tmpl.Name, to: c.to, accountName: accountName}
	e.body = newTextBox(e.styles.TextArea, model.MaxBodyBytes, "") // a long email scrolls
	e.initial = campaignText(c)
	e.body.SetValue(e.initial)
	e.body.MoveToBegin()
	e.SetSize(80, 20)
	e.body.Focus()
	return e
}

// Capturing is always true: every key is text while the editor is open.
func (e *campaignEditor) Capturing() bool { return true }

// Unsaved says whether leaving now would lose edits.
func (e *campaignEditor) Unsaved() bool { return e.edited() }

func (e *campaignEditor) edited() bool { return e.body.Value() != e.initial }

func (e *campaignEditor) restyle() { e.body.SetStyles(e.styles.TextArea) }

// Layout: the title, a blank line, the text, and the message line.
const campaignEditorFixedLines = 3

// SetSize gives the text what the title and message line leave.
func (e *campaignEditor) SetSize(w, h int) {
	e.width, e.height = w, h
	e.body.SetWidth(max(w, textBoxMinWidth))
	e.body.SetHeight(max(h-campaignEditorFixedLines, 3))
}

// Update handles typing, copying and leaving.
func (e *campaignEditor) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		if e.confirming {
			return nil
		}
		// Pasted text is cleaned of escape sequences and control
		// characters before it lands in the draft.
		msg.Content = safe.Text(msg.Content)
		e.msg = ""
		return e.body.Update(msg)
	case tea.KeyPressMsg:
		return e.updateKey(msg)
	}
	return e.body.Update(msg)
}

func (e *campaignEditor) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	k := e.keys
	if e.confirming {
		switch {
		case key.Matches(msg, k.Yes):
			return tea.Batch(popScreen, statusCmd("edits of “"+e.name+"” discarded: nothing copied", false))
		case key.Matches(msg, k.No):
			e.confirming = false
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.CopyEdited):
		return e.copy()
	case key.Matches(msg, k.Back):
		if e.edited() {
			e.confirming = true
			return nil
		}
		return tea.Batch(popScreen, statusCmd("nothing copied", false))
	}
	e.msg = ""
	return e.body.Update(msg)
}

// copy puts the edited draft on the clipboard (OSC 52, as y does), cleaned
// of control characters, unless it is empty or still holds a placeholder:
// then it says which, copies nothing and keeps the text for the CSM to fix.
func (e *campaignEditor) copy() tea.Cmd {
	text := strings.TrimRight(safe.Text(e.body.Value()), " \t\n") + "\n"
	if strings.TrimSpace(text) == "" {
		e.msg = "not copied: the draft is empty"
		return nil
	}
	if ph := model.DraftPlaceholders(text); len(ph) > 0 {
		e.msg = "not copied: the draft still holds " + strings.Join(ph, ", ") + ": write what it stands for"
		return nil
	}
	done := "copied “" + e.name + "” to the clipboard"
	if e.edited() {
		done = "copied your edit of “" + e.name + "” to the clipboard"
	}
	return tea.Batch(tea.SetClipboard(text), popScreen, statusCmd(done, false))
}

// View draws the title, the text and the message line.
func (e *campaignEditor) View() string {
	s := e.styles
	w := e.width
	lines := []string{truncateLine(s.Title.Render("Edit campaign · "+e.name)+
		s.Subtle.Render(" · to "+safe.Line(e.to)+" · "+safe.Line(e.accountName)), w), ""}
	lines = append(lines, e.body.Rows(w)...)
	return strings.Join(append(lines, truncateLine(e.messageLine(), w)), "\n")
}

func (e *campaignEditor) messageLine() string {
	s := e.styles
	switch {
	case e.confirming:
		return s.Warn.Render("discard your edits? y/n")
	case e.msg != "":
		return s.Bad.Render(safe.Line(e.msg))
	case e.edited():
		return s.Subtle.Render("edited · ctrl+s copies it · esc discards")
	}
	return s.Subtle.Render("as filled for this account · ctrl+s copies it")
}

// ShortHelp lists the editor's keys, copying and leaving first: no ? help
// is there while every key is text.
func (e *campaignEditor) ShortHelp() []key.Binding {
	k := e.keys
	if e.confirming {
		yes, no := k.Yes, k.No
		yes.SetHelp("y", "discard")
		no.SetHelp("n", "keep editing")
		return []key.Binding{yes, no}
	}
	back := k.Back
	back.SetHelp("esc", "discard")
	return []key.Binding{k.CopyEdited, back}
}

// FullHelp lists every key of the editor.
func (e *campaignEditor) FullHelp() [][]key.Binding { return [][]key.Binding{e.ShortHelp()} }

// UnsavedWarning is what the first ctrl+c says over an edit not copied.
func (e *campaignEditor) UnsavedWarning() string {
	return "edited campaign not copied: ctrl+s copies it, esc discards, ctrl+c again quits"
}
