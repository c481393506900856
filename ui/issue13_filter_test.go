package ui

import (
	"strings"
	"testing"
)

// Issue 13, defect 7: /word, enter, j, esc must keep the account chosen
// in the filtered list selected (and in view) in the full list.
func TestClearingTheFilterKeepsTheSelection(t *testing.T) {
	st := fixtureStore(t, 200)
	a := newTestApp(t, st, 100, 30)
	b := a.book
	// A word that matches a few accounts, none of them the first rows.
	word := ""
	for _, i := range b.visible[10:] {
		w := strings.ToLower(strings.Fields(b.book.Rows[i].Account.Name)[0])
		if len(w) < 3 {
			continue
		}
		w = w[:3]
		n := 0
		for _, r := range b.book.Rows {
			if strings.Contains(strings.ToLower(r.Account.Name), w) {
				n++
			}
		}
		if n >= 2 && n < len(b.book.Rows)/2 {
			word = w
			break
		}
	}
	if word == "" {
		t.Fatal("no word matching a few accounts")
	}
	for _, clear := range [][]string{{"esc"}, {"/", "esc"}} {
		press(t, a, "g", "/")
		for _, r := range word {
			press(t, a, string(r))
		}
		press(t, a, "enter", "j")
		want := b.selectedID()
		if want == "" || b.list.Cursor() != 1 {
			t.Fatalf("filter %q then j: cursor %d", word, b.list.Cursor())
		}
		press(t, a, clear...)
		if b.filter.Value() != "" || len(b.visible) != len(b.book.Rows) {
			t.Fatalf("%v did not clear the filter", clear)
		}
		if got := b.selectedID(); got != want {
			t.Fatalf("after %v the selection moved to %s (row %d), want %s", clear, got, b.list.Cursor(), want)
		}
		c := b.list.Cursor()
		if c < b.list.Offset() || c >= b.list.End() {
			t.Fatalf("after %v the selected row %d is off screen [%d, %d)", clear, c, b.list.Offset(), b.list.End())
		}
		var name string
		for _, r := range b.book.Rows {
			if r.Account.ID == want {
				name = r.Account.Name
			}
		}
		if !strings.Contains(viewOf(a), name) {
			t.Fatalf("after %v the selected account %q is not on screen", clear, name)
		}
	}
}
