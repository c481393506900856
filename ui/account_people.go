package ui

import (
	"cmp"
	"fmt"
	"slices"

	"csm/format"
	"csm/model"
	"csm/safe"
)

// asOf is the day the account's figures are as of: the book's usage day,
// or today when the book has none yet.
func (a *accountScreen) asOf() model.Date {
	if a.detail.Book.AsOf != 0 {
		return a.detail.Book.AsOf
	}
	return model.DateOf(a.now())
}

// today is the calendar day follow-ups and play steps fall due against:
// the clock's, or the book's as-of day if that is later.
func (a *accountScreen) today() model.Date {
	return max(model.DateOf(a.now()), a.detail.Book.AsOf)
}

// hasLeft: the contact left the company on or before the as-of day.
func hasLeft(c *model.Contact, asOf model.Date) bool { return model.HasLeft(c, asOf) }

// sortedContacts puts champions first, then the others by role and name,
// and the people who left last, most recent first (model.SortContacts).
func (a *accountScreen) sortedContacts() []model.Contact {
	cs := slices.Clone(a.detail.Contacts)
	model.SortContacts(cs, a.asOf())
	return cs
}

func (a *accountScreen) contactsSummary() string {
	left := 0
	for i := range a.detail.Contacts {
		if hasLeft(&a.detail.Contacts[i], a.asOf()) {
			left++
		}
	}
	s := fmt.Sprintf("%d people", len(a.detail.Contacts))
	if left > 0 {
		s += fmt.Sprintf(" · %d left", left)
	}
	return s
}

// contactsSection lists the people: ★ marks a champion, and someone who
// left is dimmed with the day they left. Each is selectable: e edits,
// L marks who left, C makes the champion (account_contacts.go).
func (a *accountScreen) contactsSection(w int) block {
	var b block
	st := a.styles
	asOf := a.asOf()
	if len(a.detail.Contacts) == 0 {
		b.add(st.Subtle.Render("  no contacts on record · a adds one"))
		return b
	}
	const roleW, statusW = 9, 20
	nameW := min(24, (w-2)*3/10)
	titleW := max(w-2-nameW-roleW-statusW-3, 0)
	for _, c := range a.sortedContacts() {
		mark := "  "
		if c.IsChampion {
			mark = "★ "
		}
		var status string
		switch {
		case hasLeft(&c, asOf):
			status = "left on " + a.day(*c.LeftCompanyOn)
		case c.LeftCompanyOn != nil:
			status = "leaves " + a.day(*c.LeftCompanyOn)
		case c.LastActiveOn != nil:
			status = "seen " + agoDay(asOf, *c.LastActiveOn)
		default:
			// No last_active_on: never seen in the product, not "today".
			status = "never seen"
		}
		line := mark + cell(c.Name, nameW) + " " + cell(c.Title, titleW) + " " + cell(c.Role, roleW) + " " + status
		switch {
		case hasLeft(&c, asOf):
			line = dimmed(st, line)
		case c.IsChampion:
			line = st.Good.Render(mark) + line[len(mark):]
		}
		b.addItem(itemRef{kind: itemContact, a: c.ID}, line)
	}
	return b
}

// agoDay says how long before asOf a day was: "today", "3d ago".
func agoDay(asOf, d model.Date) string {
	if d >= asOf {
		return "today"
	}
	return format.Days(int(d - asOf))
}

// sortedNPS returns the answers newest first.
func (a *accountScreen) sortedNPS() []model.NPSResponse {
	ns := slices.Clone(a.detail.NPS)
	slices.SortFunc(ns, func(x, y model.NPSResponse) int {
		return cmp.Or(cmp.Compare(y.RespondedOn, x.RespondedOn), cmp.Compare(y.ID, x.ID))
	})
	return ns
}

func (a *accountScreen) npsSummary() string {
	m := &a.detail.Metrics
	if m.NPS == nil || m.NPSOn == nil {
		return model.Plural(len(a.detail.NPS), "answer")
	}
	return fmt.Sprintf("latest %d on %s · %s", *m.NPS, a.day(*m.NPSOn), model.Plural(len(a.detail.NPS), "answer"))
}

// maxNPS is how many answers the section shows; older ones are counted.
const maxNPS = 8

// npsSection lists the answers newest first, the score coloured by band
// and the comment wrapped under it.
func (a *accountScreen) npsSection(w int) block {
	var b block
	st := a.styles
	ns := a.sortedNPS()
	if len(ns) == 0 {
		b.add(st.Subtle.Render("  no answers yet"))
		return b
	}
	names := make(map[string]string, len(a.detail.Contacts))
	for _, c := range a.detail.Contacts {
		names[c.ID] = c.Name
	}
	for i, n := range ns {
		if i == maxNPS {
			b.add(st.Subtle.Render("  … " + model.Plural(len(ns)-maxNPS, "older answer")))
			break
		}
		score, band := st.Good, "promoter"
		switch {
		case n.Score <= 6:
			score, band = st.Bad, "detractor"
		case n.Score <= 8:
			score, band = st.Warn, "passive"
		}
		head := "  " + score.Render(fmt.Sprintf("%2d %-9s", n.Score, band)) + " " + a.day(n.RespondedOn)
		if name := names[n.ContactID]; name != "" {
			head += st.Subtle.Render(" · " + safe.Line(name))
		}
		b.add(truncateLine(head, w))
		if c := safe.Text(n.Comment); c != "" {
			b.add(wrapIndent("“"+c+"”", w, "     ")...)
		}
	}
	return b
}
