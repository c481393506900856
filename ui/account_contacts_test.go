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

// openAccountWithOneChampion opens, on the account page, an account of the
// fixture with exactly one active champion and no crisis of its own, with
// the contacts section focused; it returns the screen and that champion.
func openAccountWithOneChampion(t *testing.T, a *App, st *data.Store) (*accountScreen, model.Contact) {
	t.Helper()
	ctx := context.Background()
	accts, err := st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, acct := range accts {
		d, err := st.AccountDetail(ctx, acct.ID)
		if err != nil {
			t.Fatal(err)
		}
		var champs []model.Contact
		for _, c := range d.Contacts {
			if c.IsChampion && c.LeftCompanyOn == nil {
				champs = append(champs, c)
			}
		}
		if len(champs) != 1 || len(d.Contacts) < 2 || slices.Contains(d.Metrics.Alerts, model.AlertCrisis) {
			continue
		}
		send(a, openAccountMsg{id: acct.ID})
		acc := activeAs[*accountScreen](t, a)
		if !acc.loaded {
			send(a, acc.Init()())
		}
		focus(t, a, acc, secContacts)
		return acc, champs[0]
	}
	t.Fatal("no account of the fixture has one active champion and no crisis")
	return nil, model.Contact{}
}

// selectContact moves the cursor of the focused contacts section onto c.
func selectContact(t *testing.T, a *App, acc *accountScreen, id string) {
	t.Helper()
	press(t, a, "g")
	focus(t, a, acc, secContacts)
	for range acc.detail.Contacts {
		if c, ok := acc.selectedContact(); ok && c.ID == id {
			return
		}
		press(t, a, "j")
	}
	t.Fatalf("contact %s cannot be selected", id)
}

func footer(a *App) string {
	lines := strings.Split(ansi.Strip(viewOf(a)), "\n")
	return strings.Join(lines[len(lines)-3:], "\n")
}

// TestContactsLeaveAndChampionFromTheAccountPage: L marks the champion as
// left on a day typed in date words, and the page flags champion left at
// once; C on someone else makes them the champion and clears the flag and
// its crisis; each answer is in the footer, and each change is queued.
func TestContactsLeaveAndChampionFromTheAccountPage(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 120, 40)
	acc, champ := openAccountWithOneChampion(t, a, st)
	selectContact(t, a, acc, champ.ID)

	press(t, a, "L")
	p := activeAs[*promptScreen](t, a)
	if p.input.Value() != "today" {
		t.Errorf("the day asked starts as %q, want today", p.input.Value())
	}
	for range len("today") {
		press(t, a, "backspace")
	}
	typeText(a, "2026-11-10")
	press(t, a, "enter")
	if f := footer(a); !strings.Contains(f, champ.Name+" marked left on Nov 10 · now champion left, crisis · will sync") {
		t.Errorf("footer after L:\n%s", f)
	}
	if !slices.Contains(acc.detail.Metrics.Segments, model.SegmentChampionLeft) {
		t.Errorf("the page does not flag champion left: %v", acc.detail.Metrics.Segments)
	}

	var other model.Contact
	for _, c := range acc.detail.Contacts {
		if c.ID != champ.ID && c.LeftCompanyOn == nil && !c.IsChampion {
			other = c
			break
		}
	}
	if other.ID == "" {
		t.Skip("no active non-champion to promote") // the fixture has one on the account chosen
	}
	selectContact(t, a, acc, other.ID)
	press(t, a, "C")
	if f := footer(a); !strings.Contains(f, other.Name+" is now the champion · cleared champion left, crisis · will sync") {
		t.Errorf("footer after C:\n%s", f)
	}
	if slices.Contains(acc.detail.Metrics.Segments, model.SegmentChampionLeft) || slices.Contains(acc.detail.Metrics.Alerts, model.AlertCrisis) {
		t.Errorf("still flagged: %v %v", acc.detail.Metrics.Segments, acc.detail.Metrics.Alerts)
	}
	// C again says so and saves nothing.
	press(t, a, "C")
	if f := footer(a); !strings.Contains(f, other.Name+" is already the champion") {
		t.Errorf("footer after a second C:\n%s", f)
	}
	// The one who left cannot be made champion: the store says why.
	selectContact(t, a, acc, champ.ID)
	press(t, a, "C")
	if f := footer(a); !strings.Contains(f, "not saved: "+champ.Name+" left the company on Nov 10: a champion must be someone still there") {
		t.Errorf("footer after C on who left:\n%s", f)
	}
	if p, _, _ := st.OutboxCounts(context.Background()); p != 2 {
		t.Errorf("%d changes wait, want 2 (left, champion)", p)
	}
}

