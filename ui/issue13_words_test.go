package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"csm/model"
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

// Issue 13, defect 12: the Why column speaks the tabs' names (or their
// short forms, each in the help's legend), "+N" counts what is off the
// row, the objectives fit at 80 columns in whole words, and the row's
// sparkline covers the window its trend arrow compares.
func TestBookWordsMatchTheTabs(t *testing.T) {
	st := fixtureStore(t, 60)
	a := newTestApp(t, st, 80, 24)
	lines := strings.Split(ansi.Strip(viewOf(a)), "\n")
	if l := lines[1]; strings.Contains(l, "…") || !strings.Contains(l, "(goal ≤") || len([]rune(l)) > 80 {
		t.Errorf("objectives at 80 columns: %q", l)
	}
	for _, old := range []string{"HANDOFF", " drop", "low-util", "CRISIS", "DAU 24d"} {
		if strings.Contains(strings.ReplaceAll(ansi.Strip(viewOf(a)), "Sig. drop", ""), old) {
			t.Errorf("the book still says %q", old)
		}
	}
	// Every short form is a tab's name or in the legend; +N counts.
	legend := strings.Join(badgeLegend(), "\n")
	for k, short := range badgeText {
		if short != model.Label(k) && !strings.Contains(legend, short+" = "+model.Label(k)) {
			t.Errorf("%s: %q is neither the tab's name %q nor in the legend", k, short, model.Label(k))
		}
	}
	b := a.book
	for i := range b.book.Rows {
		m := &b.book.Rows[i].Metrics
		view := ansi.Strip(b.reasonsView(m, 20))
		shown := 0
		for _, k := range rowBadges(*m) {
			if strings.Contains(view, badgeText[k]) {
				shown++
			}
		}
		if more := len(rowBadges(*m)) - shown; more > 0 && !strings.HasSuffix(view, fmt.Sprintf("+%d", more)) {
			t.Errorf("row %d: %d reasons off the row, shows %q", i, more, view)
		}
	}
	press(t, a, "?")
	if v := ansi.Strip(viewOf(a)); !strings.Contains(v, "Rel. change = Relationship change") || !strings.Contains(v, "+N = N more") {
		t.Errorf("no legend in the help: %q", v)
	}
	// The sparkline draws the 31 days from the trend's day of comparison
	// to today, at every width.
	m := model.AccountMetrics{MAUSeries: make([]int, 90)}
	for i := range m.MAUSeries {
		m.MAUSeries[i] = i
	}
	if w := trendWindow(&m); len(w) != trendDays+1 || w[0] != 90-trendDays-1 || w[len(w)-1] != 89 {
		t.Errorf("trend window = %v", w)
	}
	for _, cells := range []int{8, 20, 45} {
		v := stretch(trendWindow(&m), cells)
		if len(v) < cells && len(v) != trendDays+1 || v[0] != 59 || v[len(v)-1] != 89 {
			t.Errorf("%d cells: %v", cells, v)
		}
	}
}

// Issue 13, defect 12: a contact with no last_active_on is "never seen",
// one seen on the as-of day "seen today", and one seen earlier "seen Nd ago".
func TestContactSeenWordsFollowLastActiveOn(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 120, 40)
	acct := firstAccount(t, st)
	s := newAccountScreen(&a.env, acct.Account.ID)
	s.detail = acct
	asOf := s.asOf()
	earlier := asOf - 3
	s.detail.Contacts = []model.Contact{
		{ID: "c1", Name: "Never Seen", Role: model.RoleUser},
		{ID: "c2", Name: "Seen Today", Role: model.RoleUser, LastActiveOn: &asOf},
		{ID: "c3", Name: "Seen Before", Role: model.RoleUser, LastActiveOn: &earlier},
	}
	view := ansi.Strip(strings.Join(s.contactsSection(118).lines, "\n"))
	for name, want := range map[string]string{"Never Seen": "never seen", "Seen Today": "seen today", "Seen Before": "seen 3d ago"} {
		found := false
		for _, l := range strings.Split(view, "\n") {
			if strings.Contains(l, name) {
				found = true
				if !strings.Contains(l, want) {
					t.Errorf("%s: %q, want %q", name, l, want)
				}
			}
		}
		if !found {
			t.Errorf("%s not listed: %q", name, view)
		}
	}
}

// Issue 13, defect 12: the Why flagged section writes its days as the rest
// of the screen does (format.ShortDay: "Nov 22" in the clock's year),
// never YYYY-MM-DD, nor with the year the clock already says.
func TestWhySectionDatesInOneFormat(t *testing.T) {
	st := fixtureStore(t, 60)
	a := newTestApp(t, st, 160, 48)
	iso := regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	thisYear := regexp.MustCompile(`\b[A-Z][a-z]{2} \d{1,2}, ` + fmt.Sprint(a.now().Year()) + `\b`)
	short := regexp.MustCompile(`\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}\b`)
	seen := 0
	for _, r := range a.book.book.Rows {
		s := newAccountScreen(&a.env, r.Account.ID)
		s.detail = detailOf(t, st, r.Account.ID)
		view := ansi.Strip(strings.Join(s.whySection(150).lines, "\n"))
		if d := iso.FindString(view); d != "" {
			t.Errorf("%s: Why flagged writes %s: %q", r.Account.Name, d, view)
		}
		if d := thisYear.FindString(view); d != "" {
			t.Errorf("%s: Why flagged writes this year's day %s with its year: %q", r.Account.Name, d, view)
		}
		if short.MatchString(view) {
			seen++
		}
	}
	if seen == 0 {
		t.Error("no Why flagged section of the book names a day: the test proves nothing")
	}
}
