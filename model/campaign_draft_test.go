package model

import (
	"slices"
	"testing"
)

// Issue 13, defect 3: an edited draft still holding a placeholder is named
// by it, so the cockpit can refuse to copy it and say which.
func TestDraftPlaceholders(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"a filled draft", "Subject: Hello\n\nHi Ana,\n\nMaya Stone\n", nil},
		{"a field left unfilled", "Hi [missing: contact.first_name],", []string{"[missing: contact.first_name]"}},
		{"a merge field typed back", "Hi {{contact.first_name}},", []string{"{{contact.first_name}}"}},
		{"each once, in order", "[missing: csm.name] {{feature.name}} [missing: csm.name]", []string{"[missing: csm.name]", "{{feature.name}}"}},
		{"half deleted", "Hi [missing: contact.fir\nthanks {{csm", []string{"[missing: contact.fir", "{{csm"}},
		{"brackets of the CSM's own", "Agenda [draft] {not a field}", nil},
	}
	for _, tt := range tests {
		if got := DraftPlaceholders(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("%s: DraftPlaceholders(%q) = %q, want %q", tt.name, tt.text, got, tt.want)
		}
	}
	// Whatever FillTemplate leaves unfilled is found.
	for _, tm := range CampaignTemplates() {
		subject, body := FillTemplate(tm, nil)
		if len(DraftPlaceholders(subject+body)) == 0 && (len(tm.Body) > 0) {
			t.Errorf("%s filled with nothing: no placeholder found in %q", tm.Key, subject+body)
		}
	}
}
