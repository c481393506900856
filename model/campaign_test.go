package model

import (
	"strings"
	"testing"
)

// campaignBase is an account where every template's claim holds: past
// onboarding with weekly use, a champion, a new user, someone who stopped,
// a recent NPS answer, one feature adopted and one not.
func campaignBase() CampaignFacts {
	const asOf = Date(20000)
	day := func(d Date) *Date { return &d }
	util := 0.6
	f := CampaignFacts{
		Account: Account{ID: "a1", Name: "Northwind Logistics"},
		Contacts: []Contact{
			{ID: "c1", Name: "Ana Lima", Role: RoleChampion, IsChampion: true, LastActiveOn: day(asOf - 2)},
			{ID: "c2", Name: "Ben Ode", Role: RoleUser},
			{ID: "c3", Name: "Cleo Park", Role: RoleUser, LastActiveOn: day(asOf - 45)},
			{ID: "c4", Name: "Dev Rao", Role: RoleSponsor},
		},
		NPS:      []NPSResponse{{ID: "n1", ContactID: "c4", Score: 9, RespondedOn: asOf - 10}},
		Features: []Feature{{Key: "reports", Name: "Scheduled reports", HighValue: true}, {Key: "workflows", Name: "Workflow automation", HighValue: true}},
		AsOf:     asOf,
		CSMName:  "Maya Stone",
	}
	f.Metrics.OnboardingCompletedOn = day(asOf - 100)
	f.Metrics.WeeklyUse = true
	f.Metrics.Util = &util
	f.Metrics.FeaturesAdopted = []string{"reports"}
	return f
}

func campaignOf(t *testing.T, f CampaignFacts, key string) Campaign {
	t.Helper()
	for _, c := range Campaigns(f) {
		if c.Template.Key == key {
			return c
		}
	}
	t.Fatalf("no template %s", key)
	return Campaign{}
}

func TestCampaignsAllFitTheBase(t *testing.T) {
	want := map[string]string{
		"welcome": "Ben Ode", "drive_feature": "Ana Lima", "champion_progress": "Ana Lima",
		"win_back": "Cleo Park", "nps_thank_you": "Dev Rao",
	}
	for _, c := range Campaigns(campaignBase()) {
		if !c.Fits {
			t.Errorf("%s does not fit: %s", c.Template.Key, c.Why)
			continue
		}
		if c.To.Name != want[c.Template.Key] {
			t.Errorf("%s goes to %q, want %q", c.Template.Key, c.To.Name, want[c.Template.Key])
		}
		if !strings.HasSuffix(c.Body, "\n\nMaya Stone") {
			t.Errorf("%s is not signed by the CSM: %q", c.Template.Key, c.Body)
		}
		if !strings.HasPrefix(c.Body, "Hi "+strings.Fields(c.To.Name)[0]+",") {
			t.Errorf("%s does not greet its recipient: %q", c.Template.Key, c.Body)
		}
		if hasPlaceholder(c.Text()) {
			t.Errorf("%s keeps a placeholder: %q", c.Template.Key, c.Text())
		}
	}
}

