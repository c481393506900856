package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/credentials"
	"csm/safe"
	csmsync "csm/sync"
)

func newLoginCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "login",
		Short: "Save the server URL and your token",
		Long: `Ask for your token (typed without echo, or read from standard input when it
is not a terminal), check it with the server, then save it: in the OS keyring
where there is one, else in a file of mode 0600 in the config directory. The
server URL is saved beside it, so later commands need neither flag.

  csm login --server https://csm.example.com
  echo "$TOKEN" | csm login --server https://csm.example.com

The token is never printed. CSM_TOKEN, when set, still wins over the saved one.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLogin(cmd)
		},
	}
}

func newLogoutCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the saved server URL and token",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The saved server's token goes, and that of the server named
			// by --server or CSM_SERVER_URL, if its token is in the keyring.
			saved := logins().Server()
			named := firstNonEmpty(flagValue(cmd, "server"), os.Getenv("CSM_SERVER_URL"))
			removed, err := logins().Remove(named)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if removed {
				fmt.Fprintf(out, "logged out of %s\n", safe.Line(firstNonEmpty(saved, named)))
			} else {
				fmt.Fprintln(out, "not logged in: nothing to remove")
			}
			if os.Getenv("CSM_TOKEN") != "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "note: CSM_TOKEN is still set in your environment")
			}
			return nil
		},
	}
}

func runLogin(cmd *cobra.Command) error {
	ctx := cmd.Context()
	server := credentials.NormalizeServerURL(firstNonEmpty(flagValue(cmd, "server"), os.Getenv("CSM_SERVER_URL"), logins().Server()))
	if server == "" {
		return usageError{Err: errors.New("no server: pass --server URL")}
	}
	// Check the URL before asking for the token, so a typo fails at once.
	if _, err := csmsync.NewClient(server, "-"); err != nil {
		return usageError{Err: err}
	}
	token, err := credentials.ReadToken(cmd.InOrStdin(), cmd.ErrOrStderr(), server)
	var bad credentials.BadTokenError
	if errors.As(err, &bad) {
		return usageError{Err: err}
	}
	if err != nil {
		return err
	}
	// The token must not leak through an error, whatever produced it (a
	// server may echo what it was sent): every message below is scrubbed.
	scrub := func(err error) string {
		return safe.Line(strings.ReplaceAll(err.Error(), token, "[token]"))
	}

	me, err := checkToken(ctx, server, token)
	switch {
	case csmsync.IsUnauthorized(err):
		return fmt.Errorf("%s refused the token (401 unauthorized): check it and try again; nothing saved", safe.Line(server))
	case err != nil:
		return fmt.Errorf("check the token with %s: %s; nothing saved", safe.Line(server), scrub(err))
	}

	where, err := logins().Save(server, token)
	if err != nil {
		return errors.New(scrub(err))
	}
	out := cmd.OutOrStdout()
	name := safe.Line(me.CSM.Name)
	if email := safe.Line(me.CSM.Email); email != "" {
		name += " <" + email + ">"
	}
	fmt.Fprintf(out, "logged in to %s as %s\n", safe.Line(server), name)
	if where.InKeyring {
		fmt.Fprintln(out, "token saved in the OS keyring")
	} else {
		fmt.Fprintf(out, "token saved in %s (mode 0600; no OS keyring: %s)\n", safe.Line(where.TokenFile), scrub(where.KeyringErr))
	}
	if env := os.Getenv("CSM_TOKEN"); env != "" && env != token {
		fmt.Fprintln(cmd.ErrOrStderr(), "note: CSM_TOKEN is set in your environment and wins over the saved token")
	}
	return nil
}

// checkToken asks the server who the token belongs to. Login is
// interactive: a few quick retries, not the patient ones of a sync.
func checkToken(ctx context.Context, server, token string) (csmsync.Me, error) {
	c, err := csmsync.NewClient(server, token,
		csmsync.WithRetry(csmsync.Retry{Attempts: 3, Base: 300 * time.Millisecond, Max: 2 * time.Second}),
		csmsync.WithTimeout(15*time.Second))
	if err != nil {
		return csmsync.Me{}, err
	}
	return c.Me(ctx)
}
