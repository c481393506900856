package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"csm/format"
	"csm/model"
)

// openRenewalsScreen presses r on the book and waits for its read.
func openRenewalsScreen(t *testing.T, a *App) *renewalsScreen {
	t.Helper()
	press(t, a, "r")
	r := activeAs[*renewalsScreen](t, a)
	if !r.loaded {
		send(a, r.load()())
	}
	if !r.loaded || r.err != nil {
		t.Fatalf("renewals not read: loaded=%v err=%v", r.loaded, r.err)
	}
	return r
}

// listedIDs are the accounts the screen lists, top to bottom.
func listedIDs(r *renewalsScreen) []string {
	var ids []string
	for _, l := range r.lines {
		if l.row >= 0 {
			ids = append(ids, r.forecast.Months[l.month].Renewals[l.row].AccountID)
		}
	}
	return ids
}

// TestRenewalsScreen: r opens the renewals of the next 180 days, by month,
// soonest first, with one totals line per currency; enter opens the
// selected account and esc comes back.
func TestRenewalsScreen(t *testing.T) {
	st := fixtureStore(t, 60)
	a := newTestApp(t, st, 120, 40)
	r := openRenewalsScreen(t, a)

	ids := listedIDs(r)
	if len(ids) == 0 {
		t.Fatal("no renewal in the fixture's next 180 days: the test proves nothing")
	}
	byID := map[string]int{}
	for _, row := range a.book.book.Rows {
		byID[row.Account.ID] = row.Metrics.RenewalInDays
	}
	last := -1
	for _, id := range ids {
		d := byID[id]
		if d < 0 || d > model.DefaultRenewalDays || d < last {
			t.Errorf("%s renews in %d days: out of the window or out of order (after %d)", id, d, last)
		}
		last = d
	}
	want := 0
	for _, d := range byID {
		if d >= 0 && d <= model.DefaultRenewalDays {
			want++
		}
	}
	if len(ids) != want {
		t.Errorf("%d renewals listed, %d accounts renew within 180 days", len(ids), want)
	}

	view := ansi.Strip(viewOf(a))
	if !strings.Contains(view, fmt.Sprintf("Renewals · next 180 days · %d accounts", len(ids))) {
		t.Errorf("title missing:\n%s", view)
	}
	if len(r.forecast.Totals) < 2 {
		t.Fatalf("the fixture renews in %d currencies: the test needs two or more", len(r.forecast.Totals))
	}
	for _, tot := range r.forecast.Totals {
		line := format.Money(tot.RenewingCents, tot.Currency) + " renewing (" + model.Plural(tot.Accounts, "account") + ")"
		if strings.Count(view, line) != 1 {
			t.Errorf("the %s totals %q are not on one line of their own:\n%s", tot.Currency, line, view)
		}
	}
	first := r.forecast.Months[0]
	if !strings.Contains(view, format.Month(first.Month)+" · "+model.Plural(len(first.Renewals), "renewal")) {
		t.Errorf("month heading of %s missing:\n%s", first.Month, view)
	}

	// The cursor starts on the first renewal, not on a heading; enter opens it.
	press(t, a, "down")
	sel, ok := r.selected()
	if !ok || sel.AccountID != ids[1] {
		t.Fatalf("after down the selection is %v %v, want %s", sel.AccountID, ok, ids[1])
	}
	press(t, a, "enter")
	acc := activeAs[*accountScreen](t, a)
	if acc.id != ids[1] {
		t.Errorf("enter opened %s, want %s", acc.id, ids[1])
	}
	press(t, a, "esc")
	if activeAs[*renewalsScreen](t, a) != r {
		t.Error("esc on the account did not come back to the renewals")
	}
	press(t, a, "esc")
	if a.active() != a.book {
		t.Errorf("esc on the renewals left %T active, want the book", a.active())
	}
}

// TestRenewalsNinetyDaysAreTheRenewalSoonTab: tab moves the window; at 90
// days the screen lists exactly the accounts of the book's Renewal soon
// tab.
func TestRenewalsNinetyDaysAreTheRenewalSoonTab(t *testing.T) {
	st := fixtureStore(t, 60)
	a := newTestApp(t, st, 120, 40)
	r := openRenewalsScreen(t, a)
	for r.days() != 90 {
		press(t, a, "tab")
	}
	if !strings.Contains(a.status, "renewals in the next 90 days") {
		t.Errorf("footer %q does not say the window", a.status)
	}
	var soon []string
	for _, row := range a.book.book.Rows {
		if model.InView(&row.Metrics, model.SegmentRenewalSoon) {
			soon = append(soon, row.Account.ID)
		}
	}
	got := listedIDs(r)
	slices.Sort(soon)
	slices.Sort(got)
	if len(soon) == 0 || !slices.Equal(got, soon) {
		t.Errorf("90 days: %v\nrenewal_soon: %v", got, soon)
	}
}

