package ui

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"csm/format"
	"csm/model"
	"csm/safe"
)

// campaign is one template filled for this account.
type campaign struct {
	tmpl          model.CampaignTemplate
	to            string // who the preview is addressed to; "" when nobody fits
	subject, body string
}

// campaigns fills the five templates with this account's fields. Each goes
// to the contact its audience names where the account has one (the latest
// NPS respondent for the thank-you, someone gone quiet for the win-back),
// else to the champion. The CSM's own name is not stored locally, so
// {{csm.name}} stays visible as a gap to fill before sending.
func (a *accountScreen) campaigns() []campaign {
	d := &a.detail
	adopted, missing := a.featureNames()
	var out []campaign
	for _, t := range model.CampaignTemplates() {
		fields := map[string]string{"account.name": d.Account.Name}
		if d.Metrics.Util != nil {
			fields["account.util"] = format.Percent(d.Metrics.Util)
		}
		// The progress report names a feature in use; "you're missing" one
		// that is not; the welcome any feature worth starting with.
		feature := adopted
		switch t.Key {
		case "drive_feature":
			feature = missing
		case "welcome":
			feature = cmp.Or(adopted, missing)
		}
		if feature != "" {
			fields["feature.name"] = feature
		}
		to := a.recipient(t.Key)
		if to != "" {
			fields["contact.first_name"] = strings.Fields(to)[0]
		}
		subject, body := model.FillTemplate(t, fields)
		out = append(out, campaign{tmpl: t, to: to, subject: subject, body: body})
	}
	return out
}

// featureNames returns a high-value feature the account uses (for the
// welcome and the progress report) and one it does not (for "you're
// missing"), in catalogue order.
func (a *accountScreen) featureNames() (adopted, missing string) {
	used := a.detail.Metrics.FeaturesAdopted
	for _, f := range a.detail.Catalogue.Features {
		if !f.HighValue {
			continue
		}
		if slices.Contains(used, f.Key) {
			if adopted == "" {
				adopted = f.Name
			}
		} else if missing == "" {
			missing = f.Name
		}
	}
	return adopted, missing
}

// recipient picks the contact a template's preview is addressed to.
func (a *accountScreen) recipient(key string) string {
	asOf := a.asOf()
	contacts := a.sortedContacts()
	active := func(c *model.Contact) bool { return !hasLeft(c, asOf) && strings.TrimSpace(c.Name) != "" }
	switch key {
	case "nps_thank_you":
		for _, n := range a.sortedNPS() {
			for i := range contacts {
				if contacts[i].ID == n.ContactID && active(&contacts[i]) {
					return contacts[i].Name
				}
			}
		}
	case "win_back":
		for i := range contacts {
			c := &contacts[i]
			if active(c) && c.LastActiveOn != nil && asOf-*c.LastActiveOn > 30 {
				return c.Name
			}
		}
	}
	for i := range contacts {
		if contacts[i].IsChampion && active(&contacts[i]) {
			return contacts[i].Name
		}
	}
	return ""
}

var missingField = regexp.MustCompile(`\[missing: [^\]]*\]`)

// campaignsSection shows each filled email, one under the other; the name
// line of each can be selected, to copy or save that email.
func (a *accountScreen) campaignsSection(w int) block {
	var b block
	for i, c := range a.campaigns() {
		if i > 0 {
			b.add("")
		}
		lines := a.campaignLines(c, w)
		b.addItem(itemRef{kind: itemCampaign, a: c.tmpl.Key}, lines[0])
		b.add(lines[1:]...)
	}
	return b
}

// campaignLines draws one filled email: name, recipient, subject and body,
// with the fields still to fill in the warning colour.
func (a *accountScreen) campaignLines(c campaign, w int) []string {
	st := a.styles
	mark := func(s string) string {
		return missingField.ReplaceAllStringFunc(s, func(m string) string { return st.Warn.Render(m) })
	}
	to := "no recipient on record"
	if c.to != "" {
		to = "to " + safe.Line(c.to)
	}
	lines := []string{truncateLine("  "+st.Title.Render(c.tmpl.Name)+st.Subtle.Render(" · "+to+" · "+strings.ToLower(c.tmpl.Audience)), w)}
	lines = append(lines, wrapHanging(st.Label.Render("Subject: ")+mark(safe.Line(c.subject)), w, "    ", "    ")...)
	return append(lines, wrapIndent(mark(safe.Text(c.body)), w, "    ")...)
}
