package model

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestContactEditApply(t *testing.T) {
	left := MakeDate(2026, 11, 20)
	base := Contact{ID: "c1", AccountID: "a1", Name: "Ann Lee", Email: "ann@acme.com", Title: "CTO", Role: RoleUser, LastActiveOn: &left}
	str := func(s string) *string { return &s }
	yes := true
	cases := []struct {
		name string
		edit ContactEdit
		want func(c *Contact)
	}{
		{"nothing", ContactEdit{}, func(c *Contact) {}},
		{"name trimmed", ContactEdit{Name: str("  Ann Li ")}, func(c *Contact) { c.Name = "Ann Li" }},
		{"title cleared", ContactEdit{Title: str("")}, func(c *Contact) { c.Title = "" }},
		{"champion", ContactEdit{IsChampion: &yes}, func(c *Contact) { c.IsChampion = true }},
		{"left", ContactEdit{LeftOn: &left}, func(c *Contact) { c.LeftCompanyOn = &left }},
		{"every field", ContactEdit{Name: str("Bo"), Email: str("bo@acme.com"), Title: str("VP"), Role: str(RoleAdmin)},
			func(c *Contact) { c.Name, c.Email, c.Title, c.Role = "Bo", "bo@acme.com", "VP", RoleAdmin }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := base
			tc.want(&want)
			if got := tc.edit.Apply(base); !reflect.DeepEqual(got, want) {
				t.Errorf("Apply = %+v, want %+v", got, want)
			}
		})
	}
	gone := base
	gone.LeftCompanyOn = &left
	if got := (ContactEdit{Stayed: true}).Apply(gone); got.LeftCompanyOn != nil {
		t.Errorf("Stayed kept the day they left: %v", *got.LeftCompanyOn)
	}
	// The edit's day is copied: changing the edit later changes nothing.
	day := left
	got := ContactEdit{LeftOn: &day}.Apply(base)
	day++
	if *got.LeftCompanyOn != left {
		t.Errorf("the applied day moved with the edit's: %v", *got.LeftCompanyOn)
	}
}

func TestCheckContact(t *testing.T) {
	ok := Contact{ID: "c1", AccountID: "a1", Name: "Ann", Email: "ann@acme.com", Role: RoleUser}
	cases := []struct {
		name    string
		change  func(c *Contact)
		wantErr string // "" for valid
	}{
		{"valid", func(c *Contact) {}, ""},
		{"no email (as a server may send)", func(c *Contact) { c.Email = "" }, ""},
		{"subdomain", func(c *Contact) { c.Email = "ann.lee@eu.acme.co.uk" }, ""},
		{"blank name", func(c *Contact) { c.Name = "  " }, "has no name"},
		{"role", func(c *Contact) { c.Role = "boss" }, `role "boss" is not one of champion, sponsor, admin, user`},
		{"empty role", func(c *Contact) { c.Role = "" }, `role "" is not one of`},
		{"no at", func(c *Contact) { c.Email = "ann.acme.com" }, "is not an email address"},
		{"no domain dot", func(c *Contact) { c.Email = "ann@acme" }, "is not an email address"},
		{"trailing dot", func(c *Contact) { c.Email = "ann@acme." }, "is not an email address"},
		{"two ats", func(c *Contact) { c.Email = "ann@x@acme.com" }, "is not an email address"},
		{"display name", func(c *Contact) { c.Email = "Ann <ann@acme.com>" }, "is not an email address"},
		{"space", func(c *Contact) { c.Email = "ann lee@acme.com" }, "is not an email address"},
		{"two addresses", func(c *Contact) { c.Email = "ann@acme.com, bo@acme.com" }, "is not an email address"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			err := CheckContact(c)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("CheckContact = %v, want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("CheckContact = %v, want an error with %q", err, tc.wantErr)
			}
		})
	}
}

func TestCheckContactEdit(t *testing.T) {
	today := MakeDate(2026, 12, 2)
	past, future := today-3, today+10
	ann := Contact{ID: "c1", AccountID: "a1", Name: "Ann", Email: "ann@acme.com", Role: RoleUser}
	gone := ann
	gone.LeftCompanyOn = &past
	leaving := ann
	leaving.LeftCompanyOn = &future
	champ := gone
	champ.IsChampion = true
	str := func(s string) *string { return &s }
	yes := true
	cases := []struct {
		name    string
		before  Contact
		edit    ContactEdit
		wantErr string
	}{
		{"make champion", ann, ContactEdit{IsChampion: &yes}, ""},
		{"mark left today", ann, ContactEdit{LeftOn: &today}, ""},
		{"leaving later may be champion", leaving, ContactEdit{IsChampion: &yes}, ""},
		{"a left champion's email is fixed", champ, ContactEdit{Email: str("ann@new.com")}, ""},
		{"came back", gone, ContactEdit{Stayed: true}, ""},
		{"nothing", ann, ContactEdit{}, "nothing to change"},
		{"left and stayed", ann, ContactEdit{LeftOn: &past, Stayed: true}, "contradict"},
		{"email removed", ann, ContactEdit{Email: str(" ")}, "cannot be removed"},
		{"left made champion", gone, ContactEdit{IsChampion: &yes}, `"Ann" left the company on ` + past.String()},
		{"made champion and left at once", ann, ContactEdit{IsChampion: &yes, LeftOn: &today}, "a champion must be someone still there"},
		{"bad result", ann, ContactEdit{Email: str("ann@")}, "is not an email address"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckContactEdit(tc.before, tc.edit, today)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("CheckContactEdit = %v, want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("CheckContactEdit = %v, want an error with %q", err, tc.wantErr)
			}
		})
	}
}

func TestUpdateOf(t *testing.T) {
	left := MakeDate(2026, 11, 20)
	c := Contact{ID: "c1", AccountID: "a1", Name: "Ann", Email: "a@b.co", Title: "CTO", Role: RoleAdmin, IsChampion: true, LeftCompanyOn: &left, LastActiveOn: &left}
	u := UpdateOf(c)
	if err := u.Validate(); err != nil {
		t.Fatalf("UpdateOf gives an invalid update: %v", err)
	}
	// Applied to the contact as it was, the update gives the contact back.
	if got := u.Apply(Contact{ID: "c1", AccountID: "a1", LastActiveOn: &left}); !reflect.DeepEqual(got, c) {
		t.Errorf("UpdateOf(c).Apply = %+v, want %+v", got, c)
	}
}

func TestFlagsMoved(t *testing.T) {
	cases := []struct {
		before, after, cleared, raised []string
	}{
		{nil, nil, nil, nil},
		{[]string{"a", "b"}, []string{"a", "b"}, nil, nil},
		{[]string{SegmentChampionLeft, AlertCrisis, "x"}, []string{"x"}, []string{SegmentChampionLeft, AlertCrisis}, nil},
		{[]string{"x"}, []string{SegmentChampionLeft, "x", AlertCrisis}, nil, []string{SegmentChampionLeft, AlertCrisis}},
		{[]string{"a"}, []string{"b"}, []string{"a"}, []string{"b"}},
	}
	for _, tc := range cases {
		c, r := FlagsMoved(tc.before, tc.after)
		if !slices.Equal(c, tc.cleared) || !slices.Equal(r, tc.raised) {
			t.Errorf("FlagsMoved(%v, %v) = %v, %v; want %v, %v", tc.before, tc.after, c, r, tc.cleared, tc.raised)
		}
	}
}
