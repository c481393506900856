package ui

import (
	"context"
	"strings"
	gosync "sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/model"
	"csm/safe"
)

// campaign is one template filled for this account.
type campaign struct {
	tmpl          model.CampaignTemplate
	to            string // who the email is addressed to
	subject, body string
}

// campaigns are the templates whose claim holds for this account, filled
// and addressed by the model's rules (model.CampaignFor), signed with the
// CSM's name as the last sync kept it. A template that does not fit is not
// offered: it cannot be copied or saved.
func (a *accountScreen) campaigns() []campaign {
	var out []campaign
	for _, c := range model.FittingCampaigns(a.campaignFacts()) {
		out = append(out, campaign{tmpl: c.Template, to: c.To.Name, subject: c.Subject, body: c.Body})
	}
	return out
}

func (a *accountScreen) campaignFacts() model.CampaignFacts {
	return a.detail.CampaignFacts(csmNameOf(a.ctx, a.store, a.now()), model.DateOf(a.now()))
}

// csmNames caches the CSM's name per store for a few seconds: the page is
// built on every load and resize, and a sync may have just kept the name.
var csmNames = struct {
	gosync.Mutex
	m map[*data.Store]cachedName
}{m: map[*data.Store]cachedName{}}

type cachedName struct {
	name string
	at   time.Time
}

// csmNameOf is the CSM's name the store keeps, "" when unknown.
func csmNameOf(ctx context.Context, st *data.Store, now time.Time) string {
	if st == nil {
		return ""
	}
	csmNames.Lock()
	defer csmNames.Unlock()
	if c, ok := csmNames.m[st]; ok && now.Sub(c.at) < 5*time.Second && now.Sub(c.at) >= 0 {
		return c.name
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	name, err := st.CSMName(ctx)
	if err != nil {
		return ""
	}
	csmNames.m[st] = cachedName{name: name, at: now}
	return name
}

// campaignsSection shows each email that fits, one under the other; the
// name line of each can be selected, to copy or save that email. The
// templates that do not fit follow in one line each, with why.
func (a *accountScreen) campaignsSection(w int) block {
	var b block
	all := model.Campaigns(a.campaignFacts())
	n := 0
	for _, c := range all {
		if !c.Fits {
			continue
		}
		if n > 0 {
			b.add("")
		}
		n++
		lines := a.campaignLines(campaign{tmpl: c.Template, to: c.To.Name, subject: c.Subject, body: c.Body}, w)
		b.addItem(itemRef{kind: itemCampaign, a: c.Template.Key}, lines[0])
		b.add(lines[1:]...)
	}
	st := a.styles
	if n == 0 {
		b.add(truncateLine("  "+st.Subtle.Render("No campaign fits this account today."), w))
	}
	first := true
	for _, c := range all {
		if c.Fits {
			continue
		}
		if first && n > 0 {
			b.add("")
		}
		first = false
		b.add(wrapHanging(st.Subtle.Render("Not offered: "+c.Template.Name+" — "+c.Why), w, "  ", "    ")...)
	}
	return b
}

// campaignLines draws one filled email: name, recipient, subject and body.
func (a *accountScreen) campaignLines(c campaign, w int) []string {
	st := a.styles
	lines := []string{truncateLine("  "+st.Title.Render(c.tmpl.Name)+st.Subtle.Render(" · to "+safe.Line(c.to)+" · "+strings.ToLower(c.tmpl.Audience)), w)}
	lines = append(lines, wrapHanging(st.Label.Render("Subject: ")+safe.Line(c.subject), w, "    ", "    ")...)
	return append(lines, wrapIndent(safe.Text(c.body), w, "    ")...)
}

// edit is e on the account page, by the section in focus: it revises the
// selected note, or opens the selected campaign's filled draft in the
// campaign editor to make it the CSM's own before copying it.
func (a *accountScreen) edit() tea.Cmd {
	if c, ok := a.selectedCampaign(); ok {
		return pushScreen(newCampaignEditor(a.env, c, a.detail.Account.Name))
	}
	if _, ok := a.selectedNote(); ok {
		return a.revise()
	}
	return statusCmd("e revises a note or edits a campaign: tab to Notes or Campaigns and select one", false)
}
