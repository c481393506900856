package data

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"csm/model"
)

// figuresOf reads an account's segments and alerts as the account page
// (metrics) and the book (book rows) read them; both must agree.
func figuresOf(t *testing.T, s *Store, id string) (segments, alerts []string) {
	t.Helper()
	ctx := context.Background()
	d, err := s.AccountDetail(ctx, id)
	if err != nil || !d.HasMetrics {
		t.Fatalf("account detail: %v (metrics %v)", err, d.HasMetrics)
	}
	b, err := s.BookScreen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(b.Rows, func(r BookRow) bool { return r.Account.ID == id })
	if i < 0 {
		t.Fatalf("account %s is not in the book", id)
	}
	row := b.Rows[i].Metrics
	if !slices.Equal(row.Segments, d.Metrics.Segments) || !slices.Equal(row.Alerts, d.Metrics.Alerts) {
		t.Fatalf("book row says %v %v, account page %v %v", row.Segments, row.Alerts, d.Metrics.Segments, d.Metrics.Alerts)
	}
	return d.Metrics.Segments, d.Metrics.Alerts
}

// outboxOf returns the queued mutations of one entity.
func outboxOf(t *testing.T, s *Store, entityID string) []Mutation {
	t.Helper()
	all, err := s.Pending(context.Background(), 10000)
	if err != nil {
		t.Fatal(err)
	}
	var out []Mutation
	for _, m := range all {
		if m.EntityID == entityID {
			out = append(out, m)
		}
	}
	return out
}

