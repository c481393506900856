package model

import (
	"reflect"
	"testing"
)

// ChangesFigures is false only where ComputeRelationship gives the same
// answer before and after the change: each case is checked against it.
func TestChangesFigures(t *testing.T) {
	day := MakeDate(2026, 11, 1)
	later := MakeDate(2026, 11, 9)
	champ := Contact{ID: "c1", AccountID: "a", Name: "Ana", Email: "ana@x.example", IsChampion: true, Role: RoleChampion}
	user := Contact{ID: "c2", AccountID: "a", Name: "Bo", Email: "bo@x.example", Role: RoleUser}
	with := func(c Contact, f func(*Contact)) Contact { f(&c); return c }
	cases := []struct {
		name          string
		before, after Contact
		want          bool
	}{
		{"new user", Contact{}, user, false},
		{"new champion", Contact{}, champ, true},
		{"user's title", user, with(user, func(c *Contact) { c.Title = "CTO" }), false},
		{"user's email and name", user, with(user, func(c *Contact) { c.Email, c.Name = "b@y.example", "Bob" }), false},
		{"user leaves", user, with(user, func(c *Contact) { c.LeftCompanyOn = &day }), false},
		{"user made champion", user, with(user, func(c *Contact) { c.IsChampion = true }), true},
		{"champion's title", champ, with(champ, func(c *Contact) { c.Title = "VP" }), false},
		{"champion renamed", champ, with(champ, func(c *Contact) { c.Name = "Ana B." }), true},
		{"champion leaves", champ, with(champ, func(c *Contact) { c.LeftCompanyOn = &day }), true},
		{"champion stops being one", champ, with(champ, func(c *Contact) { c.IsChampion = false }), true},
		{"leaving day moves", with(champ, func(c *Contact) { c.LeftCompanyOn = &day }), with(champ, func(c *Contact) { c.LeftCompanyOn = &later }), true},
		{"same leaving day, another pointer", with(champ, func(c *Contact) { d := day; c.LeftCompanyOn = &d }), with(champ, func(c *Contact) { d := day; c.LeftCompanyOn = &d }), false},
	}
	asOf := MakeDate(2026, 11, 20)
	for _, c := range cases {
		if got := ChangesFigures(c.before, c.after); got != c.want {
			t.Errorf("%s: ChangesFigures = %v, want %v", c.name, got, c.want)
		}
		if c.want {
			continue
		}
		// Nothing moves: the relationship figures agree, beside others.
		others := []Contact{{ID: "c0", Name: "Old", IsChampion: true, LeftCompanyOn: &day}}
		var before, after []Contact
		before = append(before, others...)
		after = append(after, others...)
		if c.before.ID != "" {
			before = append(before, c.before)
		}
		after = append(after, c.after)
		if b, a := ComputeRelationship(before, nil, asOf), ComputeRelationship(after, nil, asOf); !reflect.DeepEqual(b, a) {
			t.Errorf("%s: said to move nothing, but %+v became %+v", c.name, b, a)
		}
	}
}
