package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"csm/format"
	"csm/model"
	"csm/safe"
)

// stageChecklists returns the catalogue's checklists of the account's
// stage: onboarding has its own; adoption, ongoing and renewal all work
// through the adoption checklist.
func (a *accountScreen) stageChecklists() []model.Checklist {
	stage := model.StageAdoption
	if a.detail.Account.Stage == model.StageOnboarding {
		stage = model.StageOnboarding
	}
	var out []model.Checklist
	for _, cl := range a.detail.Catalogue.Checklists {
		if cl.Stage == stage {
			out = append(out, cl)
		}
	}
	return out
}

// checklistDone maps a checklist item id to whether it is ticked.
func (a *accountScreen) checklistDone() map[string]model.ChecklistItem {
	done := make(map[string]model.ChecklistItem, len(a.detail.ChecklistItems))
	for _, it := range a.detail.ChecklistItems {
		done[it.ID] = it
	}
	return done
}

func (a *accountScreen) checklistSummary() string {
	lists := a.stageChecklists()
	state := a.checklistDone()
	var parts []string
	for _, cl := range lists {
		n := 0
		for _, it := range cl.Items {
			if state[model.ChecklistItemID(a.id, cl.Key, it.Key)].Done {
				n++
			}
		}
		parts = append(parts, fmt.Sprintf("%s %d/%d done", safe.Line(cl.Name), n, len(cl.Items)))
	}
	return strings.Join(parts, " · ")
}

// checklistSection lists the stage checklist by group, each item ticked or
// not. Items are selectable: ticking comes with the offline work.
func (a *accountScreen) checklistSection(w int) block {
	var b block
	st := a.styles
	lists := a.stageChecklists()
	if len(lists) == 0 {
		b.add(st.Subtle.Render("  no checklist for the " + safe.Line(a.detail.Account.Stage) + " stage in the catalogue"))
		return b
	}
	state := a.checklistDone()
	for i, cl := range lists {
		if len(lists) > 1 {
			if i > 0 {
				b.add("")
			}
			b.add(st.Title.Render(safe.Truncate(cl.Name, w)))
		}
		group := ""
		for _, it := range cl.Items {
			if it.Group != group || group == "" {
				group = it.Group
				b.add(st.Label.Render(safe.Truncate(group, w)))
			}
			box := "[ ]"
			line := "  " + box + " " + safe.Line(it.Title)
			if s, ok := state[model.ChecklistItemID(a.id, cl.Key, it.Key)]; ok && s.Done {
				line = "  " + st.Good.Render("[x]") + " " + safe.Line(it.Title) +
					st.Subtle.Render(" · "+a.dayOf(s.ChangedAt.UTC()))
			}
			b.addItem(itemRef{kind: itemChecklist, a: cl.Key, b: it.Key}, truncateLine(line, w))
		}
	}
	return b
}

// playbook finds a playbook of the catalogue by key.
func (a *accountScreen) playbook(key string) (model.Playbook, bool) {
	for _, p := range a.detail.Catalogue.Playbooks {
		if p.Key == key {
			return p, true
		}
	}
	return model.Playbook{}, false
}

