package ui

import (
	"strings"
	"testing"

	"csm/data"
)

// Issue 13, defect 10: every match of a snippet shows in the cells a hit's
// line leaves it; only the text around the matches is cut.
func TestFitMatches(t *testing.T) {
	m := func(w string) string { return data.MatchStart + w + data.MatchEnd }
	tests := []struct {
		name    string
		snippet string
		width   int
		want    string
	}{
		{"fits as it is", "the " + m("admin") + " asked", 20, "the " + m("admin") + " asked"},
		{"opens on the first match", "a long text before the " + m("admin") + " asked about seats", 20,
			"… the " + m("admin") + " asked about seats"},
		{"every match, text around them cut", "year. The " + m("admin") + " asked about seats. … next step: Plan the onboarding of the Lisbon team and then the " + m("training") + " in January", 38,
			"… The " + m("admin") + " asked… the " + m("training") + " in January"},
		{"matches alone too wide: the first ones", m("administration") + " and " + m("training"), 16,
			m("administration") + " and " + m("training")},
	}
	for _, tt := range tests {
		got := fitMatches(tt.snippet, tt.width)
		show := strings.NewReplacer(data.MatchStart, "[", data.MatchEnd, "]")
		if got != tt.want {
			t.Errorf("%s: fitMatches(%d) = %q, want %q", tt.name, tt.width, show.Replace(got), show.Replace(tt.want))
		}
		// Every match shows: the line cuts what follows the last.
		end := strings.LastIndex(got, data.MatchEnd)
		if tt.name != "matches alone too wide: the first ones" && snippetWidth(got[:end]) > tt.width {
			t.Errorf("%s: %q shows its last match past %d cells", tt.name, show.Replace(got), tt.width)
		}
	}
}
