package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"

	"csm/format"
	"csm/model"
	"csm/safe"
)

// The note editor drawn: its form, its keys in the footer and help.

// ShortHelp lists the editor's main keys.
func (e *noteEditor) ShortHelp() []key.Binding {
	k := e.keys
	if e.confirming {
		yes, no := k.Yes, k.No
		yes.SetHelp("y", "discard")
		no.SetHelp("n", "keep editing")
		return []key.Binding{yes, no}
	}
	next := k.NextSection
	next.SetHelp("tab", "next field")
	cancel := k.Back
	cancel.SetHelp("esc", "cancel")
	// Saving and leaving first: on a narrow terminal the footer cuts the
	// end, and no ? help is there while every key is text.
	h := []key.Binding{k.SaveNote, cancel, next, k.AddStep}
	if _, _, ok := e.focusedStep(); ok {
		h = append(h, k.DelStep)
	}
	if e.focus == stopKind {
		h = append(h, k.KindPrev, k.KindNext)
	}
	return h
}

// FullHelp lists every key of the editor.
func (e *noteEditor) FullHelp() [][]key.Binding {
	k := e.keys
	next, prev := k.NextSection, k.PrevSection
	next.SetHelp("tab", "next field")
	prev.SetHelp("shift+tab", "previous field")
	cancel := k.Back
	cancel.SetHelp("esc", "cancel (asks first if typed)")
	return [][]key.Binding{
		{k.SaveNote, cancel, next, prev},
		{k.KindPrev, k.KindNext, k.AddStep, k.DelStep},
	}
}

// View draws the form.
func (e *noteEditor) View() string {
	s := e.styles
	w := e.width
	var lines []string
	add := func(l string) { lines = append(lines, truncateLine(l, w)) }

	title := "New note"
	if e.revising != nil {
		title = fmt.Sprintf("Revise note (revision %d)", e.revising.Revision+1)
	}
	add(s.Title.Render(title) + s.Subtle.Render(" · ") + safe.Truncate(e.accountName, max(w-len(title)-3, 1)))
	add("")
	add(e.label("Kind", e.focus == stopKind) + e.kindView())
	when := e.label("When", e.focus == stopWhen) + e.when.View()
	if _, err := e.parseWhen(); err != nil {
		when += "  " + s.Bad.Render(errText(err))
	}
	add(when)
	add(e.label("Note", e.focus == stopBody))
	lines = append(lines, e.body.Rows(w)...)
	add(e.label("Next steps", e.focus >= stopSteps) + s.Subtle.Render(e.stepsHint()))
	lines = append(lines, e.stepsView()...)
	add(e.messageLine())
	return strings.Join(lines, "\n")
}

func (e *noteEditor) label(name string, focused bool) string {
	if focused {
		return e.styles.Title.Render(pad(name, editorLabelWidth))
	}
	return e.styles.Label.Render(pad(name, editorLabelWidth))
}

func (e *noteEditor) kindView() string {
	var b strings.Builder
	for i, k := range model.NoteKinds {
		switch {
		case i == e.kind && e.focus == stopKind:
			b.WriteString(e.styles.TabActive.Render(noteKind(k)))
		case i == e.kind:
			b.WriteString(e.styles.Selected.Render(" " + noteKind(k) + " "))
		default:
			b.WriteString(e.styles.Tab.Render(noteKind(k)))
		}
	}
	return b.String()
}

func (e *noteEditor) stepsHint() string {
	if e.revising != nil {
		return " (kept as text with the note; follow-ups are not changed)"
	}
	return " each becomes a follow-up · ctrl+n adds"
}

// stepsView draws the steps that fit, keeping the focused one in view.
func (e *noteEditor) stepsView() []string {
	s := e.styles
	if len(e.steps) == 0 {
		return []string{s.Subtle.Render("  none · ctrl+n adds one")}
	}
	rows := e.stepRows()
	first := 0
	if i, _, ok := e.focusedStep(); ok && i >= rows {
		first = i - rows + 1
	}
	today := e.today()
	var out []string
	for i := first; i < min(first+rows, len(e.steps)); i++ {
		st := e.steps[i]
		line := fmt.Sprintf("  %2d. ", i+1) + pad(st.title.View(), e.stepTitleWidth()+1)
		if e.revising == nil {
			line += s.Label.Render(" due ") + pad(st.due.View(), stepDueWidth+1) + " " + e.dueView(st.due.Value(), today)
		}
		out = append(out, truncateLine(line, e.width))
	}
	return out
}

// dueView shows the day a due field resolves to, or that it does not.
func (e *noteEditor) dueView(v string, today model.Date) string {
	d, err := parseDue(v, today)
	switch {
	case err != nil:
		return e.styles.Bad.Render("? date")
	case d == nil:
		return ""
	}
	return e.styles.Subtle.Render("→ " + format.ShortDay(*d, today))
}

func (e *noteEditor) messageLine() string {
	s := e.styles
	switch {
	case e.confirming:
		return s.Warn.Render("discard this note? y/n")
	case e.saving:
		return s.Subtle.Render("saving…")
	case e.msg != "":
		return s.Bad.Render(safe.Line(e.msg))
	case e.draftErr != "":
		return s.Warn.Render(safe.Line(e.draftErr))
	case !e.restoredAt.IsZero():
		return s.Subtle.Render("restored unsaved note from " + e.restoredWhen())
	}
	return ""
}

// restoredWhen is when the restored draft was written: the time alone on
// the same day.
func (e *noteEditor) restoredWhen() string {
	now := e.now()
	at := e.restoredAt.In(now.Location())
	if model.LocalDay(at) == model.LocalDay(now) {
		return at.Format("15:04")
	}
	return e.dayTime(at)
}
