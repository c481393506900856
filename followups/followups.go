// Package followups is `csm followups` and `csm followup add|due|done`:
// the follow-ups of the book as the cockpit's follow-ups screen lists them
// (tasks, and the steps of running plays that fall due), and the same
// changes the screen makes, through the store's one write path. Dates are
// typed as everywhere else (model.ParseDateWord); which follow-ups a
// filter shows is the model's rule (model.MatchesFollowUpFilter).
package followups

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/exitcode"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// NewCmd makes `csm followups`; open opens the local database for reading.
func NewCmd(open func(cmd *cobra.Command) (*data.Store, error)) *cobra.Command {
	var o Options
	var overdue bool
	cmd := &cobra.Command{
		Use:   "followups",
		Short: "List the open follow-ups of the book, soonest due first",
		Long: `List the open follow-ups of the book as the cockpit's follow-ups screen does:
the tasks not done, and the steps of running plays that fall due within a
week (or are late), soonest due first, undated ones last.

--account A keeps one account's (an id, or the start of its name).
--filter F keeps: all (the default), overdue, today, week (late, today
and the six days after: all there is to do this week) or play_steps.
--overdue is --filter overdue.

--json prints one array; each object has the fields of the API's task
and computed ones:
  id            the follow-up's id (csm followup due|done take it); a play
                step's is "<play_run_id>/<step_key>"
  kind          "task" or "play_step"
  account_id, account_name
  title
  due_on        YYYY-MM-DD, or null
  done_at       always null here: done ones are not listed
  note_id       the note it came from, or null
  created_at    RFC 3339, or null for a play step
  due_in_days   days from today to due_on (negative when late), or null
  overdue       true when due_on is before today
  play_run_id, step_key, playbook   for a play step, else null

--csv prints the same fields, one row per follow-up, for a spreadsheet;
text that a spreadsheet would read as a formula starts with '.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if overdue {
				if o.Filter != model.FilterAll && o.Filter != model.FilterOverdue {
					return usage("--overdue and --filter %s: choose one", o.Filter)
				}
				o.Filter = model.FilterOverdue
			}
			if !slices.Contains(model.FollowUpFilters, o.Filter) {
				return usage("--filter %q: choose one of %s", o.Filter, strings.Join(model.FollowUpFilters, ", "))
			}
			if o.JSON && o.CSV {
				return usage("--json and --csv: choose one")
			}
			st, err := open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			return List(cmd.Context(), st, cmd.OutOrStdout(), o, time.Now())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Account, "account", "", "only this account's follow-ups (an id or the start of a name)")
	fl.StringVar(&o.Filter, "filter", model.FilterAll, "all, overdue, today, week or play_steps")
	fl.BoolVar(&overdue, "overdue", false, "only the follow-ups past their due day (--filter overdue)")
	fl.BoolVar(&o.JSON, "json", false, "print one JSON array, for scripts")
	fl.BoolVar(&o.CSV, "csv", false, "print CSV, one row per follow-up, for a spreadsheet")
	return cmd
}

func usage(f string, args ...any) error {
	return &exitcode.Error{Code: exitcode.Usage, Msg: fmt.Sprintf(f, args...)}
}

// Options choose and shape the list.
type Options struct {
	Account   string
	Filter    string
	JSON, CSV bool
}

// Row is one follow-up as --json writes it.
type Row struct {
	ID          string      `json:"id"`
	Kind        string      `json:"kind"`
	AccountID   string      `json:"account_id"`
	AccountName string      `json:"account_name"`
	Title       string      `json:"title"`
	DueOn       *model.Date `json:"due_on"`
	DoneAt      *time.Time  `json:"done_at"`
	NoteID      *string     `json:"note_id"`
	CreatedAt   *time.Time  `json:"created_at"`
	DueInDays   *int        `json:"due_in_days"`
	Overdue     bool        `json:"overdue"`
	PlayRunID   *string     `json:"play_run_id"`
	StepKey     *string     `json:"step_key"`
	Playbook    *string     `json:"playbook"`
}

// Kinds of a Row.
const (
	KindTask     = "task"
	KindPlayStep = "play_step"
)

// Select reads the open follow-ups that the options keep, on day today.
func Select(ctx context.Context, st *data.Store, o Options, today model.Date) ([]Row, error) {
	var accountID string
	if o.Account != "" {
		a, err := st.FindAccount(ctx, o.Account)
		if err != nil {
			return nil, err
		}
		accountID = a.ID
	}
	rows, err := st.OpenTasks(ctx, today)
	if err != nil {
		return nil, err
	}
	filter := o.Filter
	if filter == "" {
		filter = model.FilterAll
	}
	out := []Row{}
	for _, r := range rows {
		t := r.Task
		if t.DoneAt != nil || accountID != "" && t.AccountID != accountID ||
			!model.MatchesFollowUpFilter(filter, t.DueOn, false, r.Step != nil, today) {
			continue
		}
		out = append(out, rowOf(r, today))
	}
	return out, nil
}

func rowOf(r data.TaskRow, today model.Date) Row {
	t := r.Task
	row := Row{ID: t.ID, Kind: KindTask, AccountID: t.AccountID, AccountName: r.AccountName, Title: t.Title,
		DueOn: t.DueOn, DoneAt: t.DoneAt, NoteID: t.NoteID}
	if !t.CreatedAt.IsZero() {
		c := t.CreatedAt
		row.CreatedAt = &c
	}
	if t.DueOn != nil {
		n := int(*t.DueOn - today)
		row.DueInDays, row.Overdue = &n, n < 0
	}
	if s := r.Step; s != nil {
		run, key, pb := s.RunID, s.StepKey, s.PlaybookName
		row.Kind, row.PlayRunID, row.StepKey, row.Playbook = KindPlayStep, &run, &key, &pb
	}
	return row
}

// List writes the follow-ups the options keep, as a table, JSON or CSV.
func List(ctx context.Context, st *data.Store, w io.Writer, o Options, now time.Time) error {
	today := model.LocalDay(now)
	rows, err := Select(ctx, st, o, today)
	if err != nil {
		return err
	}
	switch {
	case o.JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case o.CSV:
		return writeCSV(w, rows)
	case len(rows) == 0:
		_, err := fmt.Fprintln(w, "No open follow-ups here. Add one: csm followup add ACCOUNT TITLE --due fri")
		return err
	}
	t := format.Table{Right: []bool{false, true, false, false, false}}
	t.Add("DUE", "LATE", "ACCOUNT", "FOLLOW-UP", "ID")
	for _, r := range rows {
		due, late := "—", ""
		if r.DueOn != nil {
			due = format.ShortDay(*r.DueOn, today)
			if r.Overdue {
				late = fmt.Sprintf("%dd", -*r.DueInDays)
			}
		}
		title := safe.Truncate(r.Title, 60)
		if r.Playbook != nil {
			title = "▸ " + title + " (" + safe.Truncate(*r.Playbook, 30) + ")"
		}
		t.Add(due, late, safe.Truncate(r.AccountName, 32), title, safe.Line(r.ID))
	}
	return t.Write(w)
}

func writeCSV(w io.Writer, rows []Row) error {
	header := []string{"id", "kind", "account_id", "account_name", "title", "due_on", "due_in_days", "overdue",
		"note_id", "created_at", "play_run_id", "step_key", "playbook"}
	out := make([][]string, 0, len(rows))
	for _, r := range rows {
		due, in, created := "", "", ""
		if r.DueOn != nil {
			due, in = r.DueOn.String(), strconv.Itoa(*r.DueInDays)
		}
		if r.CreatedAt != nil {
			created = r.CreatedAt.UTC().Format(time.RFC3339)
		}
		out = append(out, []string{safe.CSVText(r.ID), r.Kind, safe.CSVText(r.AccountID), safe.CSVText(r.AccountName),
			safe.CSVText(r.Title), due, in, strconv.FormatBool(r.Overdue), safe.CSVText(deref(r.NoteID)), created,
			safe.CSVText(deref(r.PlayRunID)), safe.CSVText(deref(r.StepKey)), safe.CSVText(deref(r.Playbook))})
	}
	return safe.WriteCSV(w, header, out)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
