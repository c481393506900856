package sync

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"csm/model"
	"csm/safe"
)

// Admin runs csm admin's operations on the team database at DB (see
// OpenSQLStore): each one opens it (which migrates it), does its work and
// closes it, and no error it returns shows the database's password.
type Admin struct {
	DB string
}

// With opens the database, runs fn and closes it; a failure to close is
// an error too, since it may be the commit of what fn wrote.
func (a Admin) With(ctx context.Context, fn func(st *SQLStore) error) error {
	return withDB(ctx, a.DB, OpenSQLStore, fn)
}

// Migrate creates or upgrades the schema and returns its version.
func (a Admin) Migrate(ctx context.Context) (version int, err error) {
	err = a.With(ctx, func(st *SQLStore) error {
		version, err = st.Migrate(ctx)
		return err
	})
	return version, err
}

// AddCSM adds a CSM with a new id and a book holding the default
// playbooks and checklists, and returns them with their first token. An
// email already used is ErrCSMExists. Check the email and the name first
// (CheckEmail, CheckCSMName).
func (a Admin) AddCSM(ctx context.Context, email, name string) (csm model.CSM, token string, err error) {
	csm = model.CSM{ID: newCSMID(), Name: name, Email: strings.ToLower(email)}
	token = NewToken()
	book := model.Book{CSM: csm, Playbooks: model.DefaultPlaybooks(), Checklists: model.DefaultChecklists()}
	err = a.With(ctx, func(st *SQLStore) error {
		return st.SeedTenants(ctx, []Tenant{{Token: token, Book: book}})
	})
	if err != nil {
		return model.CSM{}, "", err
	}
	return csm, token, nil
}

// NewToken issues a new token for the CSM with that email (any case) and
// revokes the one they had.
func (a Admin) NewToken(ctx context.Context, email string) (csm model.CSM, token string, err error) {
	err = a.With(ctx, func(st *SQLStore) error {
		if csm, err = findCSM(ctx, st, email); err != nil {
			return err
		}
		token = NewToken()
		return st.SetToken(ctx, csm.Email, HashToken(token))
	})
	return csm, token, err
}

// RevokeToken leaves the CSM with that email (any case) without a token.
func (a Admin) RevokeToken(ctx context.Context, email string) (csm model.CSM, err error) {
	err = a.With(ctx, func(st *SQLStore) error {
		if csm, err = findCSM(ctx, st, email); err != nil {
			return err
		}
		return st.RevokeToken(ctx, csm.Email)
	})
	return csm, err
}

// CSMs lists every CSM, by email.
func (a Admin) CSMs(ctx context.Context) (csms []CSMInfo, err error) {
	err = a.With(ctx, func(st *SQLStore) error {
		csms, err = st.CSMs(ctx)
		return err
	})
	return csms, err
}

// Seed adds o.CSMs CSMs with generated books (see GenerateTenants), each
// with a new token, in one transaction: when one of them exists already,
// nothing is seeded and the error is ErrCSMExists.
func (a Admin) Seed(ctx context.Context, o model.GenOptions) ([]Tenant, error) {
	tenants := GenerateTenants(o, func(int, model.Book) string { return NewToken() })
	if err := a.With(ctx, func(st *SQLStore) error { return st.SeedTenants(ctx, tenants) }); err != nil {
		return nil, err
	}
	return tenants, nil
}

// findCSM finds a CSM by email, whatever its case.
func findCSM(ctx context.Context, st TeamStore, email string) (model.CSM, error) {
	csms, err := st.CSMs(ctx)
	if err != nil {
		return model.CSM{}, err
	}
	for _, c := range csms {
		if strings.EqualFold(c.CSM.Email, email) {
			return c.CSM, nil
		}
	}
	return model.CSM{}, fmt.Errorf("no CSM has the email %s ('csm admin user list' shows them)", email)
}

// newCSMID makes the id of a new CSM: random, so ids never collide across
// databases merged later or CSMs removed and added again.
func newCSMID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand never fails on the systems Go supports
	return "c-" + hex.EncodeToString(b)
}

// CheckEmail refuses what cannot be a CSM's email: it names them in
// every list and message, and is how the admin finds them again.
func CheckEmail(email string) error {
	local, domain, ok := strings.Cut(email, "@")
	switch {
	case !ok || local == "" || domain == "" || strings.Contains(domain, "@"):
		return fmt.Errorf("%q is not an email address", email)
	case len(email) > 254:
		return errors.New("the email is longer than 254 bytes")
	case !utf8.ValidString(email) || strings.IndexFunc(email, func(r rune) bool { return r == ' ' || !unicode.IsPrint(r) }) >= 0:
		return fmt.Errorf("%q: an email has no spaces or control characters", email)
	}
	return nil
}

// CheckCSMName wants a name to show: not empty, one line, not absurdly
// long. The error reads after the name of what held the name: "--name
// is required: ...".
func CheckCSMName(name string) error {
	switch {
	case name == "":
		return errors.New("is required: the CSM's name, as their book shows it")
	case !utf8.ValidString(name) || strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return fmt.Errorf("%q: a name has no control characters", name)
	case utf8.RuneCountInString(name) > model.MaxNameChars:
		return fmt.Errorf("is longer than %d characters", model.MaxNameChars)
	}
	return nil
}

// WriteCSMs lists the CSMs as a table: email, name, id, whether they have
// a token, when they were added. Never a token: only hashes are stored.
func WriteCSMs(out io.Writer, csms []CSMInfo) {
	if len(csms) == 0 {
		fmt.Fprintln(out, "no CSMs yet: add one with 'csm admin user add EMAIL --name NAME'")
		return
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "EMAIL\tNAME\tID\tTOKEN\tADDED")
	for _, c := range csms {
		token := "yes"
		if !c.HasToken {
			token = "revoked"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", safe.Line(c.CSM.Email), safe.Line(c.CSM.Name), safe.Line(c.CSM.ID),
			token, c.CreatedAt.UTC().Format("2006-01-02 15:04"))
	}
	_ = w.Flush() // errors of out are the caller's to see, as with Fprintf
}

// WriteTokens lists each tenant's CSM email and token, one per line.
func WriteTokens(out io.Writer, tenants []Tenant) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, t := range tenants {
		fmt.Fprintf(w, "%s\t%s\n", safe.Line(t.Book.CSM.Email), t.Token)
	}
	_ = w.Flush() // errors of out are the caller's to see, as with Fprintf
}
