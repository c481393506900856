// Package contacts is `csm contact`: add a person to an account, edit one,
// mark who left and when, make someone the champion, and list the people
// of an account. Every change goes through the store's one write path
// (data.CreateContact, data.EditContact) as the cockpit's do: saved here
// at once, the account's figures recomputed in the same transaction, and
// pushed at the next sync.
package contacts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/complete"
	"csm/data"
	"csm/exitcode"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// NewCmd makes `csm contact`; open opens the local database for writing.
func NewCmd(open func(cmd *cobra.Command) (*data.Store, error)) *cobra.Command {
	root := &cobra.Command{
		Use:   "contact",
		Short: "Add, edit and list the people of an account",
		Long: `Add a person to an account, edit one, mark who left the company and when,
or make someone the champion; list an account's people.

Changes are saved on this computer at once, with the account's figures
(a new active champion clears "champion left" and its crisis at once), and
pushed at the next sync; csm contact never contacts the server.

  csm contact add acme --name "Dana Lee" --email dana@acme.com --title "VP Ops" --champion
  csm contact edit dana@acme.com --left 2026-11-28
  csm contact edit "Dana Lee" --champion
  csm contact list acme`,
		Args: cobra.NoArgs,
	}
	root.AddCommand(addCmd(open), editCmd(open), listCmd(open))
	return root
}

func usage(format string, args ...any) error {
	return &exitcode.Error{Code: exitcode.Usage, Msg: fmt.Sprintf(format, args...)}
}

// refused turns the store's refusal of bad input into a usage error that
// says why; other errors stay as they are.
func refused(err error) error {
	if errors.Is(err, data.ErrInvalid) {
		return &exitcode.Error{Code: exitcode.Usage, Msg: "not saved: " + strings.TrimPrefix(plainInvalid(err), ": ")}
	}
	return err
}

// plainInvalid drops the store's "invalid change" marker from a refusal:
// the CSM reads the reason itself.
func plainInvalid(err error) string {
	return strings.Replace(err.Error(), data.ErrInvalid.Error()+": ", "", 1)
}

func rolesHelp() string { return strings.Join(model.ContactRoles, ", ") }

func addCmd(open func(*cobra.Command) (*data.Store, error)) *cobra.Command {
	var in data.NewContact
	cmd := &cobra.Command{
		Use:               "add ACCOUNT --name NAME --email EMAIL [--title TITLE] [--role ROLE] [--champion]",
		ValidArgsFunction: complete.Account,
		Short:             "Add a person to an account",
		Long: `Add a person to an account. ACCOUNT is an account id or the start of its
name (any case). A new contact needs a name and an email that no other
contact of the account has; the role is one of ` + rolesHelp() + ` (user when not given).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			return Add(cmd.Context(), st, cmd.OutOrStdout(), args[0], in)
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Name, "name", "", "the person's name (required)")
	f.StringVar(&in.Email, "email", "", "their email (required)")
	f.StringVar(&in.Title, "title", "", "their job title")
	f.StringVar(&in.Role, "role", model.RoleUser, "their role: "+rolesHelp())
	f.BoolVar(&in.IsChampion, "champion", false, "they champion the product at the account")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("email")
	complete.Flag(cmd, "role", complete.Roles)
	return cmd
}

// Add adds a contact to the account query names and says what it did,
// and what it changed of the account's flags.
func Add(ctx context.Context, st *data.Store, w io.Writer, query string, in data.NewContact) error {
	a, err := st.FindAccount(ctx, query)
	if err != nil {
		return err
	}
	return saidWithFlagMoves(ctx, st, w, a, func() (string, error) {
		c, err := st.CreateContact(ctx, a.ID, in)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Added %s to %s%s · saved, will sync\n", who(c), safe.Line(a.Name), champion(c)), nil
	})
}

// saidWithFlagMoves runs a change of the account's people, then writes
// what change said and which of the account's flags it brought or cleared.
func saidWithFlagMoves(ctx context.Context, st *data.Store, w io.Writer, a model.Account, change func() (string, error)) error {
	before, err := flagsOf(ctx, st, a.ID)
	if err != nil {
		return err
	}
	said, err := change()
	if err != nil {
		return refused(err)
	}
	after, err := flagsOf(ctx, st, a.ID)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, said+flagMoves(a, before, after))
	return err
}

// editOptions are the flags of `csm contact edit`.
type editOptions struct {
	account                  string
	name, email, title, role string
	champion, stayed         bool
	left                     string
}

func editCmd(open func(*cobra.Command) (*data.Store, error)) *cobra.Command {
	var o editOptions
	cmd := &cobra.Command{
		Use:   "edit CONTACT [--name NAME] [--email EMAIL] [--title TITLE] [--role ROLE] [--champion[=false]] [--left WHEN | --stayed]",
		Short: "Edit a person: their details, the day they left, champion or not",
		Long: `Change what the flags give and keep the rest. CONTACT is a contact id, an
email, or the start of a name (any case) when that names one person;
--account looks on one account only.

--left takes a date word: YYYY-MM-DD, today, tomorrow, +3d, +2w or a
weekday (fri: the next Friday); --stayed clears the day (they did not
leave). --champion makes them the champion, --champion=false no longer;
someone who has left the company cannot be made champion.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := editFromFlags(cmd, o, time.Now())
			if err != nil {
				return err
			}
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			return Edit(cmd.Context(), st, cmd.OutOrStdout(), args[0], o.account, e)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.account, "account", "", "look for CONTACT on this account only (id or start of name)")
	f.StringVar(&o.name, "name", "", "their name")
	f.StringVar(&o.email, "email", "", "their email")
	f.StringVar(&o.title, "title", "", "their job title (\"\" clears it)")
	f.StringVar(&o.role, "role", "", "their role: "+rolesHelp())
	f.BoolVar(&o.champion, "champion", false, "make them the champion (--champion=false: no longer)")
	f.StringVar(&o.left, "left", "", "the day they left the company: "+model.DateWordsHelp)
	f.BoolVar(&o.stayed, "stayed", false, "they did not leave after all: clear the day")
	complete.Flag(cmd, "role", complete.Roles)
	complete.Flag(cmd, "account", complete.AccountFlag)
	return cmd
}

