package main

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

	"github.com/spf13/cobra"

	"csm/model"
	"csm/safe"
	csmsync "csm/sync"
)

func newAdminUserCmd(db *adminDB) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Add CSMs, issue and revoke their tokens, list them",
		Long: `A CSM signs in to the server with a bearer token. The server stores only a
hash of it: a token is printed once, when it is made, and a lost one is
replaced with 'csm admin user token', never recovered.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newAdminUserAddCmd(db), newAdminUserTokenCmd(db), newAdminUserRevokeCmd(db), newAdminUserListCmd(db))
	return cmd
}

func newAdminUserAddCmd(db *adminDB) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "add EMAIL --name NAME",
		Short: "Add a CSM, with an empty book, and print their first token",
		Long: `Add a CSM with a new id and a book holding the default playbooks and
stage checklists; accounts come with 'csm admin import' (csm_email names the
book). Prints the CSM's token alone on the last line, this once.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			csm := model.CSM{ID: newCSMID(), Name: strings.TrimSpace(name), Email: strings.ToLower(args[0])}
			if err := checkEmail(csm.Email); err != nil {
				return err
			}
			if err := checkCSMName(csm.Name); err != nil {
				return err
			}
			return db.with(cmd.Context(), func(st *csmsync.SQLStore) error {
				token := csmsync.NewToken()
				book := model.Book{CSM: csm, Playbooks: model.DefaultPlaybooks(), Checklists: model.DefaultChecklists()}
				err := st.SeedTenants(cmd.Context(), []csmsync.Tenant{{Token: token, Book: book}})
				if errors.Is(err, csmsync.ErrCSMExists) {
					return fmt.Errorf("a CSM with the email %s exists already ('csm admin user token %s' gives them a new token)", csm.Email, csm.Email)
				}
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "added %s <%s> (id %s), with the default playbooks and checklists\n", safe.Line(csm.Name), csm.Email, csm.ID)
				printToken(out, token)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the CSM's name, as their book shows it (required)")
	return cmd
}

func newAdminUserTokenCmd(db *adminDB) *cobra.Command {
	return &cobra.Command{
		Use:   "token EMAIL",
		Short: "Issue a new token for a CSM; the old one stops working",
		Long: `Issue a new token for the CSM and revoke the one they had (or give one back
to a CSM whose token was revoked). Prints it alone on the last line, this once.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkEmail(args[0]); err != nil {
				return err
			}
			return db.with(cmd.Context(), func(st *csmsync.SQLStore) error {
				c, err := findCSM(cmd.Context(), st, args[0])
				if err != nil {
					return err
				}
				token := csmsync.NewToken()
				if err := st.SetToken(cmd.Context(), c.Email, csmsync.HashToken(token)); err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "a new token for %s <%s>; the old one no longer works\n", safe.Line(c.Name), c.Email)
				printToken(out, token)
				return nil
			})
		},
	}
}

func newAdminUserRevokeCmd(db *adminDB) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke EMAIL",
		Short: "Revoke a CSM's token: nobody can sign in as them",
		Long: `Revoke the CSM's token. Their book stays; nobody can sign in as them until
'csm admin user token' issues a new one.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkEmail(args[0]); err != nil {
				return err
			}
			return db.with(cmd.Context(), func(st *csmsync.SQLStore) error {
				c, err := findCSM(cmd.Context(), st, args[0])
				if err != nil {
					return err
				}
				if err := st.RevokeToken(cmd.Context(), c.Email); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "revoked the token of %s <%s>\n", safe.Line(c.Name), c.Email)
				return nil
			})
		},
	}
}

func newAdminUserListCmd(db *adminDB) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the CSMs (never their tokens)",
		Long: `List every CSM by email: name, id, whether they have a token, and when they
were added. Tokens are never shown: only their hashes are stored.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return db.with(cmd.Context(), func(st *csmsync.SQLStore) error {
				csms, err := st.CSMs(cmd.Context())
				if err != nil {
					return err
				}
				printCSMs(cmd.OutOrStdout(), csms)
				return nil
			})
		},
	}
}

func printCSMs(out io.Writer, csms []csmsync.CSMInfo) {
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

// printToken ends the output with the token alone on its line, so a script
// can take the last line.
func printToken(out io.Writer, token string) {
	fmt.Fprintln(out, "the token, shown this once (only its hash is stored):")
	fmt.Fprintln(out, token)
}

// findCSM finds a CSM by email, whatever its case.
func findCSM(ctx context.Context, st csmsync.TeamStore, email string) (model.CSM, error) {
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

// checkCSMName wants a name to show: not empty, one line, not absurdly
// long.
func checkCSMName(name string) error {
	switch {
	case name == "":
		return usageError{errors.New("--name is required: the CSM's name, as their book shows it")}
	case !utf8.ValidString(name) || strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return usageError{fmt.Errorf("--name %q: a name has no control characters", name)}
	case utf8.RuneCountInString(name) > model.MaxNameChars:
		return usageError{fmt.Errorf("--name is longer than %d characters", model.MaxNameChars)}
	}
	return nil
}
