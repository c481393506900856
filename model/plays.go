package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// SuggestPlays returns the keys of the playbooks whose trigger is one of
// keys, in the order of playbooks, each once. Keys are an account's segments
// and alerts: docs/API.md names a segment key as the trigger, and accepting an
// alert key too lets a team write a play for a crisis. Manual playbooks are
// never suggested.
func SuggestPlays(keys []string, playbooks []Playbook) []string {
	out := []string{}
	for _, p := range playbooks {
		if p.Trigger == TriggerManual || !slices.Contains(keys, p.Trigger) {
			continue
		}
		if !slices.Contains(out, p.Key) {
			out = append(out, p.Key)
		}
	}
	return out
}

// playbooksFor returns the playbooks SuggestPlays would pick for keys.
func playbooksFor(keys []string, playbooks []Playbook) []Playbook {
	var out []Playbook
	for _, key := range SuggestPlays(keys, playbooks) {
		i := slices.IndexFunc(playbooks, func(p Playbook) bool { return p.Key == key })
		out = append(out, playbooks[i])
	}
	return out
}

// DefaultPlayCooldownDays is how long a closed play is not suggested again
// (rules.play_cooldown_days).
const DefaultPlayCooldownDays = 30

// SuggestedPlays is the one answer to "which plays does csm suggest for
// this account", read by the alert notes, the account page's Plays section
// and the brief: the playbooks the account's segments and alerts trigger
// (m.Suggested, in playbook order), less those running and those closed
// less than cooldownDays before today.
func SuggestedPlays(m *AccountMetrics, runs []PlayRun, playbooks []Playbook, today Date, cooldownDays int) []Playbook {
	var out []Playbook
	for _, key := range m.Suggested {
		i := slices.IndexFunc(playbooks, func(p Playbook) bool { return p.Key == key })
		if i < 0 {
			continue
		}
		if _, blocked := playBlocked(key, runs, today, cooldownDays); blocked {
			continue
		}
		out = append(out, playbooks[i])
	}
	return out
}

// playBlocked says why the playbook key is not suggested: "running", or
// the day it was last closed when that is within the cooldown.
func playBlocked(key string, runs []PlayRun, today Date, cooldownDays int) (closedOn Date, blocked bool) {
	for _, r := range runs {
		if r.PlaybookKey != key {
			continue
		}
		if r.ClosedAt == nil {
			return 0, true
		}
		if c := DateOf(*r.ClosedAt); today < c+Date(cooldownDays) && c > closedOn {
			closedOn, blocked = c, true
		}
	}
	return closedOn, blocked
}

// AlertPlay is the play line of an alert note as it stands today: the
// note's playbooks that SuggestedPlays suggests; those running or closed
// within the cooldown are said so instead of suggested. A note without a
// playbook keeps its advice.
func AlertPlay(n AlertNote, suggested []Playbook, runs []PlayRun, playbooks []Playbook, today Date, cooldownDays int) string {
	if len(n.Playbooks) == 0 {
		return n.Play
	}
	var names, running, resting []string
	for _, key := range n.Playbooks {
		name := key
		if i := slices.IndexFunc(playbooks, func(p Playbook) bool { return p.Key == key }); i >= 0 {
			name = playbooks[i].Name
		}
		switch closedOn, blocked := playBlocked(key, runs, today, cooldownDays); {
		case slices.ContainsFunc(suggested, func(p Playbook) bool { return p.Key == key }):
			names = append(names, name)
		case blocked && closedOn == 0:
			running = append(running, name)
		case blocked:
			resting = append(resting, fmt.Sprintf("%s closed %s, suggested again from %s", name,
				closedOn.Time().Format("Jan 2, 2006"), (closedOn+Date(cooldownDays)).Time().Format("Jan 2, 2006")))
		}
	}
	var parts []string
	switch len(names) {
	case 0:
	case 1:
		parts = append(parts, "Suggested play: "+names[0]+".")
	default:
		parts = append(parts, "Suggested plays: "+strings.Join(names, "; ")+".")
	}
	if len(running) > 0 {
		parts = append(parts, "Running: "+strings.Join(running, "; ")+".")
	}
	if len(resting) > 0 {
		parts = append(parts, "Not suggested: "+strings.Join(resting, "; ")+".")
	}
	return strings.Join(parts, " ")
}

// StepsByDue lists a playbook's steps in due order (day 3, 7, 14); steps
// due the same day keep the playbook's order.
func StepsByDue(steps []PlaybookStep) []PlaybookStep {
	out := slices.Clone(steps)
	slices.SortStableFunc(out, func(a, b PlaybookStep) int { return cmp.Compare(a.DueDays, b.DueDays) })
	return out
}
