package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Issue 13, defect 3: every draft the campaign section offers, over every
// account of the book, is signed with the CSM's name the sync kept, greets
// the contact it is addressed to, and holds no placeholder; the section
// lists only those, and says why the others are not offered.
func TestCampaignSectionOffersOnlyFilledDraftsThatFit(t *testing.T) {
	st := fixtureStore(t, 30)
	ctx := context.Background()
	if err := st.SetCSMName(ctx, "Maya Stone"); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, st, 100, 30)
	first := openFirstAccount(t, a)
	accts, err := st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	offered := 0
	for _, acct := range accts {
		d, err := st.AccountDetail(ctx, acct.ID)
		if err != nil {
			t.Fatal(err)
		}
		acc := newAccountScreen(first.env, acct.ID)
		acc.detail, acc.loaded = d, true
		cs := acc.campaigns()
		offered += len(cs)
		for _, c := range cs {
			text := campaignText(c)
			if strings.Contains(text, "[missing") || strings.Contains(text, "{{") {
				t.Errorf("%s %s: placeholder in %q", acct.ID, c.tmpl.Key, text)
			}
			if !strings.HasSuffix(text, "\n\nMaya Stone\n") {
				t.Errorf("%s %s: not signed by the CSM: %q", acct.ID, c.tmpl.Key, text)
			}
			if c.to == "" || !strings.Contains(text, "Hi "+strings.Fields(c.to)[0]+",") {
				t.Errorf("%s %s: does not greet %q: %q", acct.ID, c.tmpl.Key, c.to, text)
			}
		}
		b := acc.campaignsSection(100)
		if len(b.items) != len(cs) {
			t.Errorf("%s: %d selectable campaigns, want the %d that fit", acct.ID, len(b.items), len(cs))
		}
		page := ansi.Strip(strings.Join(b.lines, "\n"))
		if strings.Contains(page, "[missing") {
			t.Errorf("%s: placeholder on screen:\n%s", acct.ID, page)
		}
		if strings.Count(page, "Not offered: ") != 5-len(cs) {
			t.Errorf("%s: the templates not offered are not each said:\n%s", acct.ID, page)
		}
	}
	if offered == 0 {
		t.Fatal("no campaign offered over the whole book")
	}
}
