package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Follow-ups: when a follow-up (a task, or a step of a running play) is
// due relative to today, the filters of the follow-ups screen and of
// `csm followups`, the play steps that fall due, and how long a snooze
// lasts. The cockpit and the command line both ask these functions.

// Due groups of a follow-up, in the order the follow-ups screen shows them.
const (
	DueOverdue = iota
	DueToday
	DueWeek
	DueLater
	DueNoDate
	DueDone
	DueGroups
)

// DueGroupNames name the groups. "Within a week" is the six days after
// today, not the calendar week: on a Saturday it runs to next Friday.
var DueGroupNames = [DueGroups]string{"Overdue", "Today", "Within a week", "Later", "No date", "Done recently"}

// DueGroup places a follow-up due on due (nil: no date), done or not, on
// the CSM's day today.
func DueGroup(due *Date, done bool, today Date) int {
	switch {
	case done:
		return DueDone
	case due == nil:
		return DueNoDate
	case *due < today:
		return DueOverdue
	case *due == today:
		return DueToday
	case *due < today+7:
		return DueWeek
	}
	return DueLater
}

// Filters of the follow-ups, in the order tab cycles through them.
const (
	FilterAll       = "all"
	FilterOverdue   = "overdue"
	FilterToday     = "today"
	FilterWeek      = "week"
	FilterPlaySteps = "play_steps"
)

// FollowUpFilters are the filters' keys, in tab order.
var FollowUpFilters = []string{FilterAll, FilterOverdue, FilterToday, FilterWeek, FilterPlaySteps}

// FollowUpFilterLabels name the filters on the tabs.
var FollowUpFilterLabels = map[string]string{
	FilterAll: "All", FilterOverdue: "Overdue", FilterToday: "Today", FilterWeek: "This week", FilterPlaySteps: "Play steps",
}

// MatchesFollowUpFilter says whether a follow-up is shown under filter:
// overdue, today and within a week take open ones only (within a week
// includes today and what is overdue: everything to do this week); play
// steps takes the steps of running plays, open or recently done; all takes
// everything.
func MatchesFollowUpFilter(filter string, due *Date, done, playStep bool, today Date) bool {
	g := DueGroup(due, done, today)
	switch filter {
	case FilterOverdue:
		return g == DueOverdue
	case FilterToday:
		return g == DueToday
	case FilterWeek:
		return g == DueOverdue || g == DueToday || g == DueWeek
	case FilterPlaySteps:
		return playStep
	}
	return true
}

// PlayStepDue is a step of a running play as a follow-up: due StartedAt's
// day plus the step's due_days.
type PlayStepDue struct {
	RunID, StepKey, AccountID string
	PlaybookName, Title       string
	DueOn                     Date
	DoneAt                    *time.Time
}

// PlayStepsDue lists the steps of running plays that fall due: those not
// done and due on or before horizon, and those done at or after doneSince
// (so a tick made by mistake can be seen and undone). A closed play has no
// steps to do; a play whose playbook is unknown is left out (its steps have
// no title or day). Soonest first, then by play and step.
func PlayStepsDue(runs []PlayRun, playbooks []Playbook, horizon Date, doneSince time.Time) []PlayStepDue {
	var out []PlayStepDue
	for _, r := range runs {
		if r.ClosedAt != nil {
			continue
		}
		i := slices.IndexFunc(playbooks, func(p Playbook) bool { return p.Key == r.PlaybookKey })
		if i < 0 {
			continue
		}
		pb := playbooks[i]
		started := DateOf(r.StartedAt)
		for _, s := range pb.Steps {
			done, known := r.Steps[s.Key]
			if !known {
				continue
			}
			due := started + Date(s.DueDays)
			if done == nil && due > horizon || done != nil && done.Before(doneSince) {
				continue
			}
			out = append(out, PlayStepDue{RunID: r.ID, StepKey: s.Key, AccountID: r.AccountID,
				PlaybookName: pb.Name, Title: s.Title, DueOn: due, DoneAt: done})
		}
	}
	slices.SortFunc(out, func(x, y PlayStepDue) int {
		return cmp.Or(cmp.Compare(x.DueOn, y.DueOn), cmp.Compare(x.RunID, y.RunID), cmp.Compare(x.StepKey, y.StepKey))
	})
	return out
}

// SnoozeChoice is one length of a snooze the CSM picks from.
type SnoozeChoice struct {
	Label string // "1 day"
	Word  string // what SnoozeUntil reads: "1d"
}

// SnoozeChoices are the usual lengths of a snooze; any date word does too.
var SnoozeChoices = []SnoozeChoice{
	{"1 day", "1d"}, {"3 days", "3d"}, {"a week", "week"}, {"a month", "month"},
}

// SnoozeWordsHelp names what SnoozeUntil reads, for help and errors.
const SnoozeWordsHelp = "1d, 3d, week, month, or a date (" + DateWordsHelp + ")"

// SnoozeUntil reads how long a snooze lasts, as the last day it holds: 1d,
// 3d (any Nd), week (1w, any Nw), month (the same day next month, or that
// month's last day), or any date word (ParseDateWord), which must not be
// before today.
func SnoozeUntil(word string, today Date) (Date, error) {
	w := strings.ToLower(strings.TrimSpace(word))
	switch w {
	case "day", "week", "month":
		w = "1" + w[:1]
	case "a week":
		w = "1w"
	case "a month":
		w = "1m"
	}
	if n, ok := strings.CutSuffix(w, "m"); ok && n != "" && !strings.HasPrefix(n, "+") {
		var months int
		if _, err := fmt.Sscanf(n, "%d", &months); err == nil && fmt.Sprint(months) == n && months > 0 && months <= 24 {
			return addMonths(today, months), nil
		}
	}
	if w != "" && w[0] >= '0' && w[0] <= '9' && (strings.HasSuffix(w, "d") || strings.HasSuffix(w, "w")) {
		w = "+" + w
	}
	d, err := ParseDateWord(w, today)
	if err != nil {
		return 0, fmt.Errorf("%q is not a length of snooze: write %s", strings.TrimSpace(word), SnoozeWordsHelp)
	}
	if d < today {
		return 0, fmt.Errorf("%s is in the past: a snooze lasts until today or later", d)
	}
	return d, nil
}

// addMonths is the same day n months on, or that month's last day.
func addMonths(d Date, n int) Date {
	t := d.Time()
	y, m := t.Year(), t.Month()+time.Month(n)
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return MakeDate(y, m, min(t.Day(), last))
}

// NoDueWords clear a follow-up's due day where a due day is typed.
var NoDueWords = []string{"none", "no date", "-"}

// ParseDueWord reads a follow-up's due day as typed: a date word
// (ParseDateWord), or none (also "no date" or "-") for no due day (nil).
func ParseDueWord(s string, today Date) (*Date, error) {
	if slices.Contains(NoDueWords, strings.ToLower(strings.TrimSpace(s))) {
		return nil, nil
	}
	d, err := ParseDateWord(s, today)
	if err != nil {
		return nil, fmt.Errorf("%w, or none for no date", err)
	}
	return &d, nil
}