// TestContactFormAddsAndRefuses: a opens the form; a bad email is refused
// on the form, which keeps the typing; fixed, ctrl+s saves, the form
// closes, the footer says so and the person is on the page.
func TestContactFormAddsAndRefuses(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 120, 40)
	acc, _ := openAccountWithOneChampion(t, a, st)
	people := len(acc.detail.Contacts)

	press(t, a, "a")
	f := activeAs[*contactForm](t, a)
	typeText(a, "Dana Quill")
	press(t, a, "tab")
	typeText(a, "dana.quill")
	press(t, a, "tab", "tab", "left", "tab", "space")
	if f.focus != cfChampion || !f.champion || model.ContactRoles[f.role] != model.RoleAdmin {
		t.Fatalf("focus %d, champion %v, role %s", f.focus, f.champion, model.ContactRoles[f.role])
	}
	send(a, ctrlKey('s'))
	if a.active() != screen(f) {
		t.Fatalf("a refused form closed: %T", a.active())
	}
	if v := ansi.Strip(viewOf(a)); !strings.Contains(v, `not saved: email "dana.quill" is not an email address`) {
		t.Errorf("the form does not say why:\n%s", v)
	}
	if p, _, _ := st.OutboxCounts(context.Background()); p != 0 {
		t.Fatalf("%d changes wait after a refusal", p)
	}
	// Back to the email, fix it, save with enter from the last field.
	press(t, a, "shift+tab", "shift+tab", "shift+tab")
	typeText(a, "@quill.example")
	press(t, a, "tab", "tab", "tab", "enter")
	if _, ok := a.active().(*accountScreen); !ok {
		t.Fatalf("the form did not close after saving: %T\n%s", a.active(), ansi.Strip(viewOf(a)))
	}
	if ft := footer(a); !strings.Contains(ft, "contact added: Dana Quill · will sync") {
		t.Errorf("footer:\n%s", ft)
	}
	if len(acc.detail.Contacts) != people+1 {
		t.Errorf("%d people on the page, want %d", len(acc.detail.Contacts), people+1)
	}
	page := flat(wholePage(t, a, acc))
	if !strings.Contains(page, "★ Dana Quill") {
		t.Errorf("the new champion is not on the page")
	}
	var added model.Contact
	for _, c := range acc.detail.Contacts {
		if c.Name == "Dana Quill" {
			added = c
		}
	}
	if added.Email != "dana.quill@quill.example" || added.Role != model.RoleAdmin || !added.IsChampion {
		t.Errorf("saved %+v", added)
	}

	// e edits it: the form opens filled; a title typed, saved.
	focus(t, a, acc, secContacts)
	selectContact(t, a, acc, added.ID)
	press(t, a, "e")
	ed := activeAs[*contactForm](t, a)
	if ed.name.Value() != "Dana Quill" || ed.email.Value() != added.Email || !ed.champion {
		t.Fatalf("the edit form opened with %q %q %v", ed.name.Value(), ed.email.Value(), ed.champion)
	}
	press(t, a, "tab", "tab")
	typeText(a, "CIO")
	send(a, ctrlKey('s'))
	if ft := footer(a); !strings.Contains(ft, "contact saved: Dana Quill · will sync") {
		t.Errorf("footer after the edit:\n%s", ft)
	}
	if c, _ := st.Contact(context.Background(), added.ID); c.Title != "CIO" {
		t.Errorf("title saved as %q", c.Title)
	}
	if p, _, _ := st.OutboxCounts(context.Background()); p != 2 {
		t.Errorf("%d changes wait, want 2 (create, update)", p)
	}
}

// TestContactKeysOutsideContacts: away from the contacts section, e keeps
// revising notes, and L and C say where to go rather than act.
func TestContactKeysOutsideContacts(t *testing.T) {
	st := fixtureStore(t, 30)
	a := newTestApp(t, st, 120, 40)
	acc := openFirstAccount(t, a)
	focus(t, a, acc, secHealth)
	for _, k := range []string{"L", "C"} {
		press(t, a, k)
		if f := footer(a); !strings.Contains(f, "select a contact (tab to Contacts)") {
			t.Errorf("%s outside contacts:\n%s", k, f)
		}
	}
	press(t, a, "e")
	if f := footer(a); strings.Contains(f, "contact") {
		t.Errorf("e outside contacts spoke of contacts:\n%s", f)
	}
	if p, _, _ := st.OutboxCounts(context.Background()); p != 0 {
		t.Errorf("%d changes wait", p)
	}
}

// TestRejectedContactChangesInWords: a refused contact.create and
// contact.update are named in words, with the person.
func TestRejectedContactChangesInWords(t *testing.T) {
	for _, tc := range []struct {
		typ, want string
	}{
		{model.MutContactCreate, "new contact"},
		{model.MutContactUpdate, "contact change"},
	} {
		m := data.Mutation{Type: tc.typ, Data: []byte(`{"id":"c1","name":"Dana Quill","email":"dana@q.example","title":"CIO","role":"user"}`)}
		if got := mutationWords(m); got != tc.want {
			t.Errorf("%s is worded %q, want %q", tc.typ, got, tc.want)
		}
		if got := mutationDetail(m); got != "Dana Quill <dana@q.example>" {
			t.Errorf("%s detail %q, want the person (not the job title)", tc.typ, got)
		}
	}
}

// TestContactFormGolden pins the form at the smallest and a large
// terminal, on both backgrounds: a new contact half typed, the role picked.
func TestContactFormGolden(t *testing.T) {
	for _, theme := range []string{"dark", "light"} {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			t.Run(fmt.Sprintf("%s/%dx%d", theme, size[0], size[1]), func(t *testing.T) {
				st := fixtureStore(t, 60)
				a := newTestApp(t, st, size[0], size[1])
				setBackground(a, theme == "dark")
				acc := openFirstAccount(t, a)
				focus(t, a, acc, secContacts)
				press(t, a, "a")
				activeAs[*contactForm](t, a)
				typeText(a, "Dana Quill")
				press(t, a, "tab")
				typeText(a, "dana@quill.example")
				press(t, a, "tab", "tab", "right")
				golden.RequireEqual(t, []byte(viewOf(a)))
			})
		}
	}
}
