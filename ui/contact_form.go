package ui

import (
	"context"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
	"csm/safe"
)

// The contact form: a new person on an account (a on the contacts
// section), or the highlighted one edited (e). Name, email and title are
// typed; the role is picked with ←/→ (or its first letter); space ticks
// "champion"; an edit also has the day they left, in date words. ctrl+s
// saves from any field, enter goes to the next one and saves from the
// last. What the store refuses is said on the form, which stays open with
// the typing.

// contactSavedMsg reports the end of a save.
type contactSavedMsg struct {
	err    error
	status string
}

// Focus stops of the form, in tab order; stopLeft only when editing.
const (
	cfName = iota
	cfEmail
	cfTitle
	cfRole
	cfChampion
	cfLeft
)

// contactLabelWidth fits the longest label, "Champion".
const contactLabelWidth = 10

type contactForm struct {
	*env

	accountID, accountName string
	// editing is the contact as it was; nil for a new one.
	editing *model.Contact
	// before are the account's flags as the page showed them, to say which
	// the save cleared or raised.
	before []string

	name, email, title, left textinput.Model
	role                     int // index into model.ContactRoles
	champion                 bool
	focus                    int

	initial    string
	confirming bool // "discard? y/n"
	saving     bool
	msg        string

	width, height int
}

func newContactForm(e *env, accountID, accountName string, editing *model.Contact, before []string) *contactForm {
	f := &contactForm{env: e, accountID: accountID, accountName: accountName, editing: editing, before: before}
	f.name = newLineInput("first and last name", model.MaxNameChars)
	f.email = newLineInput("name@company.com", model.MaxNameChars)
	f.title = newLineInput("job title (optional)", model.MaxNameChars)
	f.left = newLineInput("still there · or "+model.DateWordsHelp, 20)
	f.role = slices.Index(model.ContactRoles, model.RoleUser)
	if c := editing; c != nil {
		f.name.SetValue(c.Name)
		f.email.SetValue(c.Email)
		f.title.SetValue(c.Title)
		if i := slices.Index(model.ContactRoles, c.Role); i >= 0 {
			f.role = i
		}
		f.champion = c.IsChampion
		if c.LeftCompanyOn != nil {
			f.left.SetValue(c.LeftCompanyOn.String())
		}
	}
	f.applyStyles()
	f.initial = f.snapshot()
	f.SetSize(80, 20)
	f.setFocus(cfName)
	return f
}

func (f *contactForm) Init() tea.Cmd { return f.setFocus(f.focus) }

func (f *contactForm) applyStyles() {
	for _, in := range f.inputs() {
		in.SetStyles(f.styles.Input)
	}
}

func (f *contactForm) restyle() { f.applyStyles() }

// inputs are the text fields by stop (nil where a stop has none).
func (f *contactForm) inputs() map[int]*textinput.Model {
	m := map[int]*textinput.Model{cfName: &f.name, cfEmail: &f.email, cfTitle: &f.title}
	if f.editing != nil {
		m[cfLeft] = &f.left
	}
	return m
}

func (f *contactForm) stops() int {
	if f.editing != nil {
		return cfLeft + 1
	}
	return cfChampion + 1
}

func (f *contactForm) setFocus(stop int) tea.Cmd {
	f.focus = stop
	var cmd tea.Cmd
	for s, in := range f.inputs() {
		if s == stop {
			cmd = in.Focus()
		} else {
			in.Blur()
		}
	}
	return cmd
}

func (f *contactForm) snapshot() string {
	return strings.Join([]string{f.name.Value(), f.email.Value(), f.title.Value(), model.ContactRoles[f.role],
		map[bool]string{true: "1", false: "0"}[f.champion], f.left.Value()}, "\x00")
}

// Unsaved: something was typed that is not saved.
func (f *contactForm) Unsaved() bool { return f.snapshot() != f.initial }

func (f *contactForm) Capturing() bool { return true }

func (f *contactForm) SetSize(w, h int) {
	f.width, f.height = w, h
	for s, in := range f.inputs() {
		width := max(w-contactLabelWidth-1, 10)
		if s == cfLeft {
			width = min(width, 24)
		}
		in.SetWidth(width)
	}
}

