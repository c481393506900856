package model

import (
	"cmp"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
)

// A CSM's changes to the people of an account: a new contact, an edit, the
// day someone left, a new champion. The cockpit and `csm contact` both
// build a ContactEdit and the store applies it with these rules, so the
// two never disagree on what a contact may be.

// ContactEdit is a change to a contact; a nil field stays as it is.
type ContactEdit struct {
	Name, Email, Title, Role *string
	IsChampion               *bool
	// LeftOn is the day they left (or will leave) the company; Stayed
	// clears that day: they did not leave after all.
	LeftOn *Date
	Stayed bool
}

// Empty says the edit changes nothing.
func (e ContactEdit) Empty() bool {
	return e.Name == nil && e.Email == nil && e.Title == nil && e.Role == nil &&
		e.IsChampion == nil && e.LeftOn == nil && !e.Stayed
}

// Apply returns c with the edit; text is trimmed of surrounding spaces.
func (e ContactEdit) Apply(c Contact) Contact {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&c.Name, e.Name)
	set(&c.Email, e.Email)
	set(&c.Title, e.Title)
	set(&c.Role, e.Role)
	if e.IsChampion != nil {
		c.IsChampion = *e.IsChampion
	}
	if e.LeftOn != nil {
		d := *e.LeftOn
		c.LeftCompanyOn = &d
	}
	if e.Stayed {
		c.LeftCompanyOn = nil
	}
	return c
}

// UpdateOf is the contact.update that makes a contact what c is.
func UpdateOf(c Contact) ContactUpdate {
	return ContactUpdate{ID: c.ID, Name: c.Name, Email: c.Email, Title: c.Title, Role: c.Role,
		IsChampion: c.IsChampion, LeftCompanyOn: c.LeftCompanyOn}
}

// CheckContact says what is wrong with a contact as a CSM typed it: it
// needs a name, an email that reads as one (or none, for a contact the
// server sent without), and a role of ContactRoles.
func CheckContact(c Contact) error {
	switch {
	case strings.TrimSpace(c.Name) == "":
		return errors.New("the contact has no name")
	case !ContainsRole(c.Role):
		return fmt.Errorf("role %q is not one of %s", c.Role, strings.Join(ContactRoles, ", "))
	}
	if c.Email == "" {
		return nil
	}
	return CheckEmail(c.Email)
}

// ContainsRole says role is a contact role.
func ContainsRole(role string) bool { return slices.Contains(ContactRoles, role) }

// CheckEmail says whether s reads as one email address: name@domain.tld,
// nothing around it.
func CheckEmail(s string) error {
	bad := fmt.Errorf("email %q is not an email address (write it as name@company.com)", s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return bad
	}
	_, domain, _ := strings.Cut(s, "@")
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return bad
	}
	return nil
}

// CheckContactEdit says what is wrong with an edit of before, as of the
// CSM's day today, besides what CheckContact says of the result: an email
// is not removed once known, a day left and "stayed" contradict each
// other, and someone who has left the company is not made its champion.
func CheckContactEdit(before Contact, e ContactEdit, today Date) error {
	after := e.Apply(before)
	switch {
	case e.Empty():
		return errors.New("nothing to change")
	case e.LeftOn != nil && e.Stayed:
		return errors.New("a day they left and \"stayed\" contradict each other: give one")
	case before.Email != "" && after.Email == "":
		return fmt.Errorf("the email of %q cannot be removed: give the new one", before.Name)
	case after.IsChampion && !before.IsChampion && after.LeftCompanyOn != nil && *after.LeftCompanyOn <= today:
		return fmt.Errorf("%q left the company on %s: a champion must be someone still there", after.Name, *after.LeftCompanyOn)
	}
	return CheckContact(after)
}

// HasLeft says the contact left the company on or before asOf.
func HasLeft(c *Contact, asOf Date) bool {
	return c.LeftCompanyOn != nil && *c.LeftCompanyOn <= asOf
}

var roleOrder = map[string]int{RoleChampion: 0, RoleSponsor: 1, RoleAdmin: 2, RoleUser: 3}

// SortContacts orders people as the account page and `csm contact list`
// show them: champions first, then the others by role and name, and the
// people who left last, most recent first.
func SortContacts(cs []Contact, asOf Date) {
	rank := func(c *Contact) int {
		switch {
		case HasLeft(c, asOf):
			return 2
		case c.IsChampion:
			return 0
		}
		return 1
	}
	role := func(c *Contact) int {
		if r, ok := roleOrder[c.Role]; ok {
			return r
		}
		return len(roleOrder)
	}
	slices.SortFunc(cs, func(x, y Contact) int {
		if c := cmp.Compare(rank(&x), rank(&y)); c != 0 {
			return c
		}
		if rank(&x) == 2 {
			if c := cmp.Compare(*y.LeftCompanyOn, *x.LeftCompanyOn); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(role(&x), role(&y)); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
}

// FlagsMoved compares an account's segment and alert keys before and
// after a change: the keys it cleared and those it raised, in their order.
func FlagsMoved(before, after []string) (cleared, raised []string) {
	for _, k := range before {
		if !slices.Contains(after, k) {
			cleared = append(cleared, k)
		}
	}
	for _, k := range after {
		if !slices.Contains(before, k) {
			raised = append(raised, k)
		}
	}
	return cleared, raised
}
