package model

import "strings"

// The defaults below are what a CS team starts with before it writes its own:
// the plays, stage checklists, feature catalogue and campaign templates of
// SPEC §2. The generated book carries them, so the demo shows real content.

// Keys of the default stage checklists.
const (
	OnboardingChecklistKey = "onboarding"
	AdoptionChecklistKey   = "adoption"
)

// DefaultPlaybooks returns the six triggered plays of SPEC §2 and two manual
// ones. Step due_days count from the day the play starts.
func DefaultPlaybooks() []Playbook {
	return []Playbook{
		{
			Key: "raise_utilization", Name: "Low utilization", Trigger: "low_utilization",
			Description: "Fewer than 60% of the licenses are in use. Review it with the customer, agree a plan to raise utilization, and warn the account executive about the commercial risk.",
			Steps: []PlaybookStep{
				{Key: "review_with_customer", Title: "Review license utilization with the customer", DueDays: 7},
				{Key: "utilization_plan", Title: "Agree a plan to raise utilization", DueDays: 14},
				{Key: "notify_ae", Title: "Tell the account executive about the commercial risk", DueDays: 3},
			},
		},
		{
			Key: "recover_core_adoption", Name: "Low adoption of core features", Trigger: "significant_drop",
			Description: "Use or frequency dropped sharply. Find out why from the key contact, train the team, and track a mitigation plan until utilization recovers.",
			Steps: []PlaybookStep{
				{Key: "contact_key_user", Title: "Ask the key contact what changed", DueDays: 2},
				{Key: "training_session", Title: "Run a training session for the customer's team", DueDays: 10},
				{Key: "address_reasons", Title: "Address the reasons behind the drop", DueDays: 21},
				{Key: "mitigation_plan", Title: "Track the mitigation plan until utilization recovers", DueDays: 45},
			},
		},
		{
			Key: "expand_growing_account", Name: "Increase utilization", Trigger: "growing",
			Description: "Utilization grew by more than 10% in 30 days. Reinforce the value with the team, explore expansion, and ask for feedback.",
			Steps: []PlaybookStep{
				{Key: "reinforce_value", Title: "Share the value the team is getting", DueDays: 7},
				{Key: "explore_expansion", Title: "Explore expansion with the account executive", DueDays: 21},
				{Key: "send_nps", Title: "Send the NPS survey", DueDays: 14},
				{Key: "follow_up_detractors", Title: "Follow up with every detractor", DueDays: 30},
			},
		},
		{
			Key: "replace_champion", Name: "Key user left the company", Trigger: "champion_left",
			Description: "The champion left. Re-establish the relationship, find a new champion, and reach the former champion at their new company.",
			Steps: []PlaybookStep{
				{Key: "reestablish_contact", Title: "Re-establish contact with the team", DueDays: 3},
				{Key: "identify_new_champion", Title: "Identify and enable a new champion", DueDays: 14},
				{Key: "contact_former_champion", Title: "Contact the former champion at their new company", DueDays: 30},
			},
		},
		{
			Key: "post_onboarding_engagement", Name: "Low engagement after onboarding", Trigger: "low_engagement_after_onboarding",
			Description: "A month after onboarding the team barely uses the product. Check whether they have seen value and whether product knowledge is the gap.",
			Steps: []PlaybookStep{
				{Key: "check_value_seen", Title: "Check whether the team has seen value", DueDays: 5},
				{Key: "assess_knowledge", Title: "Find out whether product knowledge is low", DueDays: 10},
				{Key: "schedule_training", Title: "Schedule training", DueDays: 20},
			},
		},
		{
			Key: "spark_growth", Name: "Low growth in usage", Trigger: "flat_usage",
			Description: "Usage is flat while licenses sit unused. Study the data, learn more from the customer, and train where it helps.",
			Steps: []PlaybookStep{
				{Key: "analyse_data", Title: "Analyse the account's usage data", DueDays: 5},
				{Key: "engage_customer", Title: "Engage the customer to learn more", DueDays: 14},
				{Key: "organise_training", Title: "Organise training if needed", DueDays: 30},
			},
		},
		{
			Key: "renewal_prep", Name: "Renewal preparation", Trigger: TriggerManual,
			Description: "Get ready for the renewal conversation: the value delivered, the risks, and the commercial plan.",
			Steps: []PlaybookStep{
				{Key: "value_summary", Title: "Write the value summary for the year", DueDays: 7},
				{Key: "risk_review", Title: "Review open risks with the account executive", DueDays: 10},
				{Key: "renewal_meeting", Title: "Hold the renewal meeting with the sponsor", DueDays: 30},
			},
		},
		{
			Key: "executive_sponsor_check", Name: "Executive sponsor check", Trigger: TriggerManual,
			Description: "Confirm the executive sponsor still backs the project and knows the results.",
			Steps: []PlaybookStep{
				{Key: "confirm_sponsor", Title: "Confirm who the executive sponsor is today", DueDays: 7},
				{Key: "sponsor_briefing", Title: "Brief the sponsor on results and goals", DueDays: 21},
			},
		},
	}
}

