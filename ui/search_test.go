package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"csm/data"
	"csm/model"
)

func openSearch(t *testing.T, w, h int) (*App, *data.Store, *searchScreen) {
	t.Helper()
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, w, h)
	s := newSearch(&a.env)
	send(a, pushScreenMsg{s: s})
	return a, st, s
}

// longestWords returns the n longest words of a text, longest first.
func longestWords(text string, n int) []string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') })
	slices.SortStableFunc(words, func(x, y string) int { return len(y) - len(x) })
	return words[:min(n, len(words))]
}

func TestSearchFindsFixtureNote(t *testing.T) {
	a, st, s := openSearch(t, 100, 30)
	var note model.Note
	accts, _ := st.Accounts(context.Background())
	for _, ac := range accts {
		if d := detailOf(t, st, ac.ID); len(d.Notes) > 0 {
			note = d.Notes[0]
			break
		}
	}
	words := longestWords(note.Body, 2)
	// q is text while typing, not quit.
	typeText(a, strings.Join(words, " "))
	send(a, s.run()()) // the last query, however long it takes
	if !s.typing || s.input.Value() != strings.Join(words, " ") {
		t.Fatalf("input = %q", s.input.Value())
	}
	found := false
	for _, h := range s.hits {
		found = found || h.AccountID == note.AccountID
	}
	if !found {
		t.Fatalf("no hit for account %s searching %q: %v", note.AccountID, words, s.hits)
	}
	if !strings.Contains(ansi.Strip(viewOf(a)), "match") {
		t.Fatalf("no count line: %s", ansi.Strip(viewOf(a)))
	}

	// Down moves into the results, enter opens the selected hit's account.
	press(t, a, "down")
	if s.Capturing() {
		t.Fatal("still typing after down")
	}
	want := s.hits[0].AccountID
	if m, ok := s.Update(keyMsg("enter"))().(openAccountMsg); !ok || m.id != want {
		t.Fatalf("enter gave %#v, want openAccountMsg{%s}", m, want)
	}
	press(t, a, "up") // from the first hit back to the input
	if !s.Capturing() {
		t.Fatal("up from the first hit should return to the input")
	}
	press(t, a, "esc")
	if len(a.stack) != 0 {
		t.Fatal("esc did not go back")
	}
}

func TestSearchDropsStaleResults(t *testing.T) {
	_, _, s := openSearch(t, 100, 30)
	s.seq = 5
	s.Update(searchResultsMsg{seq: 5, query: "new", hits: []data.Hit{{ID: "new"}}})
	s.Update(searchResultsMsg{seq: 3, query: "old", hits: []data.Hit{{ID: "old"}}})
	if len(s.hits) != 1 || s.hits[0].ID != "new" || s.query != "new" {
		t.Fatalf("stale results replaced newer ones: %q %v", s.query, s.hits)
	}
}

func TestSearchSnippetIsSanitizedAndFits(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		a, st, s := openSearch(t, size[0], size[1])
		accts, _ := st.Accounts(context.Background())
		body := "zanzibar \x1b]52;c;aGk=\x07clipboard \x1b[2Jwipe \u202eevil zanzibar and a long tail of words to make the snippet run past the width"
		if _, err := st.CreateNote(context.Background(), data.NewNote{AccountID: accts[0].ID, Kind: model.NoteCall, HappenedAt: time.Now(), Body: body}); err != nil {
			t.Fatal(err)
		}
		typeText(a, "zanzib")
		send(a, s.run()())
		v := viewOf(a)
		if strings.ContainsAny(v, "\u202e") || strings.Contains(v, "\x1b]52") || strings.Contains(v, "\x1b[2J") {
			t.Fatal("escape or bidi sequence from a note reached the view")
		}
		if !strings.Contains(ansi.Strip(v), "zanzibar") {
			t.Fatalf("hit not shown: %s", ansi.Strip(v))
		}
		checkFits(t, a, size[0], size[1])
	}
}

func TestHighlightKeepsWidth(t *testing.T) {
	st := NewStyles(true)
	snip := "before " + data.MatchStart + "matched words here" + data.MatchEnd + " after"
	for w := 1; w < 40; w++ {
		got := highlight(snip, w, st.Title)
		if ansi.StringWidth(got) > w {
			t.Errorf("width %d: %q is %d wide", w, got, ansi.StringWidth(got))
		}
	}
	if got := ansi.Strip(highlight(snip, 80, st.Title)); got != "before matched words here after" {
		t.Errorf("got %q", got)
	}
}
