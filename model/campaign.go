package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Which campaign templates fit an account, and each one filled. A template
// says something about the account and its recipient ("your colleagues use
// the product every week", "you have not been around lately"); it is
// offered only when that claim holds, addressed to the contact it is about,
// and only when every merge field has a value: no placeholder ever leaves
// csm.

// CampaignStoppedDays is how long a contact who was active must have been
// away to count as having stopped, for the win-back.
const CampaignStoppedDays = 30

// CampaignActiveDays is how recently a contact must have been active to
// count as using the product, for the feature nudge.
const CampaignActiveDays = 30

// CampaignFeedbackDays is how recent an NPS answer must be for a thank-you.
const CampaignFeedbackDays = 90

// CampaignFacts is what the rules read: the account, its people and
// figures, the feature catalogue, the as-of day, and the CSM's own name
// ("" when unknown: the signature is then left out, for the mail client's
// own signature to take its place).
type CampaignFacts struct {
	Account  Account
	Contacts []Contact
	NPS      []NPSResponse
	Metrics  AccountMetrics
	Features []Feature
	AsOf     Date
	CSMName  string
}

// Campaign is one template as it applies to one account: filled and
// addressed when Fits, else Why says, in words, why it is not offered.
type Campaign struct {
	Template      CampaignTemplate
	Fits          bool
	Why           string
	To            Contact
	Subject, Body string
}

// Text is the email as plain text: subject line, blank line, body.
func (c Campaign) Text() string {
	return "Subject: " + c.Subject + "\n\n" + c.Body + "\n"
}

// Campaigns applies every template to the account, in template order.
func Campaigns(f CampaignFacts) []Campaign {
	var out []Campaign
	for _, t := range CampaignTemplates() {
		out = append(out, CampaignFor(f, t))
	}
	return out
}

// FittingCampaigns are the campaigns of Campaigns that fit.
func FittingCampaigns(f CampaignFacts) []Campaign {
	var out []Campaign
	for _, c := range Campaigns(f) {
		if c.Fits {
			out = append(out, c)
		}
	}
	return out
}

// FindCampaignTemplate finds a template by key, or by the start of its
// key or name (any case) when that names one template.
func FindCampaignTemplate(s string) (CampaignTemplate, error) {
	ts := CampaignTemplates()
	want := strings.ToLower(strings.TrimSpace(s))
	var hits []CampaignTemplate
	for _, t := range ts {
		if t.Key == want {
			return t, nil
		}
		if want != "" && (strings.HasPrefix(t.Key, want) || strings.HasPrefix(strings.ToLower(t.Name), want)) {
			hits = append(hits, t)
		}
	}
	if len(hits) == 1 {
		return hits[0], nil
	}
	keys := make([]string, len(ts))
	for i, t := range ts {
		keys[i] = t.Key
	}
	if len(hits) > 1 {
		return CampaignTemplate{}, fmt.Errorf("%q names more than one template; use one of: %s", s, strings.Join(keys, ", "))
	}
	return CampaignTemplate{}, fmt.Errorf("no template %q; the templates are: %s", s, strings.Join(keys, ", "))
}

// campaignRule decides whether a template's claim holds for the account:
// the recipient and the feature it names, or why it does not fit.
type campaignRule func(f *CampaignFacts) (to *Contact, feature, why string)

var campaignRules = map[string]campaignRule{
	"welcome":           welcomeRule,
	"drive_feature":     driveFeatureRule,
	"champion_progress": championProgressRule,
	"win_back":          winBackRule,
	"nps_thank_you":     thankYouRule,
}

// CampaignFor applies one template to the account.
func CampaignFor(f CampaignFacts, t CampaignTemplate) Campaign {
	c := Campaign{Template: t}
	rule, ok := campaignRules[t.Key]
	if !ok {
		c.Why = "no rule says when this template is true"
		return c
	}
	to, feature, why := rule(&f)
	if why != "" {
		c.Why = why
		return c
	}
	fields := map[string]string{
		"account.name":       strings.TrimSpace(f.Account.Name),
		"contact.first_name": firstName(to.Name),
	}
	if feature != "" {
		fields["feature.name"] = feature
	}
	if u := f.Metrics.Util; u != nil {
		fields["account.util"] = fmt.Sprintf("%d%%", int(*u*100+0.5))
	}
	if name := strings.TrimSpace(f.CSMName); name != "" {
		fields["csm.name"] = name
	} else {
		// No name known: no signature line, rather than a gap.
		t.Body = strings.ReplaceAll(t.Body, "\n\n{{csm.name}}", "")
	}
	for k, v := range fields {
		if v == "" {
			delete(fields, k)
		}
	}
	subject, body := FillTemplate(t, fields)
	if hasPlaceholder(subject) || hasPlaceholder(body) {
		c.Why = "a merge field has no value for this account"
		return c
	}
	c.Fits, c.To, c.Subject, c.Body = true, *to, subject, body
	return c
}

// hasPlaceholder: s still holds a merge field, filled or not
// (DraftPlaceholders, the one rule for drafts edited or not).
func hasPlaceholder(s string) bool { return len(DraftPlaceholders(s)) > 0 }

