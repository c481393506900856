// Package crm is `csm open ACCOUNT`: the account's page in the CRM, its
// address made from the config's crm_url template (browser.AccountURL, the
// one rule the cockpit's O and link use too), opened with the system's
// opener or, with --print, printed.
package crm

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"csm/browser"
	"csm/complete"
	"csm/data"
	"csm/exitcode"
	"csm/safe"
	"csm/settings"
)

// NewCmd makes the command; open opens the local database for reading,
// resolve gives the invocation's settings, whose config holds crm_url.
func NewCmd(open func(cmd *cobra.Command) (*data.Store, error), resolve func(cmd *cobra.Command) settings.Settings) *cobra.Command {
	var print bool
	cmd := &cobra.Command{
		Use:   "open ACCOUNT",
		Short: "Open an account's page in the CRM (crm_url in the config)",
		Long: `Open the account's page in your CRM with the system's opener (xdg-open,
open or rundll32), as O does on the cockpit's account page. The address is
the config file's crm_url with {id} replaced by the account's id,
percent-encoded, e.g. crm_url = "https://crm.example.com/accounts/{id}"
(csm config path says where the file is). The address goes to the opener as
one argument: no shell reads it.

--print prints the address instead of opening it.

ACCOUNT is an account id, or the start of its name (any case) when that
names one account.`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: complete.Account,
		RunE: func(cmd *cobra.Command, args []string) error {
			s := resolve(cmd)
			if s.ConfigErr != nil {
				return s.ConfigErr
			}
			tmpl := s.Config.CRMURL
			if tmpl == "" {
				return &exitcode.Error{Code: exitcode.Usage, Msg: browser.ErrNoCRM.Error()}
			}
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			a, err := st.FindAccount(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			u, err := browser.AccountURL(tmpl, a.ID)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if print {
				_, err := fmt.Fprintln(out, u)
				return err
			}
			if err := browser.System().Open(cmd.Context(), u); err != nil {
				return err
			}
			return said(out, fmt.Sprintf("opened %s in the CRM: %s", safe.Line(a.Name), u))
		},
	}
	cmd.Flags().BoolVar(&print, "print", false, "print the address instead of opening it")
	return cmd
}

func said(w io.Writer, s string) error {
	_, err := fmt.Fprintln(w, s)
	return err
}
