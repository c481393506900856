package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
	"csm/safe"
)

// The contacts section's keys, with the section focused: a adds a person
// (contact_form.go), e edits the highlighted one, L marks them left (the
// day asked, today by default), C makes them the champion. Each change
// goes through the store's one write path, which recomputes the account's
// figures at once; the footer says what was saved and which flags it
// cleared or raised.

// contactKey handles a contacts key; false when msg is not one, or the
// contacts section does not have the focus and the key means something
// else there (e revises a note, a adds a follow-up).
func (a *accountScreen) contactKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := a.keys
	onContacts := a.focusedKey() == secContacts
	switch {
	case key.Matches(msg, k.AddContact) && onContacts:
		if !a.loaded || a.err != nil {
			return statusCmd("the account is not read yet: no one to add to", false), true
		}
		return pushScreen(newContactForm(a.env, a.id, a.detail.Account.Name, nil, a.flagKeys())), true
	case key.Matches(msg, k.EditContact) && onContacts:
		c, ok := a.selectedContact()
		if !ok {
			return statusCmd("select a contact (j/k) to edit it, or a to add one", false), true
		}
		return pushScreen(newContactForm(a.env, a.id, a.detail.Account.Name, &c, a.flagKeys())), true
	case key.Matches(msg, k.ContactLeft):
		c, ok := a.selectedContact()
		if !ok {
			return statusCmd("select a contact (tab to Contacts) to mark them left", false), true
		}
		return a.markLeft(c), true
	case key.Matches(msg, k.MakeChampion):
		c, ok := a.selectedContact()
		if !ok {
			return statusCmd("select a contact (tab to Contacts) to make them the champion", false), true
		}
		return a.makeChampion(c), true
	}
	return nil, false
}

// selectedContact is the contact under the cursor when the contacts
// section has the focus.
func (a *accountScreen) selectedContact() (model.Contact, bool) {
	r, ok := a.selected()
	if !ok || r.kind != itemContact {
		return model.Contact{}, false
	}
	for _, c := range a.detail.Contacts {
		if c.ID == r.a {
			return c, true
		}
	}
	return model.Contact{}, false
}

// flagKeys are the account's segments and alerts as the screen shows them,
// to tell after a change which it cleared or raised.
func (a *accountScreen) flagKeys() []string {
	return append(slices.Clone(a.detail.Metrics.Segments), a.detail.Metrics.Alerts...)
}

// markLeft asks the day the contact left (today unless told otherwise, in
// date words), then saves it.
func (a *accountScreen) markLeft(c model.Contact) tea.Cmd {
	today := model.LocalDay(a.now())
	name := safe.Line(c.Name)
	accountID, before := a.id, a.flagKeys()
	p := newPrompt(a.env, fmt.Sprintf("When did %s leave %s?", name, safe.Line(a.detail.Account.Name)),
		model.DateWordsHelp, func(text string) tea.Cmd {
			d, err := model.ParseDateWord(text, today)
			if err != nil {
				return statusCmd("not marked left: "+err.Error(), true)
			}
			return a.env.saveContact(accountID, before, fmt.Sprintf("%s marked left on %s", name, a.day(d)),
				func(ctx context.Context, st *data.Store) error {
					_, err := st.EditContact(ctx, c.ID, model.ContactEdit{LeftOn: &d})
					return err
				})
		})
	p.input.SetValue("today")
	if c.LeftCompanyOn != nil {
		p.input.SetValue(c.LeftCompanyOn.String())
	}
	p.input.CursorEnd()
	return pushScreen(p)
}

// makeChampion makes the selected contact the account's champion; the
// store refuses someone who has left, and says why.
func (a *accountScreen) makeChampion(c model.Contact) tea.Cmd {
	name := safe.Line(c.Name)
	today := model.LocalDay(a.now())
	switch {
	case hasLeft(&c, today):
		// The store refuses it too; said here for a champion who left,
		// whom the store would find unchanged.
		return statusCmd(fmt.Sprintf("not saved: %s left the company on %s: a champion must be someone still there (e edits the day)",
			name, a.day(*c.LeftCompanyOn)), true)
	case c.IsChampion:
		return statusCmd(name+" is already the champion (e edits them)", false)
	}
	yes := true
	return a.env.saveContact(a.id, a.flagKeys(), name+" is now the champion", func(ctx context.Context, st *data.Store) error {
		_, err := st.EditContact(ctx, c.ID, model.ContactEdit{IsChampion: &yes})
		return err
	})
}

// saveContact runs one change to a contact in a command and answers in the
// footer: what was saved, the flags of the account it cleared or raised,
// and that it will sync; or why nothing was saved.
func (e *env) saveContact(accountID string, before []string, done string, change func(ctx context.Context, st *data.Store) error) tea.Cmd {
	st := e.store
	return e.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		if err := change(ctx, st); err != nil {
			return statusMsg{text: "not saved: " + contactErrText(err), bad: true}
		}
		return batchMsgs(dataChangedMsg{}, statusMsg{text: done + flagsMovedText(ctx, st, accountID, before) + " · will sync"})
	})
}

// flagsMovedText says which of the account's flags the change cleared or
// raised (" · cleared champion left, crisis"); nothing when none moved or
// the account cannot be read again.
func flagsMovedText(ctx context.Context, st *data.Store, accountID string, before []string) string {
	d, err := st.AccountDetail(ctx, accountID)
	if err != nil {
		return ""
	}
	cleared, raised := model.FlagsMoved(before, append(slices.Clone(d.Metrics.Segments), d.Metrics.Alerts...))
	words := func(keys []string) string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = strings.ToLower(model.Label(k))
		}
		return strings.Join(out, ", ")
	}
	var s string
	if len(cleared) > 0 {
		s += " · cleared " + words(cleared)
	}
	if len(raised) > 0 {
		s += " · now " + words(raised)
	}
	return s
}

// contactErrText says why a contact change was refused in the CSM's words:
// the store's reason without its "invalid change" marker.
func contactErrText(err error) string {
	text := errText(err)
	if errors.Is(err, data.ErrInvalid) {
		if _, reason, ok := strings.Cut(text, data.ErrInvalid.Error()+": "); ok {
			return reason
		}
	}
	return text
}

// contactDetail names the person of a contact change, for the list of
// rejected changes: "Dana Lee <dana@acme.com>". Its text may have come
// back through the server: the caller sanitizes it.
func contactDetail(m data.Mutation) (string, bool) {
	if m.Type != model.MutContactCreate && m.Type != model.MutContactUpdate {
		return "", false
	}
	var c struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	if json.Unmarshal(m.Data, &c) != nil || c.Name == "" {
		return "", true
	}
	if c.Email == "" {
		return c.Name, true
	}
	return c.Name + " <" + c.Email + ">", true
}