// One case per claim: the fact that makes it false, and the template that
// must then not be offered.
func TestCampaignClaimMustHold(t *testing.T) {
	day := func(d Date) *Date { return &d }
	tests := []struct {
		name, key string
		change    func(f *CampaignFacts)
	}{
		{"win-back: nobody was away long (seen 2 days ago)", "win_back", func(f *CampaignFacts) {
			f.Contacts[2].LastActiveOn = day(f.AsOf - 2)
		}},
		{"win-back: away 29 days is not stopped", "win_back", func(f *CampaignFacts) {
			f.Contacts[2].LastActiveOn = day(f.AsOf - CampaignStoppedDays + 1)
		}},
		{"win-back: who stopped has left the company", "win_back", func(f *CampaignFacts) {
			f.Contacts[2].LeftCompanyOn = day(f.AsOf - 5)
		}},
		{"welcome: no weekly use (0 active users)", "welcome", func(f *CampaignFacts) {
			f.Metrics.WeeklyUse = false
		}},
		{"welcome: still onboarding", "welcome", func(f *CampaignFacts) {
			f.Metrics.OnboardingCompletedOn = nil
		}},
		{"welcome: no new user", "welcome", func(f *CampaignFacts) {
			f.Contacts[1].LastActiveOn = day(f.AsOf - 3)
		}},
		{"thank-you: no NPS answer", "nps_thank_you", func(f *CampaignFacts) {
			f.NPS = nil
		}},
		{"thank-you: the respondent left", "nps_thank_you", func(f *CampaignFacts) {
			f.Contacts[3].LeftCompanyOn = day(f.AsOf - 1)
		}},
		{"thank-you: the answer is old", "nps_thank_you", func(f *CampaignFacts) {
			f.NPS[0].RespondedOn = f.AsOf - CampaignFeedbackDays - 1
		}},
		{"progress report: no champion", "champion_progress", func(f *CampaignFacts) {
			f.Contacts[0].IsChampion = false
		}},
		{"progress report: the champion left", "champion_progress", func(f *CampaignFacts) {
			f.Contacts[0].LeftCompanyOn = day(f.AsOf - 30)
		}},
		{"progress report: no license in use", "champion_progress", func(f *CampaignFacts) {
			zero := 0.0
			f.Metrics.Util = &zero
		}},
		{"progress report: no feature in the weekly routine", "champion_progress", func(f *CampaignFacts) {
			f.Metrics.FeaturesAdopted = nil
		}},
		{"feature nudge: every feature used", "drive_feature", func(f *CampaignFacts) {
			f.Metrics.FeaturesAdopted = []string{"reports", "workflows"}
		}},
		{"feature nudge: nobody uses the product", "drive_feature", func(f *CampaignFacts) {
			for i := range f.Contacts {
				f.Contacts[i].LastActiveOn = nil
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := campaignBase()
			if c := campaignOf(t, f, tt.key); !c.Fits {
				t.Fatalf("base: %s does not fit: %s", tt.key, c.Why)
			}
			tt.change(&f)
			c := campaignOf(t, f, tt.key)
			if c.Fits {
				t.Fatalf("%s offered: %q", tt.key, c.Text())
			}
			if c.Why == "" {
				t.Error("no reason given")
			}
			for _, fit := range FittingCampaigns(f) {
				if fit.Template.Key == tt.key {
					t.Errorf("%s among the fitting campaigns", tt.key)
				}
			}
		})
	}
}

func TestCampaignFeatureNudgeNamesAFeatureNotUsed(t *testing.T) {
	c := campaignOf(t, campaignBase(), "drive_feature")
	if !strings.Contains(c.Subject+c.Body, "Workflow automation") || strings.Contains(c.Subject+c.Body, "Scheduled reports") {
		t.Errorf("nudge names the wrong feature: %q", c.Text())
	}
}

func TestCampaignWithoutCSMNameHasNoSignatureGap(t *testing.T) {
	f := campaignBase()
	f.CSMName = "  "
	for _, c := range Campaigns(f) {
		if !c.Fits {
			t.Errorf("%s stops fitting without the CSM's name: %s", c.Template.Key, c.Why)
		}
		if hasPlaceholder(c.Text()) || strings.HasSuffix(c.Body, "\n") {
			t.Errorf("%s: %q", c.Template.Key, c.Text())
		}
	}
}

func TestCampaignNamelessContactIsNotAddressed(t *testing.T) {
	f := campaignBase()
	f.Contacts[1].Name = "   "
	if c := campaignOf(t, f, "welcome"); c.Fits {
		t.Errorf("welcome to a nameless contact: %q", c.Text())
	}
}

// The demo's book (cmd_demo: seed 1, 200 accounts, 365 days, 2 CSMs):
// every template over every account either fits with no placeholder, or
// is not offered with a reason.
func TestCampaignsOverTheDemoBookHaveNoPlaceholder(t *testing.T) {
	books := Generate(GenOptions{Seed: 1, Accounts: 200, Days: 365, CSMs: 2})
	fits := map[string]int{}
	for _, b := range books {
		bm := ComputeBook(bookAccountData(b), b.Features, b.Playbooks, DefaultThresholds())
		for i, a := range b.Accounts {
			f := CampaignFacts{Account: a, Metrics: bm.Accounts[i], Features: b.Features, AsOf: bm.AsOf, CSMName: b.CSM.Name}
			for _, c := range b.Contacts {
				if c.AccountID == a.ID {
					f.Contacts = append(f.Contacts, c)
				}
			}
			for _, n := range b.NPS {
				if n.AccountID == a.ID {
					f.NPS = append(f.NPS, n)
				}
			}
			for _, name := range []string{b.CSM.Name, ""} {
				f.CSMName = name
				for _, c := range Campaigns(f) {
					if !c.Fits {
						if c.Why == "" {
							t.Errorf("%s %s: not offered, no reason", a.ID, c.Template.Key)
						}
						continue
					}
					fits[c.Template.Key]++
					if hasPlaceholder(c.Text()) || strings.Contains(c.Text(), "[missing") {
						t.Errorf("%s %s: placeholder in %q", a.ID, c.Template.Key, c.Text())
					}
				}
			}
		}
	}
	t.Logf("fitting drafts per template: %v", fits)
}
