package model

import (
	"regexp"
	"testing"
)

var defaultsKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

func TestDefaultPlaybooksTriggers(t *testing.T) {
	want := map[string]bool{
		"low_utilization": false, "significant_drop": false, "growing": false,
		"champion_left": false, "low_engagement_after_onboarding": false, "flat_usage": false,
	}
	manual := 0
	keys := map[string]bool{}
	for _, p := range DefaultPlaybooks() {
		if !defaultsKeyPattern.MatchString(p.Key) || keys[p.Key] {
			t.Errorf("playbook key %q is not a unique snake_case key", p.Key)
		}
		keys[p.Key] = true
		if p.Name == "" || p.Description == "" || len(p.Steps) == 0 {
			t.Errorf("playbook %s lacks a name, description or steps", p.Key)
		}
		steps := map[string]bool{}
		for _, s := range p.Steps {
			if !defaultsKeyPattern.MatchString(s.Key) || steps[s.Key] || s.Title == "" || s.DueDays <= 0 {
				t.Errorf("playbook %s: bad step %+v", p.Key, s)
			}
			steps[s.Key] = true
		}
		if p.Trigger == TriggerManual {
			manual++
			continue
		}
		seen, ok := want[p.Trigger]
		if !ok || seen {
			t.Errorf("playbook %s: trigger %q is unknown or used twice", p.Key, p.Trigger)
		}
		want[p.Trigger] = true
	}
	for trigger, seen := range want {
		if !seen {
			t.Errorf("no playbook triggered by %s", trigger)
		}
	}
	if manual < 1 {
		t.Errorf("want at least one manual playbook")
	}
}

func TestDefaultChecklists(t *testing.T) {
	tests := []struct {
		key, stage string
		minGroups  int
	}{
		{OnboardingChecklistKey, StageOnboarding, 6},
		{AdoptionChecklistKey, StageAdoption, 5},
	}
	lists := map[string]Checklist{}
	for _, c := range DefaultChecklists() {
		lists[c.Key] = c
	}
	if len(lists) != len(tests) {
		t.Fatalf("got %d checklists, want %d", len(lists), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			c, ok := lists[tt.key]
			if !ok {
				t.Fatalf("checklist %s missing", tt.key)
			}
			if c.Stage != tt.stage || c.Name == "" {
				t.Errorf("stage %q name %q", c.Stage, c.Name)
			}
			items := map[string]bool{}
			var groups []string
			for _, it := range c.Items {
				if !defaultsKeyPattern.MatchString(it.Key) || items[it.Key] || it.Title == "" || it.Group == "" {
					t.Errorf("bad item %+v", it)
				}
				items[it.Key] = true
				// Items of a group sit together, so a UI can print a heading
				// whenever the group changes.
				if len(groups) == 0 || groups[len(groups)-1] != it.Group {
					for _, g := range groups {
						if g == it.Group {
							t.Errorf("group %q is split", it.Group)
						}
					}
					groups = append(groups, it.Group)
				}
			}
			if len(groups) < tt.minGroups {
				t.Errorf("got %d groups, want at least %d", len(groups), tt.minGroups)
			}
		})
	}
}

func TestDefaultFeatures(t *testing.T) {
	keys := map[string]bool{}
	highValue := 0
	for _, f := range DefaultFeatures() {
		if !defaultsKeyPattern.MatchString(f.Key) || keys[f.Key] || f.Name == "" {
			t.Errorf("bad feature %+v", f)
		}
		keys[f.Key] = true
		if f.HighValue {
			highValue++
		}
	}
	if len(keys) < 8 || highValue < 2 || highValue == len(keys) {
		t.Errorf("got %d features, %d high-value", len(keys), highValue)
	}
}

func TestCampaignTemplates(t *testing.T) {
	keys := map[string]bool{}
	for _, c := range CampaignTemplates() {
		if !defaultsKeyPattern.MatchString(c.Key) || keys[c.Key] || c.Name == "" || c.Audience == "" || c.Subject == "" || c.Body == "" {
			t.Errorf("bad template %+v", c)
		}
		keys[c.Key] = true
	}
	if len(keys) != 5 {
		t.Errorf("got %d templates, want 5", len(keys))
	}
}

func TestFillTemplate(t *testing.T) {
	fields := map[string]string{"account.name": "Northwind Logistics", "contact.first_name": "Ana"}
	tests := []struct {
		name, subject, body, wantSubject, wantBody string
	}{
		{"known fields", "Hi {{contact.first_name}}", "{{account.name}} rocks", "Hi Ana", "Northwind Logistics rocks"},
		{"spaces inside braces", "{{ contact.first_name }}!", "", "Ana!", ""},
		{"unknown field stays visible", "{{csm.name}}", "x {{feature.name}} y", "[missing: csm.name]", "x [missing: feature.name] y"},
		{"unclosed braces kept", "Hi {{contact.first_name", "{{account.name}} {{", "Hi {{contact.first_name", "Northwind Logistics {{"},
		{"no fields", "plain", "text", "plain", "text"},
		{"value is not expanded again", "{{account.name}}", "", "Northwind Logistics", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := FillTemplate(CampaignTemplate{Subject: tt.subject, Body: tt.body}, fields)
			if s != tt.wantSubject || b != tt.wantBody {
				t.Errorf("got (%q, %q), want (%q, %q)", s, b, tt.wantSubject, tt.wantBody)
			}
		})
	}
}

func TestCampaignTemplatesFillFromKnownFields(t *testing.T) {
	fields := map[string]string{
		"account.name": "A", "contact.first_name": "B", "feature.name": "C",
		"csm.name": "D", "account.util": "E",
	}
	for _, c := range CampaignTemplates() {
		s, b := FillTemplate(c, fields)
		if missing := regexp.MustCompile(`\[missing: |\{\{`); missing.MatchString(s + b) {
			t.Errorf("template %s uses a field outside the documented set: %q %q", c.Key, s, b)
		}
	}
}
