package main

import (
	"io"
	"time"

	"github.com/spf13/cobra"

	"csm/brief"
)

func newBriefCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "brief ACCOUNT",
		Short: "Print a pre-call brief of one account, in Markdown",
		Long: `Print what to know before calling an account, as Markdown: tier, stage,
ARR and renewal; the usage figures and health with its components; why the
account is flagged; the champion and who left; the latest NPS answer; the
last three notes; the open follow-ups, overdue ones marked.

ACCOUNT is an account id, or the start of its name (any case) when that
names one account.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := openReadingStore(ctx, settingsFrom(cmd), cmd.ErrOrStderr())
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
			_, err = io.WriteString(cmd.OutOrStdout(), brief.Render(d, time.Now()))
			return err
		},
	}
}
