package servercmd

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

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
			email, csmName := strings.ToLower(args[0]), strings.TrimSpace(name)
			if err := checkEmail(email); err != nil {
				return err
			}
			if err := csmsync.CheckCSMName(csmName); err != nil {
				return UsageError{fmt.Errorf("--name %w", err)}
			}
			a, err := db.admin()
			if err != nil {
				return err
			}
			csm, token, err := a.AddCSM(cmd.Context(), email, csmName)
			if errors.Is(err, csmsync.ErrCSMExists) {
				return fmt.Errorf("a CSM with the email %s exists already ('csm admin user token %s' gives them a new token)", email, email)
			}
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "added %s <%s> (id %s), with the default playbooks and checklists\n", safe.Line(csm.Name), csm.Email, csm.ID)
			printToken(out, token)
			return nil
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
			a, err := adminOnEmail(db, args[0])
			if err != nil {
				return err
			}
			c, token, err := a.NewToken(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "a new token for %s <%s>; the old one no longer works\n", safe.Line(c.Name), c.Email)
			printToken(out, token)
			return nil
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
			a, err := adminOnEmail(db, args[0])
			if err != nil {
				return err
			}
			c, err := a.RevokeToken(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "revoked the token of %s <%s>\n", safe.Line(c.Name), c.Email)
			return nil
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
			a, err := db.admin()
			if err != nil {
				return err
			}
			csms, err := a.CSMs(cmd.Context())
			if err != nil {
				return err
			}
			csmsync.WriteCSMs(cmd.OutOrStdout(), csms)
			return nil
		},
	}
}

// adminOnEmail checks the email of a command's argument, then its
// database.
func adminOnEmail(db *adminDB, email string) (csmsync.Admin, error) {
	if err := checkEmail(email); err != nil {
		return csmsync.Admin{}, err
	}
	return db.admin()
}

// printToken ends the output with the token alone on its line, so a script
// can take the last line.
func printToken(out io.Writer, token string) {
	fmt.Fprintln(out, "the token, shown this once (only its hash is stored):")
	fmt.Fprintln(out, token)
}