// TestNewChampionClearsChampionLeftAtOnce: marking the champion as left
// raises champion_left and its crisis, and adding a new active champion
// clears both, each in the write's own transaction: the account page and
// the book say so before any sync, and nothing is left stale.
func TestNewChampionClearsChampionLeftAtOnce(t *testing.T) {
	ctx := context.Background()
	s, accts := bookStore(t)
	// An account with no crisis of its own: the one below is the champion's.
	id := ""
	for _, a := range accts {
		if _, alerts := figuresOf(t, s, a.ID); !slices.Contains(alerts, model.AlertCrisis) {
			id = a.ID
			break
		}
	}
	if id == "" {
		t.Fatal("every generated account is in crisis")
	}
	left := model.MakeDate(2026, 11, 10) // before the book's day, Nov 20
	cs, err := s.Contacts(ctx, id, model.MakeDate(2026, 11, 20))
	if err != nil {
		t.Fatal(err)
	}
	champion := -1
	for i, c := range cs {
		if c.IsChampion && c.LeftCompanyOn == nil {
			champion = i
		}
	}
	if champion < 0 {
		// The generated account has no active champion: make one.
		yes := true
		if _, err := s.EditContact(ctx, cs[0].ID, model.ContactEdit{IsChampion: &yes}); err != nil {
			t.Fatal(err)
		}
		champion = 0
	}
	// Every other champion leaves too, so the one marked below was the last.
	for _, c := range cs {
		if c.IsChampion && c.LeftCompanyOn == nil && c.ID != cs[champion].ID {
			if _, err := s.EditContact(ctx, c.ID, model.ContactEdit{LeftOn: &left}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.EditContact(ctx, cs[champion].ID, model.ContactEdit{LeftOn: &left}); err != nil {
		t.Fatal(err)
	}
	segs, alerts := figuresOf(t, s, id)
	if !slices.Contains(segs, model.SegmentChampionLeft) || !slices.Contains(alerts, model.AlertCrisis) {
		t.Fatalf("after the champion left: segments %v, alerts %v; want champion_left and crisis", segs, alerts)
	}

	c, err := s.CreateContact(ctx, id, NewContact{Name: "Dana New", Email: "dana@example.com", Title: "VP Ops", Role: model.RoleSponsor, IsChampion: true})
	if err != nil {
		t.Fatal(err)
	}
	segs, alerts = figuresOf(t, s, id)
	if slices.Contains(segs, model.SegmentChampionLeft) || slices.Contains(alerts, model.AlertCrisis) {
		t.Errorf("after a new champion: segments %v, alerts %v; champion_left and its crisis should be gone", segs, alerts)
	}
	stale, _ := getMeta(ctx, s.db, metaStale)
	if stale != "0" {
		t.Errorf("metrics_stale = %q after the write: the figures should already be recomputed", stale)
	}
	// Queued once, remembered as made here, readable as it was saved.
	ms := outboxOf(t, s, c.ID)
	if len(ms) != 1 || ms[0].Type != model.MutContactCreate {
		t.Fatalf("outbox for the new contact = %+v, want one contact.create", ms)
	}
	var sent model.Contact
	if err := json.Unmarshal(ms[0].Data, &sent); err != nil || sent != c {
		t.Errorf("queued %+v (%v), want %+v", sent, err, c)
	}
	var made int
	if err := s.db.QueryRow("SELECT count(*) FROM created_here WHERE entity = 'contact' AND entity_id = ?", c.ID).Scan(&made); err != nil || made != 1 {
		t.Errorf("created_here has the contact %d times (%v), want 1", made, err)
	}
	got, err := s.Contact(ctx, c.ID)
	if err != nil || got != c {
		t.Errorf("stored %+v (%v), want %+v", got, err, c)
	}
}

func TestEditContactQueuesTheWholeUpdate(t *testing.T) {
	ctx := context.Background()
	s, accts := bookStore(t)
	cs, err := s.Contacts(ctx, accts[1].ID, model.MakeDate(2026, 11, 20))
	if err != nil || len(cs) == 0 {
		t.Fatalf("contacts: %v, %v", cs, err)
	}
	before := cs[0]
	title, email := "Head of Success", "renamed@example.com"
	got, err := s.EditContact(ctx, before.ID, model.ContactEdit{Title: &title, Email: &email})
	if err != nil {
		t.Fatal(err)
	}
	want := before
	want.Title, want.Email = title, email
	if !sameContact(got, want) || got.AccountID != before.AccountID || got.LastActiveOn != before.LastActiveOn && *got.LastActiveOn != *before.LastActiveOn {
		t.Errorf("edited = %+v, want %+v", got, want)
	}
	ms := outboxOf(t, s, before.ID)
	if len(ms) != 1 || ms[0].Type != model.MutContactUpdate {
		t.Fatalf("outbox = %+v, want one contact.update", ms)
	}
	var u model.ContactUpdate
	if err := json.Unmarshal(ms[0].Data, &u); err != nil {
		t.Fatal(err)
	}
	if u.ID != before.ID || u.Title != title || u.Email != email || u.Name != before.Name || u.Role != before.Role || u.IsChampion != before.IsChampion {
		t.Errorf("queued update %+v: want every edited field of the contact as it now is", u)
	}

	// UpdateContact, the form's path, makes the contact what it says.
	left := model.MakeDate(2026, 11, 30)
	full := model.UpdateOf(got)
	full.Name, full.LeftCompanyOn = "Renamed Person", &left
	got2, err := s.UpdateContact(ctx, full)
	if err != nil {
		t.Fatal(err)
	}
	if got2.Name != "Renamed Person" || got2.LeftCompanyOn == nil || *got2.LeftCompanyOn != left || got2.Title != title {
		t.Errorf("after UpdateContact: %+v", got2)
	}
	// Back at the company: no day, set the same way.
	full.LeftCompanyOn = nil
	if got3, err := s.UpdateContact(ctx, full); err != nil || got3.LeftCompanyOn != nil {
		t.Errorf("after clearing the day: %+v, %v", got3, err)
	}
	if n := len(outboxOf(t, s, before.ID)); n != 3 {
		t.Errorf("%d mutations queued for three edits", n)
	}
}

// TestBadContactChangesChangeNothing: each bad input is refused with a
// specific error, and neither the contacts, the outbox nor what this
// device remembers making has moved.
func TestBadContactChangesChangeNothing(t *testing.T) {
	ctx := context.Background()
	s, accts := bookStore(t)
	id := accts[2].ID
	cs, err := s.Contacts(ctx, id, model.MakeDate(2026, 11, 20))
	if err != nil || len(cs) < 2 {
		t.Fatalf("contacts: %v, %v", cs, err)
	}
	// first is no champion (it is made one below), second anyone else.
	fi := slices.IndexFunc(cs, func(c model.Contact) bool { return !c.IsChampion })
	if fi < 0 {
		t.Fatal("every contact is a champion")
	}
	first, second := cs[fi], cs[(fi+1)%len(cs)]
	past := model.MakeDate(2026, 11, 1)
	leftOne := first
	if _, err := s.EditContact(ctx, first.ID, model.ContactEdit{LeftOn: &past}); err != nil {
		t.Fatal(err)
	}
	str := func(s string) *string { return &s }
	yes := true
	valid := NewContact{Name: "Eve", Email: "eve@example.com"}
	with := func(f func(n *NewContact)) NewContact { n := valid; f(&n); return n }
	creates := []struct {
		name    string
		account string
		in      NewContact
		want    string
	}{
		{"no name", id, with(func(n *NewContact) { n.Name = " " }), "has no name"},
		{"no email", id, with(func(n *NewContact) { n.Email = "" }), `"Eve" has no email`},
		{"bad email", id, with(func(n *NewContact) { n.Email = "eve at example" }), "is not an email address"},
		{"bad role", id, with(func(n *NewContact) { n.Role = "boss" }), `role "boss" is not one of`},
		{"no such account", "nowhere", valid, `account "nowhere"`},
		{"email taken, any case", id, with(func(n *NewContact) { n.Email = strings.ToUpper(second.Email) }), "is already the email of"},
	}
	edits := []struct {
		name string
		id   string
		edit model.ContactEdit
		want string
	}{
		{"no such contact", "nobody", model.ContactEdit{Title: str("x")}, `contact "nobody"`},
		{"nothing", second.ID, model.ContactEdit{}, "nothing to change"},
		{"same values", second.ID, model.ContactEdit{Name: str(second.Name), IsChampion: &second.IsChampion}, "already says so"},
		{"email removed", second.ID, model.ContactEdit{Email: str("")}, "cannot be removed"},
		{"email taken", second.ID, model.ContactEdit{Email: str(leftOne.Email)}, "is already the email of"},
		{"bad email", second.ID, model.ContactEdit{Email: str("@example.com")}, "is not an email address"},
		{"bad role", second.ID, model.ContactEdit{Role: str("")}, `role "" is not one of`},
		{"left made champion", first.ID, model.ContactEdit{IsChampion: &yes}, "a champion must be someone still there"},
		{"left and stayed", second.ID, model.ContactEdit{LeftOn: &past, Stayed: true}, "contradict"},
	}
	snapshot := func() (int, int, int) {
		var contacts, outbox, made int
		for q, n := range map[string]*int{"SELECT count(*) FROM contacts": &contacts, "SELECT count(*) FROM outbox": &outbox, "SELECT count(*) FROM created_here": &made} {
			if err := s.db.QueryRow(q).Scan(n); err != nil {
				t.Fatal(err)
			}
		}
		return contacts, outbox, made
	}
	c0, o0, m0 := snapshot()
	check := func(t *testing.T, err error, want string, sentinel error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, sentinel) {
			t.Errorf("error = %v, want one with %q (is %v)", err, want, sentinel)
		}
		if c, o, m := snapshot(); c != c0 || o != o0 || m != m0 {
			t.Errorf("contacts %d→%d, outbox %d→%d, created_here %d→%d: a refused change changed something", c0, c, o0, o, m0, m)
		}
	}
	for _, tc := range creates {
		t.Run("add/"+tc.name, func(t *testing.T) {
			_, err := s.CreateContact(ctx, tc.account, tc.in)
			sentinel := ErrInvalid
			if tc.account != id {
				sentinel = ErrNotFound
			}
			check(t, err, tc.want, sentinel)
		})
	}
	for _, tc := range edits {
		t.Run("edit/"+tc.name, func(t *testing.T) {
			_, err := s.EditContact(ctx, tc.id, tc.edit)
			sentinel := ErrInvalid
			if tc.id == "nobody" {
				sentinel = ErrNotFound
			}
			check(t, err, tc.want, sentinel)
		})
	}
	t.Run("update/invalid id", func(t *testing.T) {
		_, err := s.UpdateContact(ctx, model.ContactUpdate{Name: "X", Role: model.RoleUser})
		check(t, err, "id: is empty", ErrInvalid)
	})
	after, err := s.Contact(ctx, second.ID)
	if err != nil || !sameContact(after, second) {
		t.Errorf("the contact changed: %+v, was %+v (%v)", after, second, err)
	}
}

func TestFindContact(t *testing.T) {
	ctx := context.Background()
	s, accts := bookStore(t)
	a, b := accts[0].ID, accts[1].ID
	mk := func(acct, name, email string) model.Contact {
		t.Helper()
		c, err := s.CreateContact(ctx, acct, NewContact{Name: name, Email: email})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	zoe := mk(a, "Zoë Quill", "zoe@quill.example")
	zed1 := mk(a, "Zed Quarry", "zed@quarry.example")
	zed2 := mk(b, "Zed Quarry", "zed2@quarry.example")
	zedd := mk(a, "Zed Quarryman", "zedd@quarry.example")
	cases := []struct {
		query, account string
		want           string // id, or "" for an error
		err            error
		words          string
	}{
		{zoe.ID, "", zoe.ID, nil, ""},
		{"ZOE@QUILL.EXAMPLE", "", zoe.ID, nil, ""},
		{"zoë", "", zoe.ID, nil, ""},
		{"zed quarry", a, zed1.ID, nil, ""}, // the whole name wins over Quarryman
		{"zed quarryman", "", zedd.ID, nil, ""},
		{"zed quarry", "", "", ErrAmbiguous, `"zed quarry" matches 3 contacts`},
		{"zed", b, zed2.ID, nil, ""},
		{zoe.ID, b, "", ErrNotFound, "no contact matches"},
		{"nobody at all", "", "", ErrNotFound, `no contact matches "nobody at all"`},
	}
	for _, tc := range cases {
		got, err := s.FindContact(ctx, tc.query, tc.account)
		switch {
		case tc.err == nil && (err != nil || got.ID != tc.want):
			t.Errorf("FindContact(%q, %q) = %s, %v; want %s", tc.query, tc.account, got.ID, err, tc.want)
		case tc.err != nil && (!errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.words)):
			t.Errorf("FindContact(%q, %q) error = %v, want %v with %q", tc.query, tc.account, err, tc.err, tc.words)
		}
	}
	if _, err := s.FindContact(ctx, " ", ""); err == nil {
		t.Error("an empty query found someone")
	}
}
