package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/format"
	"csm/model"
	"csm/safe"
)

func newStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show the last sync, changes waiting to be pushed, and rejected changes",
		Long: `Show when the last sync ended, which server is configured, the changes
waiting in the outbox (by type), the changes the server rejected (with its
reason), and where the database is. Works offline: it reads the local
database only.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := settingsFrom(cmd)
			st, err := openReadingStore(cmd.Context(), s, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer st.Close()
			status, err := st.Status(cmd.Context())
			if err != nil {
				return err
			}
			printStatus(cmd.OutOrStdout(), s, status, time.Now())
			return nil
		},
	}
}

// printStatus writes the status report. Everything that came from the
// server (the rejection reasons, account names) is sanitized.
func printStatus(w io.Writer, s settings, st data.Status, now time.Time) {
	row := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%-12s %s\n", label, fmt.Sprintf(format, args...))
	}
	if st.LastSyncAt.IsZero() {
		row("last sync", "never")
	} else {
		row("last sync", "%s (%s): %s", statusTime(st.LastSyncAt), format.Ago(now.Sub(st.LastSyncAt)), safe.Line(st.LastSyncSummary))
	}

	switch {
	case s.ServerURL == "":
		row("server", "not configured: run `csm login --server URL`")
	default:
		row("server", "%s (%s)", safe.Line(s.ServerURL), tokenState(s))
	}

	if st.Pending == 0 {
		row("waiting", "nothing to push")
	} else {
		var parts []string
		for _, c := range st.PendingByType {
			parts = append(parts, fmt.Sprintf("%d %s", c.Count, c.Type))
		}
		row("waiting", "%s to push: %s", model.Plural(st.Pending, "change"), strings.Join(parts, ", "))
	}

	if len(st.Rejected) == 0 {
		row("rejected", "none")
	} else {
		row("rejected", "%s the server refused (kept here, not pushed again):", model.Plural(len(st.Rejected), "change"))
		for _, r := range st.Rejected {
			account := safe.Truncate(r.AccountName, 40)
			if account == "" {
				account = "account " + safe.Truncate(r.AccountID, 40)
			}
			reason := safe.Truncate(strings.TrimSpace(r.ErrorCode+": "+r.ErrorMsg), 200)
			fmt.Fprintf(w, "  %s  %s  %s  %s\n", statusTime(r.At), r.Type, account, reason)
		}
	}

	row("database", "%s (%s, schema version %d)", safe.Line(st.Path), statusBytes(st.Size), st.SchemaVersion)
	if st.AsOfKnown {
		row("book as of", "%s (latest usage day)", st.AsOf)
	} else {
		row("book as of", "no usage data yet")
	}
}

// tokenState says where the token comes from, never what it is.
func tokenState(s settings) string {
	switch {
	case os.Getenv("CSM_TOKEN") != "":
		return "token from CSM_TOKEN"
	case s.Token != "":
		return "token saved by csm login"
	case s.tokenErr != nil:
		return "token unreadable: " + safe.Line(s.tokenErr.Error())
	default:
		return "no token: run `csm login`"
	}
}

func statusTime(t time.Time) string {
	if t.IsZero() {
		return "????-??-?? ??:??"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func statusBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, suffix := float64(n)/unit, "KiB"
	for _, s := range []string{"MiB", "GiB", "TiB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}
