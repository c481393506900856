// Package campaign is `csm campaign`: the campaign templates that fit one
// account, and one of them filled, as the cockpit's Campaigns section
// shows them. The rules are the model's (model.CampaignFor): a template is
// listed only when its claim holds for the account, and a draft never holds
// a placeholder.
package campaign

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/complete"
	"csm/data"
	"csm/model"
	"csm/safe"
)

// NewCmd makes the command; open opens the local database for reading.
func NewCmd(open func(cmd *cobra.Command) (*data.Store, error)) *cobra.Command {
	return &cobra.Command{
		Use:   "campaign ACCOUNT [TEMPLATE]",
		Short: "List the campaign emails that fit an account, or print one filled",
		Long: `With ACCOUNT alone, list the campaign templates whose claim holds for the
account (a win-back only to someone who stopped using the product, a
welcome only where the team uses it every week, a thank-you only to a
recent NPS respondent, a progress report only to a champion, a feature
nudge only for a feature not in use), each with its recipient, then the
templates not offered and why.

With TEMPLATE (a key such as win_back, or the start of a template's name),
print that email filled for the account: subject, blank line, body, signed
with your name as the last sync kept it (unsigned before the first sync).
A template that does not fit is refused, with why.

ACCOUNT is an account id, or the start of its name (any case) when that
names one account.`,
		Args:              cobra.RangeArgs(1, 2),
		ValidArgsFunction: complete.AccountThen(complete.Templates),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			return Run(cmd.Context(), st, cmd.OutOrStdout(), args[0], strings.Join(args[1:], " "), time.Now())
		},
	}
}

// Run writes the list of campaigns for account, or with template the one
// filled draft.
func Run(ctx context.Context, st *data.Store, w io.Writer, account, template string, now time.Time) error {
	a, err := st.FindAccount(ctx, account)
	if err != nil {
		return err
	}
	d, err := st.AccountDetail(ctx, a.ID)
	if err != nil {
		return err
	}
	name, err := st.CSMName(ctx)
	if err != nil {
		return err
	}
	facts := d.CampaignFacts(name, model.DateOf(now))
	if template == "" {
		_, err = io.WriteString(w, List(facts))
		return err
	}
	t, err := model.FindCampaignTemplate(template)
	if err != nil {
		return err
	}
	c := model.CampaignFor(facts, t)
	if !c.Fits {
		return fmt.Errorf("%s is not offered for %s: %s", t.Name, safe.Line(d.Account.Name), c.Why)
	}
	_, err = io.WriteString(w, safe.Text(c.Text()))
	return err
}

// List says which templates fit the account, to whom, and why the others
// do not.
func List(f model.CampaignFacts) string {
	var fit, not strings.Builder
	for _, c := range model.Campaigns(f) {
		if c.Fits {
			fmt.Fprintf(&fit, "  %-18s %s · to %s\n", c.Template.Key, c.Template.Name, safe.Line(c.To.Name))
		} else {
			fmt.Fprintf(&not, "  %-18s %s: %s\n", c.Template.Key, c.Template.Name, c.Why)
		}
	}
	var b strings.Builder
	acct := safe.Line(f.Account.Name)
	if fit.Len() == 0 {
		fmt.Fprintf(&b, "No campaign fits %s today.\n", acct)
	} else {
		fmt.Fprintf(&b, "Campaigns that fit %s (csm campaign %s TEMPLATE prints one):\n%s", acct, safe.Line(f.Account.ID), fit.String())
	}
	if not.Len() > 0 {
		fmt.Fprintf(&b, "\nNot offered:\n%s", not.String())
	}
	return b.String()
}
