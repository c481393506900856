package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"csm/model"
)

// The people of an account, as the CSM changes them: a new contact, an
// edit, the day someone left, a new champion. Each change is one
// transaction that writes the row, queues its mutation and recomputes the
// book's figures, so that a new active champion clears champion_left (and
// the crisis it raised) on every screen at once, before any sync.

// NewContact is a person the CSM adds to an account.
type NewContact struct {
	Name, Email, Title string
	// Role is one of model.ContactRoles; empty means a user.
	Role       string
	IsChampion bool
}

// contactToday is the CSM's day, which "has left" is judged against.
func contactToday() model.Date { return model.LocalDay(time.Now()) }

// CreateContact saves a new contact on an account and queues
// contact.create. A new contact needs a name and an email, and the email
// must not already be another contact's on the account.
func (s *Store) CreateContact(ctx context.Context, accountID string, in NewContact) (model.Contact, error) {
	c := model.Contact{
		ID: uuid.NewString(), AccountID: accountID, Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email),
		Title: strings.TrimSpace(in.Title), Role: strings.TrimSpace(in.Role), IsChampion: in.IsChampion,
	}
	if c.Role == "" {
		c.Role = model.RoleUser
	}
	if c.Email == "" && c.Name != "" {
		return model.Contact{}, fmt.Errorf("add contact: %w: %q has no email: give one, it is how the team reaches them", ErrInvalid, c.Name)
	}
	if err := model.CheckContact(c); err != nil {
		return model.Contact{}, fmt.Errorf("add contact: %w: %w", ErrInvalid, err)
	}
	c.CutLongText()
	at := now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := needAccount(ctx, tx, accountID); err != nil {
			return err
		}
		if err := emailFree(ctx, tx, c); err != nil {
			return err
		}
		if err := putRow(ctx, tx, "contacts", c.ID, c.AccountID, c); err != nil {
			return err
		}
		if err := queue(ctx, tx, model.MutContactCreate, model.EntityContact, c.ID, c.AccountID, at, c); err != nil {
			return err
		}
		if !model.ChangesFigures(model.Contact{}, c) {
			return nil
		}
		return s.recomputeIn(ctx, tx)
	})
	if err != nil {
		return model.Contact{}, fmt.Errorf("add contact: %w", err)
	}
	return c, nil
}

// UpdateContact makes a contact what u says, as contact.update does on the
// server: every edited field at once. The account and the last activity
// stay the contact's own.
func (s *Store) UpdateContact(ctx context.Context, u model.ContactUpdate) (model.Contact, error) {
	if err := u.Validate(); err != nil {
		return model.Contact{}, fmt.Errorf("edit contact: %w: %w", ErrInvalid, err)
	}
	e := model.ContactEdit{Name: &u.Name, Email: &u.Email, Title: &u.Title, Role: &u.Role, IsChampion: &u.IsChampion,
		LeftOn: u.LeftCompanyOn, Stayed: u.LeftCompanyOn == nil}
	return s.EditContact(ctx, u.ID, e)
}

// EditContact changes the fields e sets and queues contact.update with
// the whole edited contact. A change that leaves the contact as it was is
// refused, so the CSM is told nothing happened rather than "saved".
func (s *Store) EditContact(ctx context.Context, id string, e model.ContactEdit) (model.Contact, error) {
	var after model.Contact
	at := now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := getRow[model.Contact](ctx, tx, "contacts", id)
		if err != nil {
			return err
		}
		if err := model.CheckContactEdit(before, e, contactToday()); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		after = e.Apply(before)
		after.CutLongText()
		if sameContact(before, after) {
			return fmt.Errorf("%w: nothing to change: the record of %q already says so", ErrInvalid, before.Name)
		}
		if !strings.EqualFold(before.Email, after.Email) {
			if err := emailFree(ctx, tx, after); err != nil {
				return err
			}
		}
		if err := putRow(ctx, tx, "contacts", after.ID, after.AccountID, after); err != nil {
			return err
		}
		if err := queue(ctx, tx, model.MutContactUpdate, model.EntityContact, after.ID, after.AccountID, at, model.UpdateOf(after)); err != nil {
			return err
		}
		if !model.ChangesFigures(before, after) {
			return nil
		}
		return s.recomputeIn(ctx, tx)
	})
	if err != nil {
		return model.Contact{}, fmt.Errorf("edit contact: %w", err)
	}
	return after, nil
}