func (f *contactForm) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case contactSavedMsg:
		f.saving = false
		if msg.err != nil {
			f.msg = "not saved: " + contactErrText(msg.err)
			return nil
		}
		return tea.Batch(popScreen, changed, statusCmd(msg.status, false))
	case tea.PasteMsg:
		if f.saving || f.confirming {
			return nil
		}
		msg.Content = safe.Line(msg.Content)
		return f.updateInput(msg)
	case tea.KeyPressMsg:
		return f.updateKey(msg)
	}
	return f.updateInput(msg)
}

func (f *contactForm) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	k := f.keys
	if f.saving {
		return nil // the save's answer decides what happens next
	}
	if f.confirming {
		switch {
		case key.Matches(msg, k.Yes):
			return popScreen
		case key.Matches(msg, k.No):
			f.confirming = false
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.SaveNote):
		return f.save()
	case key.Matches(msg, k.Back):
		if f.Unsaved() {
			f.confirming = true
			return nil
		}
		return popScreen
	case key.Matches(msg, k.NextSection):
		return f.setFocus((f.focus + 1) % f.stops())
	case key.Matches(msg, k.PrevSection):
		return f.setFocus((f.focus - 1 + f.stops()) % f.stops())
	case key.Matches(msg, k.Open):
		if f.focus == f.stops()-1 {
			return f.save()
		}
		return f.setFocus(f.focus + 1)
	}
	f.msg = ""
	switch f.focus {
	case cfRole:
		f.pickRole(msg)
		return nil
	case cfChampion:
		if key.Matches(msg, k.Tick) || key.Matches(msg, k.KindNext) || key.Matches(msg, k.KindPrev) {
			f.champion = !f.champion
		}
		return nil
	}
	return f.updateInput(msg)
}

// pickRole cycles the role with ←/→ (or space); a letter picks the role
// it starts (c, s, a, u).
func (f *contactForm) pickRole(msg tea.KeyPressMsg) {
	n := len(model.ContactRoles)
	switch {
	case key.Matches(msg, f.keys.KindPrev):
		f.role = (f.role - 1 + n) % n
	case key.Matches(msg, f.keys.KindNext):
		f.role = (f.role + 1) % n
	default:
		letter := strings.ToLower(msg.Text)
		for i, r := range model.ContactRoles {
			if letter != "" && strings.HasPrefix(r, letter) {
				f.role = i
				break
			}
		}
	}
}

func (f *contactForm) updateInput(msg tea.Msg) tea.Cmd {
	in, ok := f.inputs()[f.focus]
	if !ok {
		return nil
	}
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	return cmd
}

// today is the CSM's calendar day, which date words count from.
func (f *contactForm) today() model.Date { return model.LocalDay(f.now()) }

// leftDay reads the day they left: empty is still at the company.
func (f *contactForm) leftDay() (*model.Date, error) {
	return parseDue(f.left.Value(), f.today())
}

// save sends the form to the store in a command; the command gets copies,
// never the form. The store validates (model.CheckContact and friends):
// its refusal comes back to the form.
func (f *contactForm) save() tea.Cmd {
	st, accountID, before := f.store, f.accountID, f.before
	name := strings.TrimSpace(f.name.Value())
	role := model.ContactRoles[f.role]
	if f.editing == nil {
		in := data.NewContact{Name: name, Email: f.email.Value(), Title: f.title.Value(), Role: role, IsChampion: f.champion}
		f.saving, f.msg = true, ""
		return f.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
			if _, err := st.CreateContact(ctx, accountID, in); err != nil {
				return contactSavedMsg{err: err}
			}
			return contactSavedMsg{status: "contact added: " + safe.Line(name) + flagsMovedText(ctx, st, accountID, before) + " · will sync"}
		})
	}
	left, err := f.leftDay()
	if err != nil {
		f.msg = "left on: " + err.Error()
		return nil
	}
	u := model.ContactUpdate{ID: f.editing.ID, Name: name, Email: strings.TrimSpace(f.email.Value()), Title: strings.TrimSpace(f.title.Value()),
		Role: role, IsChampion: f.champion, LeftCompanyOn: left}
	f.saving, f.msg = true, ""
	return f.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		if _, err := st.UpdateContact(ctx, u); err != nil {
			return contactSavedMsg{err: err}
		}
		return contactSavedMsg{status: "contact saved: " + safe.Line(name) + flagsMovedText(ctx, st, accountID, before) + " · will sync"}
	})
}