// editFromFlags builds the edit from the flags given; now is the clock,
// which date words count from.
func editFromFlags(cmd *cobra.Command, o editOptions, now time.Time) (model.ContactEdit, error) {
	f := cmd.Flags()
	var e model.ContactEdit
	for name, dst := range map[string]**string{"name": &e.Name, "email": &e.Email, "title": &e.Title, "role": &e.Role} {
		if f.Changed(name) {
			v, _ := f.GetString(name)
			*dst = &v
		}
	}
	if f.Changed("champion") {
		e.IsChampion = &o.champion
	}
	if f.Changed("left") {
		d, err := model.ParseDateWord(o.left, model.LocalDay(now))
		if err != nil {
			return e, usage("--left: %v", err)
		}
		e.LeftOn = &d
	}
	e.Stayed = o.stayed
	switch {
	case e.Empty():
		return e, usage("nothing to change: give --name, --email, --title, --role, --champion, --left or --stayed")
	case e.LeftOn != nil && e.Stayed:
		return e, usage("--left and --stayed contradict each other: give one")
	}
	return e, nil
}

// Edit changes the contact query names and says what it did.
func Edit(ctx context.Context, st *data.Store, w io.Writer, query, account string, e model.ContactEdit) error {
	accountID := ""
	if account != "" {
		a, err := st.FindAccount(ctx, account)
		if err != nil {
			return err
		}
		accountID = a.ID
	}
	c, err := st.FindContact(ctx, query, accountID)
	if err != nil {
		return err
	}
	a, err := st.Account(ctx, c.AccountID)
	if err != nil {
		return err
	}
	return saidWithFlagMoves(ctx, st, w, a, func() (string, error) {
		after, err := st.EditContact(ctx, c.ID, e)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Edited %s of %s: %s · saved, will sync\n", who(after), safe.Line(a.Name), strings.Join(changes(c, after), ", ")), nil
	})
}