func sameContact(x, y model.Contact) bool {
	sameDay := (x.LeftCompanyOn == nil) == (y.LeftCompanyOn == nil) &&
		(x.LeftCompanyOn == nil || *x.LeftCompanyOn == *y.LeftCompanyOn)
	return sameDay && x.Name == y.Name && x.Email == y.Email && x.Title == y.Title && x.Role == y.Role && x.IsChampion == y.IsChampion
}

// emailFree refuses an email another contact of the account already has.
func emailFree(ctx context.Context, tx *sql.Tx, c model.Contact) error {
	if c.Email == "" {
		return nil
	}
	others, err := loadJSON[model.Contact](ctx, tx, "SELECT data FROM contacts WHERE account_id = ? AND id <> ? ORDER BY id", c.AccountID, c.ID)
	if err != nil {
		return fmt.Errorf("read contacts: %w", err)
	}
	for _, o := range others {
		if strings.EqualFold(o.Email, c.Email) {
			return fmt.Errorf("%w: %q is already the email of %q on this account", ErrInvalid, c.Email, o.Name)
		}
	}
	return nil
}

// Contact returns one contact.
func (s *Store) Contact(ctx context.Context, id string) (model.Contact, error) {
	v, err := loadJSON[model.Contact](ctx, s.db, "SELECT data FROM contacts WHERE id = ?", id)
	if err != nil {
		return model.Contact{}, fmt.Errorf("read contact %s: %w", id, err)
	}
	if len(v) == 0 {
		return model.Contact{}, fmt.Errorf("contact %s: %w", id, ErrNotFound)
	}
	return v[0], nil
}

// Contacts returns the people of an account, as model.SortContacts orders
// them as of asOf.
func (s *Store) Contacts(ctx context.Context, accountID string, asOf model.Date) ([]model.Contact, error) {
	v, err := loadJSON[model.Contact](ctx, s.db, "SELECT data FROM contacts WHERE account_id = ? ORDER BY id", accountID)
	if err != nil {
		return nil, fmt.Errorf("read contacts of %s: %w", accountID, err)
	}
	model.SortContacts(v, asOf)
	return v, nil
}

// FindContact resolves what a CSM types to one contact: an exact id, an
// email (any case), or the start of a name (any case) when that names one
// person; a whole name wins over longer ones. accountID, when not empty,
// looks on that account only. Several matches are listed, up to five.
func (s *Store) FindContact(ctx context.Context, query, accountID string) (model.Contact, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return model.Contact{}, errors.New("no contact given: pass an id, an email or the start of a name")
	}
	if c, err := s.Contact(ctx, q); err == nil && (accountID == "" || c.AccountID == accountID) {
		return c, nil
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return model.Contact{}, err
	}
	sqlq, args := "SELECT data FROM contacts ORDER BY json_extract(data, '$.name'), id", []any{}
	if accountID != "" {
		sqlq, args = "SELECT data FROM contacts WHERE account_id = ? ORDER BY json_extract(data, '$.name'), id", []any{accountID}
	}
	all, err := loadJSON[model.Contact](ctx, s.db, sqlq, args...)
	if err != nil {
		return model.Contact{}, fmt.Errorf("find contact %q: %w", q, err)
	}
	lq := strings.ToLower(q)
	var byEmail, matches, exact []model.Contact
	for _, c := range all {
		ln := strings.ToLower(c.Name)
		switch {
		case strings.EqualFold(c.Email, q):
			byEmail = append(byEmail, c)
		case strings.HasPrefix(ln, lq):
			matches = append(matches, c)
			if ln == lq {
				exact = append(exact, c)
			}
		}
	}
	switch {
	case len(byEmail) == 1:
		return byEmail[0], nil
	case len(byEmail) > 1:
		matches = byEmail
	case len(matches) == 1:
		return matches[0], nil
	case len(exact) == 1:
		return exact[0], nil
	case len(matches) == 0:
		return model.Contact{}, &matchError{fmt.Sprintf("no contact matches %q (by id, email or start of name)", q), ErrNotFound}
	}
	var list []string
	for _, c := range matches[:min(len(matches), maxCandidates)] {
		list = append(list, fmt.Sprintf("%q <%s> (%q)", c.Name, c.Email, c.ID))
	}
	more := ""
	if n := len(matches) - maxCandidates; n > 0 {
		more = fmt.Sprintf(" and %d more", n)
	}
	return model.Contact{}, &matchError{fmt.Sprintf("%q matches %d contacts: %s%s; type more of the name, the email or the id",
		q, len(matches), strings.Join(list, ", "), more), ErrAmbiguous}
}
