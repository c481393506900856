package brief

import (
	"time"

	"github.com/spf13/cobra"

	"csm/complete"
	"csm/data"
)

// NewCmd is csm brief; open opens the local database for reading.
func NewCmd(open func(*cobra.Command) (*data.Store, error)) *cobra.Command {
	var raw bool
	cmd := &cobra.Command{
		Use:   "brief ACCOUNT",
		Short: "Print a pre-call brief of one account (Markdown, drawn on a terminal)",
		Long: `Print what to know before calling an account, as Markdown: tier, stage,
ARR and renewal; the usage figures and health with its components; why the
account is flagged; the champion and who left; the latest NPS answer; the
last three notes; the open follow-ups, overdue ones marked.

On a terminal the Markdown is drawn (headings, tables, wrapped to the
width); in a pipe or a file, and with --raw, it is printed as Markdown.

ACCOUNT is an account id, or the start of its name (any case) when that
names one account.`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: complete.Account,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			a, err := st.FindAccount(ctx, args[0])
			if err != nil {
				return err
			}
			d, err := st.AccountDetail(ctx, a.ID)
			if err != nil {
				return err
			}
			return Write(cmd.OutOrStdout(), Render(d, time.Now()), raw)
		},
	}
	cmd.Flags().BoolVar(&raw, "raw", false, "print the Markdown as it is, even on a terminal")
	return cmd
}