// firstName is the first word of a name.
func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return ""
}

// reachable are the contacts still at the company with a name, champions
// first, then by role, name and id.
func (f *CampaignFacts) reachable() []*Contact {
	var out []*Contact
	for i := range f.Contacts {
		c := &f.Contacts[i]
		if (c.LeftCompanyOn != nil && *c.LeftCompanyOn <= f.AsOf) || firstName(c.Name) == "" {
			continue
		}
		out = append(out, c)
	}
	rank := func(c *Contact) int {
		if c.IsChampion {
			return -1
		}
		if i := slices.Index(ContactRoles, c.Role); i >= 0 {
			return i
		}
		return len(ContactRoles)
	}
	slices.SortFunc(out, func(x, y *Contact) int {
		return cmp.Or(cmp.Compare(rank(x), rank(y)), cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
	return out
}

// features returns the first high-value feature the account has adopted
// and the first it has not, in catalogue order.
func (f *CampaignFacts) features() (adopted, notAdopted string) {
	for _, ft := range f.Features {
		if !ft.HighValue || strings.TrimSpace(ft.Name) == "" {
			continue
		}
		if slices.Contains(f.Metrics.FeaturesAdopted, ft.Key) {
			adopted = cmp.Or(adopted, ft.Name)
		} else {
			notAdopted = cmp.Or(notAdopted, ft.Name)
		}
	}
	return adopted, notAdopted
}

// welcomeRule: "your colleagues already use the product every week" holds
// only with weekly use, past onboarding; the recipient is a new user, a
// contact (not a sponsor) who has not used the product yet.
func welcomeRule(f *CampaignFacts) (*Contact, string, string) {
	if f.Metrics.OnboardingCompletedOn == nil {
		return nil, "", "onboarding is not complete"
	}
	if !f.Metrics.WeeklyUse {
		return nil, "", "the team does not use the product every week"
	}
	adopted, notAdopted := f.features()
	feature := cmp.Or(adopted, notAdopted)
	if feature == "" {
		return nil, "", "the catalogue has no high-value feature to start with"
	}
	for _, c := range f.reachable() {
		if c.Role != RoleSponsor && !c.IsChampion && c.LastActiveOn == nil {
			return c, feature, ""
		}
	}
	return nil, "", "no new user: every contact has used the product already"
}

// driveFeatureRule: a high-value feature the account has not adopted, to a
// contact who uses the product.
func driveFeatureRule(f *CampaignFacts) (*Contact, string, string) {
	_, notAdopted := f.features()
	if notAdopted == "" {
		return nil, "", "every high-value feature is already in use"
	}
	for _, c := range f.reachable() {
		if c.LastActiveOn != nil && f.AsOf-*c.LastActiveOn < CampaignActiveDays {
			return c, notAdopted, ""
		}
	}
	return nil, "", fmt.Sprintf("no contact used the product in the last %d days", CampaignActiveDays)
}

// championProgressRule: a champion at the company, licenses in use and a
// feature in the weekly routine.
func championProgressRule(f *CampaignFacts) (*Contact, string, string) {
	var champ *Contact
	for _, c := range f.reachable() {
		if c.IsChampion {
			champ = c
			break
		}
	}
	if champ == nil {
		return nil, "", "no champion at the company"
	}
	if u := f.Metrics.Util; u == nil || *u <= 0 {
		return nil, "", "no licenses in active use"
	}
	adopted, _ := f.features()
	if adopted == "" {
		return nil, "", "no high-value feature is part of the weekly routine"
	}
	return champ, adopted, ""
}

// winBackRule: a contact who was active and stopped, CampaignStoppedDays
// or more ago; nobody else ("we miss you" to someone seen this week is
// false).
func winBackRule(f *CampaignFacts) (*Contact, string, string) {
	var gone *Contact
	for _, c := range f.reachable() {
		if c.LastActiveOn == nil || f.AsOf-*c.LastActiveOn < CampaignStoppedDays {
			continue
		}
		if gone == nil || *c.LastActiveOn > *gone.LastActiveOn {
			gone = c // the one who left most recently: the likeliest to come back
		}
	}
	if gone == nil {
		return nil, "", fmt.Sprintf("every contact who used the product did so in the last %d days: nobody stopped", CampaignStoppedDays)
	}
	return gone, "", ""
}

// thankYouRule: the latest NPS respondent still at the company, within
// CampaignFeedbackDays.
func thankYouRule(f *CampaignFacts) (*Contact, string, string) {
	ns := slices.Clone(f.NPS)
	slices.SortFunc(ns, func(x, y NPSResponse) int {
		return cmp.Or(cmp.Compare(y.RespondedOn, x.RespondedOn), cmp.Compare(y.ID, x.ID))
	})
	people := f.reachable()
	for _, n := range ns {
		if n.RespondedOn > f.AsOf || f.AsOf-n.RespondedOn > CampaignFeedbackDays {
			continue
		}
		for _, c := range people {
			if c.ID == n.ContactID {
				return c, "", ""
			}
		}
	}
	return nil, "", fmt.Sprintf("no NPS answer in the last %d days from someone still at the company", CampaignFeedbackDays)
}