// TestRenewalsKeysAnswer: the book's other keys answer on the screen.
func TestRenewalsKeysAnswer(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 100, 30)
	openRenewalsScreen(t, a)
	for k, want := range map[string]string{
		"z": "snoozes an account", "/": "orders the book", "o": "orders the book", "r": "these are the renewals",
	} {
		press(t, a, k)
		if !strings.Contains(a.status, want) {
			t.Errorf("%s: footer %q, want it to say %q", k, a.status, want)
		}
	}
	press(t, a, "f")
	activeAs[*followUps](t, a)
}

// TestRenewalsGolden pins the screen at the smallest supported terminal
// and at a large one.
func TestRenewalsGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			st := fixtureStore(t, 60)
			a := newTestApp(t, st, size[0], size[1])
			setBackground(a, true)
			openRenewalsScreen(t, a)
			press(t, a, "down", "down")
			golden.RequireEqual(t, []byte(viewOf(a)))
		})
	}
}

// TestBookHeaderARRPerCurrency: the header shows the ARR of the tab in
// view, one amount per currency, and follows the tab.
func TestBookHeaderARRPerCurrency(t *testing.T) {
	st := fixtureStore(t, 60)
	a := newTestApp(t, st, 200, 40)
	want := func() string {
		var accts []*model.Account
		for i := range a.book.book.Rows {
			if a.book.inTab(&a.book.book.Rows[i].Metrics) {
				accts = append(accts, &a.book.book.Rows[i].Account)
			}
		}
		amounts := model.ARRByCurrency(accts)
		if len(amounts) < 1 {
			t.Fatal("no account in the tab")
		}
		in := ""
		if a.book.tab > 0 {
			in = " in " + a.book.tabs[a.book.tab].label
		}
		return "ARR" + in + " " + format.Amounts(amounts)
	}
	head := ansi.Strip(firstLine(viewOf(a)))
	all := want()
	if !strings.Contains(head, all) || strings.Count(all, " · ") < 1 {
		t.Errorf("header %q, want %q (two currencies or more)", head, all)
	}
	press(t, a, "tab")
	head = ansi.Strip(firstLine(viewOf(a)))
	if w := want(); !strings.Contains(head, w) || w == all {
		t.Errorf("after tab the header is %q, want %q", head, w)
	}
}

// fakeOpener records the addresses it is asked to open.
type fakeOpener struct {
	mu   sync.Mutex
	urls []string
	err  error
}

func (f *fakeOpener) open(_ context.Context, url string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.urls = append(f.urls, url)
	return f.err
}

func (f *fakeOpener) opened() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.urls)
}

func newCRMApp(t *testing.T, crm string, f *fakeOpener) *App {
	t.Helper()
	st := fixtureStore(t, 30)
	a := New(Options{Store: st, Now: func() time.Time { return fixedNow }, Label: "test", StatusTTL: -1, CRMURL: crm, OpenURL: f.open})
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	a.Update(a.loadBook()())
	return a
}

// TestAccountOpensInTheCRM: with crm_url, the account page links to the
// account in the CRM (OSC 8) and O opens that address; without one, O says
// what to set and opens nothing.
func TestAccountOpensInTheCRM(t *testing.T) {
	f := &fakeOpener{}
	a := newCRMApp(t, "https://crm.example.com/accounts/{id}", f)
	acc := openFirstAccount(t, a)
	want := "https://crm.example.com/accounts/" + acc.id
	if !strings.Contains(viewOf(a), ansi.SetHyperlink(want)) {
		t.Errorf("the account page has no link to %s", want)
	}
	if !strings.Contains(ansi.Strip(viewOf(a)), "CRM ↗ (O)") {
		t.Error("the link's text is not on the page")
	}
	press(t, a, "O")
	if got := f.opened(); !slices.Equal(got, []string{want}) {
		t.Errorf("opened %v, want %s", got, want)
	}
	if !strings.Contains(a.status, "opened") || a.statusBad {
		t.Errorf("footer %q (bad %v), want it to say it opened", a.status, a.statusBad)
	}

	f.err = fmt.Errorf("no browser")
	press(t, a, "O")
	if !strings.Contains(a.status, "could not open the CRM: no browser") || !a.statusBad {
		t.Errorf("footer %q, want why it could not open", a.status)
	}

	none := &fakeOpener{}
	b := newCRMApp(t, "", none)
	openFirstAccount(t, b)
	if strings.Contains(viewOf(b), "\x1b]8;") {
		t.Error("a link without crm_url")
	}
	press(t, b, "O")
	if len(none.opened()) != 0 || !strings.Contains(b.status, "set crm_url") {
		t.Errorf("O without crm_url: opened %v, footer %q", none.opened(), b.status)
	}
}
