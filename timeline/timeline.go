// Package timeline is `csm timeline`: everything that happened to one
// account, newest first, as the account page's Timeline section shows it.
// The events are data.AccountDetail.Timeline's (model.BuildTimeline), so
// the page and the shell never disagree.
package timeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/complete"
	"csm/data"
	"csm/exitcode"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// NewCmd makes the command; open opens the local database for reading.
func NewCmd(open func(cmd *cobra.Command) (*data.Store, error)) *cobra.Command {
	var kind string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "timeline ACCOUNT",
		Short: "Everything that happened to an account, newest first",
		Long: `Print the account's timeline, newest first: notes (and their revisions),
follow-ups created, re-dated and done, checklist ticks, plays started,
stepped and closed, NPS answers, contacts added, leaving or made champion,
purchase, onboarding and renewal days, and usage milestones (first use,
regular use, utilization crossing the surprise line, 80% by default, and
each start of a significant drop), read with the same rules as the book.

A re-dated follow-up, a contact made champion and a contact added are
known from the moment this computer recorded them (made here, or brought
by a sync); the other events carry their own dates. Usage milestones stop
at the book's day; a renewal still ahead is marked upcoming.

--kind keeps one kind: ` + strings.Join(model.TimelineKinds, ", ") + ` (or all).

--json prints one JSON array, newest first; each object has:
  day       the day, YYYY-MM-DD (UTC)
  at        the instant, RFC 3339, or null when only the day is known
  kind      one of the kinds above
  event     what happened: note_logged, note_revised, followup_created,
            followup_redated, followup_done, checklist_ticked,
            checklist_unticked, play_started, play_step_done, play_closed,
            nps_answered, contact_added, contact_left, contact_champion,
            purchased, onboarding_started, onboarding_completed, renewal,
            first_use, usage_history_begins (the usage data starts
            with the product already in use), regular_use,
            utilization_crossed, drop_started
  summary   one line in plain words (untrusted text from notes and people
            is included as is, JSON-escaped)
  ref       the id of what it is about: the note, follow-up, checklist
            item, play run, NPS answer, contact, usage month or account
  upcoming  true for a day after the book's day (a renewal)
An account with no event prints [].

ACCOUNT is an account id, or the start of its name (any case) when that
names one account.`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: complete.Account,
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := model.ParseTimelineKind(kind)
			if err != nil {
				return &exitcode.Error{Code: exitcode.Usage, Msg: "--kind: " + err.Error()}
			}
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			return Run(cmd.Context(), st, cmd.OutOrStdout(), args[0], k, asJSON, time.Now())
		},
	}
	f := cmd.Flags()
	f.StringVar(&kind, "kind", "", "keep one kind of event: "+strings.Join(model.TimelineKinds, ", ")+" (or all)")
	f.BoolVar(&asJSON, "json", false, "print one JSON array, for scripts (fields in --help)")
	complete.Flag(cmd, "kind", complete.Timeline)
	return cmd
}

// Run writes the timeline of account, of one kind ("" for all).
func Run(ctx context.Context, st *data.Store, w io.Writer, account, kind string, asJSON bool, now time.Time) error {
	a, err := st.FindAccount(ctx, account)
	if err != nil {
		return err
	}
	d, err := st.AccountDetail(ctx, a.ID)
	if err != nil {
		return err
	}
	events := model.FilterTimeline(d.Timeline(), kind)
	if asJSON {
		if events == nil {
			events = []model.TimelineEvent{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(events)
	}
	_, err = io.WriteString(w, Text(safe.Line(d.Account.Name), events, kind, model.DateOf(now)))
	return err
}

// Text lays the events out for the terminal: a heading, then one line
// each: day, time (UTC) when known, kind and the summary. Days are
// written as on screen (format.ShortDay: the year when it is not this
// one's), in the column and in the summaries alike. Untrusted text is
// sanitized here; name is already.
func Text(name string, events []model.TimelineEvent, kind string, today model.Date) string {
	var b strings.Builder
	what := "events"
	if kind != "" {
		what = model.TimelineKindLabel(kind)
	}
	if len(events) == 0 {
		fmt.Fprintf(&b, "No %s on the timeline of %s.\n", what, name)
		return b.String()
	}
	shown := model.Plural(len(events), "event")
	if kind != "" {
		shown += " (" + what + ")"
	}
	fmt.Fprintf(&b, "Timeline of %s, newest first: %s\n\n", name, shown)
	t := format.Table{Right: []bool{false, false, false, false}}
	for _, e := range events {
		at := ""
		if e.At != nil {
			at = e.At.UTC().Format("15:04")
		}
		summary := format.DaysInText(safe.Line(e.Summary), today)
		if e.Upcoming {
			summary += " (upcoming)"
		}
		t.Add(format.ShortDay(e.Day, today), at, model.TimelineKindTag(e.Kind), summary)
	}
	t.Write(&b)
	return b.String()
}
