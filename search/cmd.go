package search

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/exitcode"
)

// NewCmd is csm search; open opens the local database for reading.
func NewCmd(open func(*cobra.Command) (*data.Store, error)) *cobra.Command {
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "search TEXT...",
		Short: "Search every note and follow-up, best matches first",
		Long: `Full-text search over every note and follow-up in the local database, ranked
by relevance. Every word must match; case and accents do not matter ("cafe"
finds "café"); the last word also matches as a prefix. Words are searched as
typed: quotes, AND, OR, * and the like have no special meaning.

Prints one line per match: date, account, kind, and the matching text with
matches in [brackets]. When nothing matches it says so and exits 0.

--json prints one JSON array, best match first: kind ("note" or
"follow-up"), id, account_id, account_name, when (RFC 3339, or null),
snippet (the text as stored), matches (the matched words in it) and rank
(lower is better). Field names are kept: new ones may be added.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			query := strings.Join(args, " ")
			if strings.TrimSpace(query) == "" {
				return exitcode.UsageError{Err: errors.New("search for what? give some words")}
			}
			if limit < 1 {
				return exitcode.Usagef("--limit %d: must be at least 1", limit)
			}
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			hits, err := st.Search(cmd.Context(), query, limit)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return WriteJSON(out, hits)
			}
			if len(hits) == 0 {
				fmt.Fprintln(out, "no notes or follow-ups match")
				return nil
			}
			for _, h := range hits {
				fmt.Fprintln(out, Line(h))
			}
			return nil
		},
	}
	cmd.Flags().IntVarP(&limit, "limit", "n", 20, "show at most this many matches")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON array of matches ([] when none), for scripts")
	return cmd
}