// DefaultChecklists returns the onboarding and adoption checklists of SPEC §2.
// Items keep the order in which a CSM works through them; the group names the
// set an item belongs to.
func DefaultChecklists() []Checklist {
	const (
		set1 = "1. Get everything from the customer, once"
		set2 = "2. Start only with everything in hand"
		set3 = "3. Ready to start"
		set4 = "4. Acceptance: first use"
		set5 = "5. Engagement: regular use"
		set6 = "6. Success: expected benefits"

		entry      = "Entry criterion"
		touchpoint = "Touchpoints"
		milestone  = "Success milestones"
		qbr        = "Quarterly business review"
		checkIn    = "Quarterly check-in"
	)
	return []Checklist{
		{
			Key: OnboardingChecklistKey, Stage: StageOnboarding, Name: "Onboarding",
			Items: []ChecklistTemplateItem{
				{Key: "collect_goals", Title: "Record the goals and the benefits the customer expects", Group: set1},
				{Key: "collect_contacts", Title: "Name the champion, the admin and the executive sponsor", Group: set1},
				{Key: "collect_inputs", Title: "Receive the data, exports and access the setup needs", Group: set1},
				{Key: "confirm_inputs", Title: "Check that every input is in before work starts", Group: set2},
				{Key: "agree_plan", Title: "Agree the go-live date and share the onboarding plan", Group: set2},
				{Key: "admin_training", Title: "Train the admins", Group: set3},
				{Key: "integrations_ready", Title: "Install and connect the integrations", Group: set3},
				{Key: "users_invited", Title: "Invite the first users", Group: set3},
				{Key: "first_use", Title: "The customer has used the product once", Group: set4},
				{Key: "first_use_review", Title: "Review the first use with the champion", Group: set4},
				{Key: "regular_use", Title: "The team uses the product every week", Group: set5},
				{Key: "usage_report", Title: "Share the first usage report", Group: set5},
				{Key: "benefits_confirmed", Title: "The customer confirms the benefits they expected", Group: set6},
				{Key: "handoff_adoption", Title: "Hand the account over to adoption", Group: set6},
			},
		},
		{
			Key: AdoptionChecklistKey, Stage: StageAdoption, Name: "Adoption",
			Items: []ChecklistTemplateItem{
				{Key: "handoff_sla_checked", Title: "Handoff complete and SLA checked", Group: entry},
				{Key: "call_zero", Title: "Call zero", Group: touchpoint},
				{Key: "journey_orchestration", Title: "Journey orchestration", Group: touchpoint},
				{Key: "technical_kickoff", Title: "Technical kickoff", Group: touchpoint},
				{Key: "training", Title: "Training", Group: touchpoint},
				{Key: "first_value_session", Title: "First value session", Group: touchpoint},
				{Key: "journey_live", Title: "Journey reviewed and live", Group: milestone},
				{Key: "setup_complete", Title: "Setup complete", Group: milestone},
				{Key: "basic_understanding", Title: "Basic understanding of the product", Group: milestone},
				{Key: "first_value_reached", Title: "First value reached", Group: milestone},
				{Key: "qbr_scheduled", Title: "Schedule a quarterly business review now that onboarding is done", Group: qbr},
				{Key: "ask_who_uses", Title: "Ask: who uses the product, and for which goals?", Group: checkIn},
				{Key: "ask_problems_solved", Title: "Ask: which problems does it solve for you regularly?", Group: checkIn},
				{Key: "ask_gaps", Title: "Ask: what is missing or underperforms?", Group: checkIn},
			},
		},
	}
}