// changes says in words what an edit changed.
func changes(b, a model.Contact) []string {
	var out []string
	field := func(name, x, y string) {
		if x != y {
			out = append(out, fmt.Sprintf("%s %q", name, safe.Line(y)))
		}
	}
	field("name", b.Name, a.Name)
	field("email", b.Email, a.Email)
	field("title", b.Title, a.Title)
	field("role", b.Role, a.Role)
	if a.IsChampion != b.IsChampion {
		out = append(out, map[bool]string{true: "now the champion", false: "no longer the champion"}[a.IsChampion])
	}
	switch {
	case a.LeftCompanyOn == nil && b.LeftCompanyOn != nil:
		out = append(out, "did not leave after all")
	case a.LeftCompanyOn != nil && (b.LeftCompanyOn == nil || *b.LeftCompanyOn != *a.LeftCompanyOn):
		out = append(out, "left on "+format.Day(*a.LeftCompanyOn))
	}
	return out
}

func who(c model.Contact) string {
	if c.Email == "" {
		return safe.Line(c.Name)
	}
	return safe.Line(c.Name) + " <" + safe.Line(c.Email) + ">"
}

func champion(c model.Contact) string {
	if c.IsChampion {
		return " as champion"
	}
	return ""
}

// flags are an account's segments and alerts.
type flags struct{ keys []string }

func flagsOf(ctx context.Context, st *data.Store, id string) (flags, error) {
	d, err := st.AccountDetail(ctx, id)
	if err != nil {
		return flags{}, err
	}
	return flags{keys: append(slices.Clone(d.Metrics.Segments), d.Metrics.Alerts...)}, nil
}

// flagMoves says which segments and alerts the change brought or cleared,
// a line each; nothing when none moved.
func flagMoves(a model.Account, before, after flags) string {
	cleared, raised := model.FlagsMoved(before.keys, after.keys)
	labels := func(keys []string) string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = model.Label(k)
		}
		return strings.Join(out, ", ")
	}
	var b strings.Builder
	if len(cleared) > 0 {
		fmt.Fprintf(&b, "%s is no longer flagged: %s\n", safe.Line(a.Name), labels(cleared))
	}
	if len(raised) > 0 {
		fmt.Fprintf(&b, "%s is now flagged: %s\n", safe.Line(a.Name), labels(raised))
	}
	return b.String()
}

func listCmd(open func(*cobra.Command) (*data.Store, error)) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:               "list ACCOUNT [--json]",
		ValidArgsFunction: complete.Account,
		Short:             "List the people of an account: champions first, who left last",
		Args:              cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			return List(cmd.Context(), st, cmd.OutOrStdout(), args[0], asJSON, time.Now())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the contacts as a JSON array, fields as the sync API names them")
	return cmd
}

// List writes the people of an account, in the account page's order as of
// the book's day (today before any usage).
func List(ctx context.Context, st *data.Store, w io.Writer, query string, asJSON bool, now time.Time) error {
	a, err := st.FindAccount(ctx, query)
	if err != nil {
		return err
	}
	d, err := st.AccountDetail(ctx, a.ID)
	if err != nil {
		return err
	}
	asOf := d.Book.AsOf
	if asOf == 0 {
		asOf = model.LocalDay(now)
	}
	cs, err := st.Contacts(ctx, a.ID, asOf)
	if err != nil {
		return err
	}
	if asJSON {
		if cs == nil {
			cs = []model.Contact{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(cs)
	}
	if len(cs) == 0 {
		_, err := fmt.Fprintf(w, "No contacts on record for %s: csm contact add %s --name … --email … adds one.\n", safe.Line(a.Name), safe.Line(a.ID))
		return err
	}
	fmt.Fprintf(w, "%s · %s\n", safe.Line(a.Name), people(len(cs)))
	for _, c := range cs {
		mark := "  "
		if c.IsChampion {
			mark = "★ "
		}
		status := ""
		switch {
		case model.HasLeft(&c, asOf):
			status = "left on " + format.Day(*c.LeftCompanyOn)
		case c.LeftCompanyOn != nil:
			status = "leaves " + format.Day(*c.LeftCompanyOn)
		case c.LastActiveOn != nil:
			status = "seen " + format.Day(*c.LastActiveOn)
		default:
			status = "never seen"
		}
		fmt.Fprintf(w, "%s%-24s %-30s %-24s %-8s %s · %s\n", mark, safe.Truncate(c.Name, 24), safe.Truncate(c.Email, 30),
			safe.Truncate(c.Title, 24), safe.Line(c.Role), status, safe.Line(c.ID))
	}
	return nil
}

func people(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}
