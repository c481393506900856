package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Issue 13, defect 8: the note editor's error is worked out from the form
// as it is now; removing the step at fault takes its error away.
func TestNoteEditorErrorGoesWithTheStepAtFault(t *testing.T) {
	a, _, _ := openEditor(t, 80, 24)
	typeText(a, "Call went well")
	send(a, ctrl('n'))
	typeText(a, "Send deck")
	press(t, a, "tab") // step title → step due
	typeText(a, "someday")
	send(a, ctrl('s'))
	if len(a.stack) != 1 || !strings.Contains(viewOf(a), "next step 1") {
		t.Fatalf("bad due day not refused: %q", viewOf(a))
	}
	send(a, ctrl('d')) // remove the step
	if v := viewOf(a); strings.Contains(v, "next step 1") {
		t.Fatalf("the error stayed after its step was removed: %q", v)
	}
	// Still wrong, it still says so; fixed, it goes.
	send(a, ctrl('n'))
	press(t, a, "tab")
	typeText(a, "someday")
	send(a, ctrl('s'))
	send(a, ctrl('n')) // adding a step does not make the first one right
	if !strings.Contains(viewOf(a), "next step 1") {
		t.Fatalf("error gone while its cause stays: %q", viewOf(a))
	}
}

// Issue 13, defect 2: the order in force is marked on its column at every
// width, said in the footer when it changes, and O reverses it.
func TestBookSortIsMarkedSaidAndReversible(t *testing.T) {
	for _, w := range []int{80, 120, 200} {
		st := fixtureStore(t, 30)
		a := newTestApp(t, st, w, 24)
		header := func() string {
			for _, l := range strings.Split(ansi.Strip(viewOf(a)), "\n") {
				if strings.Contains(l, "Account") && strings.Contains(l, "Util") {
					return l
				}
			}
			t.Fatalf("no column header at %d: %q", w, ansi.Strip(viewOf(a)))
			return ""
		}
		if h := header(); !strings.Contains(h, "Why▼") || len([]rune(h)) > w {
			t.Errorf("%d cols: urgency not marked on Why: %q", w, h)
		}
		if v := ansi.Strip(viewOf(a)); strings.Contains(v, "sort:") {
			t.Errorf("%d cols: the cut \"sort:\" note is still on the tab row", w)
		}
		press(t, a, "o")
		if v := ansi.Strip(viewOf(a)); !strings.Contains(v, "sorted by health, lowest first") {
			t.Errorf("%d cols: no sort message: %q", w, v)
		}
		if h := header(); !strings.Contains(h, "Hlt▲") {
			t.Errorf("%d cols: health sort not marked: %q", w, h)
		}
		first := a.book.book.Rows[a.book.visible[0]].Metrics.Health.Score
		press(t, a, "O")
		if v := ansi.Strip(viewOf(a)); !strings.Contains(v, "sorted by health, highest first") {
			t.Errorf("%d cols: no reverse message: %q", w, v)
		}
		if h := header(); !strings.Contains(h, "Hlt▼") {
			t.Errorf("%d cols: reversed health sort not marked: %q", w, h)
		}
		if top := a.book.book.Rows[a.book.visible[0]].Metrics.Health.Score; top < first {
			t.Errorf("%d cols: reversed, the top health %v is below the lowest-first top %v", w, top, first)
		}
		for range 5 { // name, util, trend, arr, renewal
			press(t, a, "o")
		}
		if h := header(); !strings.Contains(h, "Renew▲") && !strings.Contains(h, "Renews▲") {
			t.Errorf("%d cols: renewal sort not marked: %q", w, h)
		}
	}
}
