package ui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"csm/data"
)

// accountLoadedMsg carries one account's data.
type accountLoadedMsg struct {
	id     string
	detail data.AccountDetail
	err    error
}

// accountScreen shows one account. (First cut: the triage issue fills it.)
type accountScreen struct {
	id     string
	store  *data.Store
	keys   KeyMap
	styles *Styles
	now    func() time.Time

	detail data.AccountDetail
	loaded bool
	err    error

	width, height int
}

func newAccountScreen(id string, st *data.Store, keys KeyMap, styles *Styles, now func() time.Time) *accountScreen {
	return &accountScreen{id: id, store: st, keys: keys, styles: styles, now: now}
}

// Init loads the account.
func (a *accountScreen) Init() tea.Cmd {
	st, id := a.store, a.id
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		d, err := st.AccountDetail(ctx, id)
		return accountLoadedMsg{id: id, detail: d, err: err}
	}
}

func (a *accountScreen) SetSize(w, h int) { a.width, a.height = w, h }
func (a *accountScreen) Capturing() bool  { return false }

func (a *accountScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case accountLoadedMsg:
		if msg.id == a.id {
			a.detail, a.err, a.loaded = msg.detail, msg.err, true
		}
	case tea.KeyPressMsg:
		if key.Matches(msg, a.keys.Back) {
			return func() tea.Msg { return closeAccountMsg{} }
		}
	}
	return nil
}

func (a *accountScreen) View() string {
	if a.err != nil {
		return a.styles.Bad.Render("could not read the account: " + a.err.Error())
	}
	if !a.loaded {
		return a.styles.Subtle.Render("reading…")
	}
	return a.styles.Title.Render(cell(a.detail.Account.Name, a.width))
}

func (a *accountScreen) ShortHelp() []key.Binding  { return []key.Binding{a.keys.Back} }
func (a *accountScreen) FullHelp() [][]key.Binding { return [][]key.Binding{{a.keys.Back}} }