// runSteps lists a run's steps in due order (model.StepsByDue); steps the
// playbook no longer has follow, by key, so map order never shows.
func runSteps(run *model.PlayRun, pb model.Playbook) []model.PlaybookStep {
	steps := model.StepsByDue(pb.Steps)
	var extra []string
	for k := range run.Steps {
		if !slices.ContainsFunc(steps, func(s model.PlaybookStep) bool { return s.Key == k }) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	for _, k := range extra {
		steps = append(steps, model.PlaybookStep{Key: k, Title: k})
	}
	return steps
}

// playRuns splits the runs into open and closed, oldest first.
func (a *accountScreen) playRuns() (open, closed []model.PlayRun) {
	runs := slices.Clone(a.detail.PlayRuns)
	slices.SortFunc(runs, func(x, y model.PlayRun) int {
		return cmp.Or(x.StartedAt.Compare(y.StartedAt), cmp.Compare(x.ID, y.ID))
	})
	for _, r := range runs {
		if r.ClosedAt == nil {
			open = append(open, r)
		} else {
			closed = append(closed, r)
		}
	}
	return open, closed
}

// suggested lists the plays csm suggests for the account today: the one
// answer the alert notes and the brief give too (model.SuggestedPlays),
// so neither a running play nor one closed within the cooldown.
func (a *accountScreen) suggested() []model.Playbook {
	return a.detail.SuggestedPlays(a.today())
}

func (a *accountScreen) playsSummary() string {
	open, closed := a.playRuns()
	return fmt.Sprintf("%d running · %d suggested · %d closed", len(open), len(a.suggested()), len(closed))
}

// playsSection shows the running plays with their steps, the suggested
// ones with what they would ask, and the closed ones in a line each.
func (a *accountScreen) playsSection(w int) block {
	var b block
	st := a.styles
	open, closed := a.playRuns()
	today := a.today()
	for _, run := range open {
		pb, _ := a.playbook(run.PlaybookKey)
		name := pb.Name
		if name == "" {
			name = run.PlaybookKey
		}
		steps := runSteps(&run, pb)
		done := 0
		for _, s := range steps {
			if run.Steps[s.Key] != nil {
				done++
			}
		}
		b.add(truncateLine(st.Title.Render("▸ "+safe.Line(name))+st.Subtle.Render(fmt.Sprintf(" · started %s · %d/%d done",
			a.dayOf(run.StartedAt.UTC()), done, len(steps))), w))
		started := model.DateOf(run.StartedAt)
		for _, s := range steps {
			var line string
			if at := run.Steps[s.Key]; at != nil {
				line = "  " + st.Good.Render("[x]") + " " + safe.Line(s.Title) + st.Subtle.Render(" · done "+a.dayOf(at.UTC()))
			} else {
				line = "  [ ] " + safe.Line(s.Title) + " " + dueText(started+model.Date(s.DueDays), today, st)
			}
			b.addItem(itemRef{kind: itemPlayStep, a: run.ID, b: s.Key}, truncateLine(line, w))
		}
	}
	for i, pb := range a.suggested() {
		if i == 0 {
			if len(b.lines) > 0 {
				b.add("")
			}
			b.add(st.Label.Render("Suggested"))
		}
		b.addItem(itemRef{kind: itemSuggestedPlay, a: pb.Key}, truncateLine("  ◇ "+st.Title.Render(safe.Line(pb.Name))+
			st.Subtle.Render(" · for "+strings.ToLower(model.Label(pb.Trigger))), w))
		if pb.Description != "" {
			b.add(wrapIndent(safe.Text(pb.Description), w, "    ")...)
		}
		// Due order, dated as if the play started today.
		for _, s := range model.StepsByDue(pb.Steps) {
			due := format.ShortDay(today+model.Date(s.DueDays), today)
			b.add(truncateLine(st.Subtle.Render(fmt.Sprintf("    · %s · %s (day %d)", safe.Line(s.Title), due, s.DueDays)), w))
		}
	}
	if len(closed) > 0 {
		if len(b.lines) > 0 {
			b.add("")
		}
		b.add(st.Label.Render("Closed"))
		for _, run := range closed {
			pb, _ := a.playbook(run.PlaybookKey)
			name := cmp.Or(pb.Name, run.PlaybookKey)
			line := fmt.Sprintf("  %s · closed %s", safe.Line(name), a.dayOf(run.ClosedAt.UTC()))
			if run.Outcome != nil && *run.Outcome != "" {
				line += " · " + safe.Line(*run.Outcome)
			}
			b.add(truncateLine(st.Subtle.Render(line), w))
		}
	}
	if len(b.lines) == 0 {
		b.add(st.Subtle.Render("  no play running or suggested"))
	}
	return b
}

// dueText says when something is due: red when overdue.
func dueText(due, today model.Date, st *Styles) string {
	n := int(due - today)
	switch {
	case n < 0:
		return st.Bad.Render(fmt.Sprintf("· overdue %dd (%s)", -n, format.ShortDay(due, today)))
	case n == 0:
		return st.Warn.Render("· due today")
	}
	return st.Subtle.Render(fmt.Sprintf("· due in %dd (%s)", n, format.ShortDay(due, today)))
}

// openTasks are the follow-ups not done, soonest due first.
func (a *accountScreen) openTasks() (open []model.Task, done int) {
	return model.OpenTasks(a.detail.Tasks)
}

func (a *accountScreen) followUpsSummary() string {
	open, done := a.openTasks()
	overdue := 0
	for _, t := range open {
		if t.DueOn != nil && *t.DueOn < a.today() {
			overdue++
		}
	}
	s := fmt.Sprintf("%d open", len(open))
	if overdue > 0 {
		s += fmt.Sprintf(" · %d overdue", overdue)
	}
	return s + fmt.Sprintf(" · %d done", done)
}

// followUpsSection lists the open follow-ups, overdue ones in red.
func (a *accountScreen) followUpsSection(w int) block {
	var b block
	st := a.styles
	open, _ := a.openTasks()
	if len(open) == 0 {
		b.add(st.Subtle.Render("  nothing open"))
		return b
	}
	today := a.today()
	for _, t := range open {
		due := st.Subtle.Render("· no due day")
		if t.DueOn != nil {
			due = dueText(*t.DueOn, today, st)
		}
		b.addItem(itemRef{kind: itemTask, a: t.ID}, truncateLine("  [ ] "+safe.Line(t.Title)+" "+due, w))
	}
	return b
}
