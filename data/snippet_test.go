package data

import (
	"context"
	"strings"
	"testing"
)

// Issue 13, defect 10: a snippet shows where the words matched, from the
// field that matched, every word of the query highlighted.
func TestSearchSnippetShowsTheMatchedWords(t *testing.T) {
	s, accts := bookStore(t)
	ctx := context.Background()
	a := accts[0]
	addNote(t, s, a.ID,
		"Long call about the renewal, pricing, the new dashboards, the SSO rollout, the regional offices and their budgets for next year. The admin asked about seats.",
		"Book a meeting with finance", "Plan the onboarding of the Lisbon team and then the admin training in January")
	mark := func(w string) string { return MatchStart + w + MatchEnd }
	tests := []struct {
		query string
		kind  string
		want  []string // each in the snippet
	}{
		// The word is in a next step: the step is shown, where the word is.
		{"lisbon", HitNote, []string{"next step:", mark("Lisbon")}},
		// The two words are in different fields: both are shown.
		{"admin training", HitNote, []string{mark("admin"), mark("training")}},
		// A word far into the body: the snippet opens near it.
		{"seats", HitNote, []string{mark("seats")}},
		// The follow-up of the step, around its match; a prefix too.
		{"janua", HitTask, []string{mark("January")}},
	}
	for _, tt := range tests {
		hits, err := s.Search(ctx, tt.query, 10)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range hits {
			if h.Kind != tt.kind || h.AccountID != a.ID {
				continue
			}
			found = true
			for _, w := range tt.want {
				if !strings.Contains(h.Snippet, w) {
					t.Errorf("%q: %s snippet %q lacks %q", tt.query, h.Kind, h.Snippet, w)
				}
			}
			if n := len(strings.Fields(MarkMatches(h.Snippet, "", ""))); n > 30 {
				t.Errorf("%q: snippet of %d words: %q", tt.query, n, h.Snippet)
			}
		}
		if !found {
			t.Errorf("%q: no %s hit: %+v", tt.query, tt.kind, hits)
		}
	}
	// "admin training": the main stretch is the step holding both words.
	hits, _ := s.Search(ctx, "admin training", 10)
	for _, h := range hits {
		if h.Kind == HitNote && !strings.HasPrefix(h.Snippet, "next step: ") {
			t.Errorf("admin training: snippet %q does not open on the step that holds both words", h.Snippet)
		}
	}
}

func TestMakeSnippetFoldsCaseAndDiacritics(t *testing.T) {
	got := makeSnippet([]snippetField{{text: "Un rendez-vous au Café de Flore"}}, queryTerms("cafe"))
	if !strings.Contains(got, MatchStart+"Café"+MatchEnd) {
		t.Errorf("snippet = %q", got)
	}
	got = makeSnippet([]snippetField{{text: "nothing here"}}, queryTerms("zzz"))
	if got != "nothing here" {
		t.Errorf("no match: %q", got)
	}
}
