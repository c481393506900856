package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"csm/data"
	"csm/model"
)

// Issue 14: follow-ups as real tasks (filters, add, re-date, snooze, play
// steps) and snoozing an account for as long as the CSM says.

// fuType types text, a key per character, as a CSM does.
func fuType(t *testing.T, a *App, text string) {
	t.Helper()
	for _, r := range text {
		if r == ' ' {
			press(t, a, "space")
			continue
		}
		press(t, a, string(r))
	}
}

// fuFooter is the status line of the root, where every action answers.
func fuFooter(a *App) string { return a.status }

// fuSelect puts the follow-ups' cursor on the first row that ok accepts.
func fuSelect(t *testing.T, f *followUps, ok func(data.TaskRow) bool) data.TaskRow {
	t.Helper()
	for i, l := range f.lines {
		if l.row >= 0 && ok(f.rows[l.row]) {
			f.list.Select(i)
			return f.rows[l.row]
		}
	}
	t.Fatal("no such follow-up on screen")
	return data.TaskRow{}
}

func storedFollowUp(t *testing.T, st *data.Store, id string) data.TaskRow {
	t.Helper()
	r, err := st.FollowUp(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func pendingTypes(t *testing.T, st *data.Store) []string {
	t.Helper()
	m, err := st.Pending(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range m {
		out = append(out, x.Type)
	}
	return out
}

func TestFollowUpsFilterTabs(t *testing.T) {
	a, _, f := openFollowUps(t, 120, 40)
	today := model.LocalDay(fixedNow)
	if !slices.ContainsFunc(f.rows, func(r data.TaskRow) bool { return r.Step != nil }) {
		t.Fatal("the fixture has no play step due: the test would prove nothing")
	}
	for i, k := range model.FollowUpFilters {
		if f.filterKey() != k {
			t.Fatalf("after %d tabs the filter is %s, want %s", i, f.filterKey(), k)
		}
		tabs := ansi.Strip(strings.Split(viewOf(a), "\n")[3])
		for _, name := range model.FollowUpFilterLabels {
			if !strings.Contains(tabs, name+" ") {
				t.Fatalf("tab line %q lacks %s", tabs, name)
			}
		}
		var shown int
		for _, l := range f.lines {
			if l.row < 0 {
				continue
			}
			shown++
			r := f.rows[l.row]
			if !model.MatchesFollowUpFilter(k, r.Task.DueOn, r.Task.DoneAt != nil, r.Step != nil, today) {
				t.Fatalf("%s shows %q (due %v, step %v)", k, r.Task.Title, r.Task.DueOn, r.Step != nil)
			}
		}
		if shown == 0 && k != model.FilterToday {
			t.Fatalf("%s shows nothing", k)
		}
		if k == model.FilterPlaySteps && !strings.Contains(ansi.Strip(viewOf(a)), "▸ ") {
			t.Fatal("play steps are not marked as such")
		}
		press(t, a, "tab")
	}
	if f.filterKey() != model.FilterAll {
		t.Fatal("tab does not come round to All")
	}
	press(t, a, "shift+tab")
	if f.filterKey() != model.FilterPlaySteps {
		t.Fatal("shift+tab does not go back")
	}
}

func TestFollowUpsFilterByAccount(t *testing.T) {
	a, _, f := openFollowUps(t, 120, 40)
	name := f.rows[0].AccountName
	part := strings.ToLower(name[:min(6, len(name))])
	press(t, a, "/")
	if !f.Capturing() {
		t.Fatal("/ does not open the account filter")
	}
	fuType(t, a, part)
	if len(f.lines) == 0 {
		t.Fatal("the filter hides every follow-up")
	}
	for _, l := range f.lines {
		if l.row >= 0 && !strings.Contains(strings.ToLower(f.rows[l.row].AccountName), part) {
			t.Fatalf("filter %q shows %s", part, f.rows[l.row].AccountName)
		}
	}
	press(t, a, "enter")
	if f.Capturing() || !strings.Contains(ansi.Strip(viewOf(a)), "account: "+part) {
		t.Fatalf("enter does not keep the filter on show:\n%s", ansi.Strip(viewOf(a)))
	}
	n := len(f.lines)
	press(t, a, "esc") // clears the filter, stays
	if a.active() != screen(f) || len(f.lines) <= n || !strings.Contains(fuFooter(a), "cleared") {
		t.Fatalf("esc: %d lines (had %d), footer %q", len(f.lines), n, fuFooter(a))
	}
	press(t, a, "/")
	fuType(t, a, "zzzz-no-such")
	if !strings.Contains(ansi.Strip(viewOf(a)), "no follow-up here of an account named like") {
		t.Fatal("an empty filter result does not say why")
	}
}

func TestFollowUpsAddFromTheScreen(t *testing.T) {
	a, st, f := openFollowUps(t, 120, 40)
	row := fuSelect(t, f, func(r data.TaskRow) bool { return r.Step == nil })
	press(t, a, "a")
	form := activeAs[*followUpForm](t, a)
	// A bad day is refused with why, and nothing is saved.
	fuType(t, a, "Send the renewal deck")
	press(t, a, "tab")
	fuType(t, a, "someday")
	press(t, a, "enter")
	if a.active() != screen(form) || !strings.Contains(form.err, "not a date") {
		t.Fatalf("a bad day: active %T, error %q", a.active(), form.err)
	}
	if got := pendingTypes(t, st); len(got) != 0 {
		t.Fatalf("a refused form queued %v", got)
	}
	for range len("someday") {
		press(t, a, "backspace")
	}
	fuType(t, a, "fri")
	press(t, a, "enter")
	if a.active() != screen(f) {
		t.Fatalf("after saving the active screen is %T", a.active())
	}
	fri, _ := model.ParseDateWord("fri", model.LocalDay(fixedNow))
	var found bool
	for _, tk := range detailOf(t, st, row.Task.AccountID).Tasks {
		if tk.Title == "Send the renewal deck" && tk.DueOn != nil && *tk.DueOn == fri {
			found = true
		}
	}
	if !found {
		t.Fatal("the follow-up is not saved with its day")
	}
	if !strings.Contains(fuFooter(a), "added “Send the renewal deck”") || !strings.Contains(fuFooter(a), "will sync") {
		t.Fatalf("footer %q", fuFooter(a))
	}
	if !slices.ContainsFunc(f.rows, func(r data.TaskRow) bool { return r.Task.Title == "Send the renewal deck" }) {
		t.Fatal("the new follow-up is not listed")
	}
	// A form with no title says so.
	press(t, a, "a")
	press(t, a, "enter")
	if form := activeAs[*followUpForm](t, a); !strings.Contains(form.err, "needs a title") {
		t.Fatalf("no title: %q", form.err)
	}
	press(t, a, "esc")
	if a.active() != screen(f) {
		t.Fatal("esc does not cancel the form")
	}
}

func TestFollowUpsRedateKeepsThePlace(t *testing.T) {
	a, st, f := openFollowUps(t, 120, 40)
	row := fuSelect(t, f, func(r data.TaskRow) bool { return r.Step == nil && r.Task.DoneAt == nil })
	place := f.list.Cursor()
	press(t, a, "d")
	form := activeAs[*followUpForm](t, a)
	if form.due.Value() != row.Task.DueOn.String() {
		t.Fatalf("the form does not show the current day: %q", form.due.Value())
	}
	send(a, ctrlKey('u')) // clear the field
	fuType(t, a, "+30d")
	press(t, a, "enter")
	want := model.LocalDay(fixedNow) + 30
	if got := storedFollowUp(t, st, row.Task.ID).Task.DueOn; got == nil || *got != want {
		t.Fatalf("stored due %v, want %s", got, want)
	}
	if got := pendingTypes(t, st); !slices.Equal(got, []string{model.MutTaskSetDue}) {
		t.Fatalf("outbox %v, want one task.set_due", got)
	}
	if !strings.Contains(fuFooter(a), "now due") || !strings.Contains(fuFooter(a), "will sync") {
		t.Fatalf("footer %q", fuFooter(a))
	}
	if f.list.Cursor() != place {
		t.Fatalf("the cursor moved from %d to %d", place, f.list.Cursor())
	}
	if r, _ := f.selected(); r.Task.ID == row.Task.ID {
		t.Fatal("the re-dated follow-up is still under the cursor: it should have moved on")
	}
	// "none" clears the day.
	fuSelect(t, f, func(r data.TaskRow) bool { return r.Task.ID == row.Task.ID })
	press(t, a, "d")
	send(a, ctrlKey('u'))
	fuType(t, a, "none")
	press(t, a, "enter")
	if got := storedFollowUp(t, st, row.Task.ID).Task.DueOn; got != nil {
		t.Fatalf("none left due %v", got)
	}
	if !strings.Contains(fuFooter(a), "has no due day now · will sync") {
		t.Fatalf("footer %q", fuFooter(a))
	}
}

func TestFollowUpsSnoozeAFollowUp(t *testing.T) {
	a, st, f := openFollowUps(t, 120, 40)
	row := fuSelect(t, f, func(r data.TaskRow) bool { return r.Step == nil && r.Task.DoneAt == nil })
	press(t, a, "z")
	p := activeAs[*snoozePicker](t, a)
	if v := ansi.Strip(viewOf(a)); !strings.Contains(v, "3 days") || !strings.Contains(v, "until a date") {
		t.Fatalf("picker:\n%s", v)
	}
	press(t, a, "down", "enter") // 3 days
	if a.active() == screen(p) {
		t.Fatal("the picker did not close")
	}
	want := model.LocalDay(fixedNow) + 3
	if got := storedFollowUp(t, st, row.Task.ID).Task.DueOn; got == nil || *got != want {
		t.Fatalf("snoozed to %v, want %s", got, want)
	}
	if !strings.Contains(fuFooter(a), "snoozed: due") {
		t.Fatalf("footer %q", fuFooter(a))
	}
}

func TestFollowUpsPlayStepsTickAndRefuseRedate(t *testing.T) {
	a, st, f := openFollowUps(t, 120, 40)
	row := fuSelect(t, f, func(r data.TaskRow) bool { return r.Step != nil && r.Task.DoneAt == nil })
	for _, k := range []string{"d", "z"} {
		press(t, a, k)
		if a.active() != screen(f) || !strings.Contains(fuFooter(a), "play step") {
			t.Fatalf("%s on a play step: %T, footer %q", k, a.active(), fuFooter(a))
		}
	}
	if got := pendingTypes(t, st); len(got) != 0 {
		t.Fatalf("refused keys queued %v", got)
	}
	fuSelect(t, f, func(r data.TaskRow) bool { return r.Task.ID == row.Task.ID })
	sendNow(t, a, keyMsg("x"))
	if got := storedFollowUp(t, st, row.Task.ID); got.Task.DoneAt == nil {
		t.Fatal("the play step is not ticked")
	}
	if got := pendingTypes(t, st); !slices.Equal(got, []string{model.MutPlaySetStep}) {
		t.Fatalf("outbox %v, want one play.set_step", got)
	}
	if !strings.Contains(fuFooter(a), "play step done") {
		t.Fatalf("footer %q", fuFooter(a))
	}
}

func TestSnoozePickerTakesADate(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 100, 30)
	b := a.book
	id := b.selectedID()
	press(t, a, "z")
	p := activeAs[*snoozePicker](t, a)
	press(t, a, "G", "enter") // until a date…
	if !p.Capturing() {
		t.Fatal("the date field did not open")
	}
	fuType(t, a, "yesterday")
	press(t, a, "enter")
	if a.active() != screen(p) || !strings.Contains(p.err, "not a length of snooze") {
		t.Fatalf("a bad day: %T, %q", a.active(), p.err)
	}
	if sn, _ := st.Snoozes(context.Background(), model.LocalDay(fixedNow)); len(sn[id]) != 0 {
		t.Fatal("a refused day snoozed the account")
	}
	for range len("yesterday") {
		press(t, a, "backspace")
	}
	fuType(t, a, "2026-12-24")
	press(t, a, "enter")
	sn, _ := st.Snoozes(context.Background(), model.LocalDay(fixedNow))
	if got, ok := sn[id][model.SnoozeAll]; !ok || got.String() != "2026-12-24" {
		t.Fatalf("snoozes %v", sn[id])
	}
	if !strings.Contains(a.status, "until Dec 24") {
		t.Fatalf("footer %q", a.status)
	}
	// Esc in the field goes back to the lengths, esc again cancels.
	b.list.Select(0)
	other := b.selectedID()
	press(t, a, "z")
	p = activeAs[*snoozePicker](t, a)
	press(t, a, "G", "enter", "esc")
	if p.Capturing() || a.active() != screen(p) {
		t.Fatal("esc in the field did not go back to the lengths")
	}
	press(t, a, "esc")
	if a.active() == screen(p) {
		t.Fatal("esc did not cancel the picker")
	}
	if sn, _ := st.Snoozes(context.Background(), model.LocalDay(fixedNow)); len(sn[other]) != 0 {
		t.Fatal("a cancelled picker snoozed")
	}
}

func TestBookAddsAFollowUp(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 100, 30)
	r, _ := a.book.selected()
	id := r.Account.ID
	press(t, a, "a")
	activeAs[*followUpForm](t, a)
	fuType(t, a, "Call the sponsor")
	press(t, a, "enter")
	tasks := detailOf(t, st, id).Tasks
	if !slices.ContainsFunc(tasks, func(tk model.Task) bool { return tk.Title == "Call the sponsor" && tk.DueOn == nil }) {
		t.Fatal("a in the book did not add the follow-up")
	}
	if !strings.Contains(a.status, "no due day · will sync") {
		t.Fatalf("footer %q", a.status)
	}
}

func TestAccountPageAddsAFollowUpAndSnoozes(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 100, 30)
	id := a.book.selectedID()
	press(t, a, "enter")
	acc := activeAs[*accountScreen](t, a)
	if acc.focusedKey() == secContacts {
		t.Fatal("the page opens on the contacts: the test would not reach the follow-up key")
	}
	press(t, a, "a")
	activeAs[*followUpForm](t, a)
	fuType(t, a, "Book the QBR")
	press(t, a, "tab")
	fuType(t, a, "+2w")
	press(t, a, "enter")
	want := model.LocalDay(fixedNow) + 14
	if !slices.ContainsFunc(detailOf(t, st, id).Tasks, func(tk model.Task) bool {
		return tk.Title == "Book the QBR" && tk.DueOn != nil && *tk.DueOn == want
	}) {
		t.Fatal("a on the account page did not add the follow-up")
	}
	if a.active() != screen(acc) {
		t.Fatalf("after adding, the active screen is %T", a.active())
	}
	press(t, a, "z")
	activeAs[*snoozePicker](t, a)
	press(t, a, "down", "down", "down", "enter") // a month
	sn, _ := st.Snoozes(context.Background(), model.DateOf(fixedNow))
	month, _ := model.SnoozeUntil("month", model.LocalDay(fixedNow))
	if got, ok := sn[id][model.SnoozeAll]; !ok || got != month {
		t.Fatalf("snoozes %v, want until %s", sn[id], month)
	}
	press(t, a, "z") // it sleeps: z wakes it, no picker
	if _, ok := a.active().(*snoozePicker); ok {
		t.Fatal("z on a sleeping account opened the picker")
	}
	if sn, _ := st.Snoozes(context.Background(), model.DateOf(fixedNow)); len(sn[id]) != 0 || !strings.Contains(a.status, "woke") {
		t.Fatalf("z did not wake it: %v, footer %q", sn[id], a.status)
	}
}

// The follow-ups screen with its filter tabs (under Play steps, to show
// the marks) and the snooze picker, at 80×24 and 160×48.
func TestFollowUpsAndSnoozePickerGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		name := func(s string) string { return fmt.Sprintf("%s/%dx%d", s, size[0], size[1]) }
		t.Run(name("play_steps"), func(t *testing.T) {
			st := fixtureStore(t, 60)
			a := newTestApp(t, st, size[0], size[1])
			openFollowUpsScreen(t, a, st)
			press(t, a, "shift+tab")
			checkFits(t, a, size[0], size[1])
			golden.RequireEqual(t, []byte(viewOf(a)))
		})
		t.Run(name("snooze_picker"), func(t *testing.T) {
			st := fixtureStore(t, 60)
			a := newTestApp(t, st, size[0], size[1])
			press(t, a, "z")
			activeAs[*snoozePicker](t, a)
			press(t, a, "down")
			checkFits(t, a, size[0], size[1])
			golden.RequireEqual(t, []byte(viewOf(a)))
		})
	}
}
