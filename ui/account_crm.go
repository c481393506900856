package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"csm/browser"
	"csm/safe"
)

// The account in the CRM: with crm_url in the config, the account page
// shows a clickable link (OSC 8) to the account's page there, and O opens
// it with the system's opener. The address is browser.AccountURL's, as
// csm open builds it: the id percent-encoded, never read by a shell.

// crmLink is the page's link to the CRM, or "" with no crm_url.
func (a *accountScreen) crmLink() string {
	if a.crmURL == "" {
		return ""
	}
	u, err := browser.AccountURL(a.crmURL, a.detail.Account.ID)
	if err != nil {
		return a.styles.Warn.Render("no CRM link: " + errText(err))
	}
	// The address is the config's template and an escaped id: nothing in
	// it can end the link's escape sequence.
	return a.styles.Filter.Hyperlink(u).Render("CRM ↗ (O)")
}

// openCRM opens the account's page in the CRM, or says why it cannot.
func (a *accountScreen) openCRM() tea.Cmd {
	if !a.loaded || a.err != nil {
		return statusCmd("the account is not read yet: nothing to open", false)
	}
	u, err := browser.AccountURL(a.crmURL, a.detail.Account.ID)
	if err != nil {
		return statusCmd(errText(err), true)
	}
	open, name := a.openURL, safe.Line(a.detail.Account.Name)
	return a.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		if err := open(ctx, u); err != nil {
			return statusMsg{text: "could not open the CRM: " + err.Error(), bad: true}
		}
		return statusMsg{text: "opened " + name + " in the CRM: " + u}
	})
}