// DefaultFeatures returns the product's feature catalogue. High-value
// features are the ones whose adoption predicts renewal.
func DefaultFeatures() []Feature {
	return []Feature{
		{Key: "dashboards", Name: "Dashboards"},
		{Key: "reports", Name: "Scheduled reports", HighValue: true},
		{Key: "workflows", Name: "Workflow automation", HighValue: true},
		{Key: "integrations", Name: "Integrations", HighValue: true},
		{Key: "forecasting", Name: "Forecasting", HighValue: true},
		{Key: "alerts", Name: "Alerts and notifications"},
		{Key: "collaboration", Name: "Comments and mentions"},
		{Key: "mobile", Name: "Mobile app"},
		{Key: "api", Name: "API access"},
		{Key: "admin_console", Name: "Admin console"},
	}
}

// CampaignTemplate is an email the CSM sends to one audience; Subject and
// Body hold merge fields such as {{account.name}}.
type CampaignTemplate struct {
	Key      string
	Name     string
	Audience string
	Subject  string
	Body     string
}

// CampaignTemplates returns the five campaign templates of SPEC §2.
func CampaignTemplates() []CampaignTemplate {
	return []CampaignTemplate{
		{
			Key: "welcome", Name: "Welcome for new users",
			Audience: "New users of accounts past onboarding",
			Subject:  "Welcome to the team's workspace, {{contact.first_name}}",
			Body: "Hi {{contact.first_name}},\n\n" +
				"Welcome aboard! Your colleagues at {{account.name}} already use the product every week. " +
				"To get going, start with {{feature.name}}: it is where most teams find their first win.\n\n" +
				"If anything is unclear, just reply to this email.\n\n{{csm.name}}",
		},
		{
			Key: "drive_feature", Name: "Drive feature use",
			Audience: "Users who do not use a given feature",
			Subject:  "You're missing out on {{feature.name}}",
			Body: "Hi {{contact.first_name}},\n\n" +
				"Teams like yours save hours every week with {{feature.name}}, " +
				"and it is not yet part of the weekly routine at {{account.name}}. It takes ten minutes to set up; I am happy to walk you through it.\n\n{{csm.name}}",
		},
		{
			Key: "champion_progress", Name: "Progress report to champions",
			Audience: "Champions",
			Subject:  "What {{account.name}} achieved this quarter",
			Body: "Hi {{contact.first_name}},\n\n" +
				"Here is what your team has done so far: {{account.util}} of your licenses are in active use, " +
				"and {{feature.name}} is part of the weekly routine. Thank you for leading the way.\n\n" +
				"Shall we review the next goals together?\n\n{{csm.name}}",
		},
		{
			Key: "win_back", Name: "Win-back",
			Audience: "Users who were active and stopped",
			Subject:  "We miss you, {{contact.first_name}}",
			Body: "Hi {{contact.first_name}},\n\n" +
				"We noticed you have not been around lately. Was something missing, or did your work change? " +
				"One line back tells us how to make the product useful for you again.\n\n{{csm.name}}",
		},
		{
			Key: "nps_thank_you", Name: "Thank you for your feedback",
			Audience: "NPS respondents",
			Subject:  "Thank you for your feedback, {{contact.first_name}}",
			Body: "Hi {{contact.first_name}},\n\n" +
				"Thank you for telling us about your experience at {{account.name}}. " +
				"We would love to hear more: do you have fifteen minutes this week?\n\n{{csm.name}}",
		},
	}
}

// FillTemplate replaces the merge fields of t's subject and body with their
// values. A field without a value stays visible as [missing: name];
// CampaignFor never offers such a draft.
func FillTemplate(t CampaignTemplate, fields map[string]string) (subject, body string) {
	return fillFields(t.Subject, fields), fillFields(t.Body, fields)
}

// fillFields replaces each {{name}} of s; an unclosed {{ is kept as text.
func fillFields(s string, fields map[string]string) string {
	var b strings.Builder
	for {
		open := strings.Index(s, "{{")
		if open < 0 {
			break
		}
		end := strings.Index(s[open+2:], "}}")
		if end < 0 {
			break
		}
		name := strings.TrimSpace(s[open+2 : open+2+end])
		b.WriteString(s[:open])
		if v, ok := fields[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString("[missing: " + name + "]")
		}
		s = s[open+2+end+2:]
	}
	b.WriteString(s)
	return b.String()
}
