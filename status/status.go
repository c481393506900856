// Package status writes the report of csm status: the last sync, the
// server, the changes waiting to be pushed and those refused, and the
// database.
package status

import (
	"fmt"
	"io"
	"strings"
	"time"

	"csm/data"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// Server is the server csm is configured for, as the report names it.
type Server struct {
	URL string // "" when none is configured
	// Token says where the token comes from, never what it is.
	Token string
}

// Write writes the status report of the store. Everything that came from
// the server (the rejection reasons, account names) is sanitized.
func Write(w io.Writer, st data.Status, srv Server, now time.Time) {
	row := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%-12s %s\n", label, fmt.Sprintf(format, args...))
	}
	if st.LastSyncAt.IsZero() {
		row("last sync", "never")
	} else {
		row("last sync", "%s (%s): %s", when(st.LastSyncAt), format.Ago(now.Sub(st.LastSyncAt)), safe.Line(st.LastSyncSummary))
	}

	if srv.URL == "" {
		row("server", "not configured: run `csm login --server URL` (or try `csm demo`)")
	} else {
		row("server", "%s (%s)", safe.Line(srv.URL), srv.Token)
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
			fmt.Fprintf(w, "  %s  %s  %s  %s\n", when(r.At), r.Type, account, reason)
		}
	}

	row("database", "%s (%s, schema version %d)", safe.Line(st.Path), byteSize(st.Size), st.SchemaVersion)
	if st.AsOfKnown {
		row("book as of", "%s (latest usage day)", st.AsOf)
	} else {
		row("book as of", "no usage data yet")
	}
}

// when is a moment to the minute, in local time.
func when(t time.Time) string {
	if t.IsZero() {
		return "????-??-?? ??:??"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// byteSize is a file size in binary units.
func byteSize(n int64) string {
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