func (f *contactForm) View() string {
	s := f.styles
	w := f.width
	var lines []string
	add := func(l string) { lines = append(lines, truncateLine(l, w)) }

	title := "New contact"
	if f.editing != nil {
		title = "Edit contact"
	}
	add(s.Title.Render(title) + s.Subtle.Render(" · ") + safe.Truncate(f.accountName, max(w-len(title)-3, 1)))
	add("")
	add(f.label("Name", cfName) + f.name.View())
	add(f.label("Email", cfEmail) + f.email.View())
	add(f.label("Title", cfTitle) + f.title.View())
	add(f.label("Role", cfRole) + f.roleView())
	box := "[ ]"
	if f.champion {
		box = s.Good.Render("[x]")
	}
	champ := box + " " + s.Subtle.Render("champions the product at the account")
	if f.focus == cfChampion {
		champ += s.Subtle.Render(" · space ticks")
	}
	add(f.label("Champion", cfChampion) + champ)
	if f.editing != nil {
		line := f.label("Left on", cfLeft) + pad(f.left.View(), 25)
		switch d, err := f.leftDay(); {
		case err != nil:
			line += s.Bad.Render("? date")
		case d == nil:
			line += s.Subtle.Render("still at the company")
		default:
			line += s.Subtle.Render("→ " + f.day(*d))
		}
		add(line)
	}
	add("")
	add(f.messageLine())
	return strings.Join(lines, "\n")
}

func (f *contactForm) label(name string, stop int) string {
	if f.focus == stop {
		return f.styles.Title.Render(pad(name, contactLabelWidth))
	}
	return f.styles.Label.Render(pad(name, contactLabelWidth))
}

func (f *contactForm) roleView() string {
	var b strings.Builder
	for i, r := range model.ContactRoles {
		switch {
		case i == f.role && f.focus == cfRole:
			b.WriteString(f.styles.TabActive.Render(r))
		case i == f.role:
			b.WriteString(f.styles.Selected.Render(" " + r + " "))
		default:
			b.WriteString(f.styles.Tab.Render(r))
		}
	}
	return b.String()
}

func (f *contactForm) messageLine() string {
	s := f.styles
	switch {
	case f.confirming:
		return s.Warn.Render("discard what you typed? y/n")
	case f.saving:
		return s.Subtle.Render("saving…")
	case f.msg != "":
		return s.Bad.Render(safe.Line(f.msg))
	case f.editing == nil:
		return s.Subtle.Render("a name and an email are needed; the rest can wait")
	}
	return ""
}

// ShortHelp lists the form's main keys: saving and leaving first, as the
// footer cuts the end on a narrow terminal.
func (f *contactForm) ShortHelp() []key.Binding {
	k := f.keys
	if f.confirming {
		yes, no := k.Yes, k.No
		yes.SetHelp("y", "discard")
		no.SetHelp("n", "keep editing")
		return []key.Binding{yes, no}
	}
	save, cancel, next := k.SaveNote, k.Back, k.NextSection
	cancel.SetHelp("esc", "cancel")
	next.SetHelp("tab", "next field")
	h := []key.Binding{save, cancel, next}
	switch f.focus {
	case cfRole:
		prev, nxt := k.KindPrev, k.KindNext
		prev.SetHelp("←", "previous role")
		nxt.SetHelp("→", "next role")
		h = append(h, prev, nxt)
	case cfChampion:
		tick := k.Tick
		tick.SetHelp("space", "champion or not")
		h = append(h, tick)
	}
	return h
}

// FullHelp lists every key of the form.
func (f *contactForm) FullHelp() [][]key.Binding {
	k := f.keys
	next, prev, cancel, open := k.NextSection, k.PrevSection, k.Back, k.Open
	next.SetHelp("tab", "next field")
	prev.SetHelp("shift+tab", "previous field")
	cancel.SetHelp("esc", "cancel (asks first if typed)")
	open.SetHelp("enter", "next field · save from the last")
	rolePrev, roleNext, tick := k.KindPrev, k.KindNext, k.Tick
	rolePrev.SetHelp("←", "previous role")
	roleNext.SetHelp("→", "next role")
	tick.SetHelp("space", "tick champion")
	return [][]key.Binding{{k.SaveNote, open, cancel, next, prev}, {rolePrev, roleNext, tick}}
}
