package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// The CSM's history on a generated account: notes, follow-ups, checklist
// ticks and play runs.

// genNotes writes the account's recent timeline: a few notes, QBRs every
// quarter or so once onboarding is done (some overdue), and the follow-ups
// born from their next steps, some done, some open, some overdue.
func genNotes(r *rand.Rand, g *genAccount, author string, asOf Date) ([]Note, []Task) {
	a := g.acct
	var days []Date
	var kinds []string
	for range genBetween(r, 1, 5) {
		back := r.IntN(min(240, int(asOf-a.PurchasedOn)) + 1)
		days = append(days, asOf-Date(back))
		kinds = append(kinds, genPick(r, genNoteKinds))
	}
	if a.OnboardingCompletedOn != nil && r.IntN(100) < map[string]int{TierHighTouch: 95, TierMidTouch: 75, TierTechTouch: 30}[a.Tier] {
		qbr := asOf - Date(genBetween(r, 5, 200))
		for range 2 {
			if qbr < *a.OnboardingCompletedOn {
				break
			}
			days = append(days, qbr)
			kinds = append(kinds, NoteQBR)
			qbr -= Date(genBetween(r, 85, 100))
		}
	}
	genSortNotes(days, kinds)

	var notes []Note
	var tasks []Task
	for i, day := range days {
		at := genWorkTime(r, day)
		who := "the team"
		if len(g.contacts) > 0 {
			who = genFirstName(genPick(r, g.contacts))
		}
		if g.champion != nil && r.IntN(2) == 0 {
			who = genFirstName(*g.champion)
		}
		n := Note{
			ID:         fmt.Sprintf("%s-n%d", a.ID, i+1),
			AccountID:  a.ID,
			Kind:       kinds[i],
			HappenedAt: at,
			Body:       strings.ReplaceAll(genPick(r, genNoteBodies[kinds[i]]), "%s", who),
			NextSteps:  []string{},
			Author:     author,
			CreatedAt:  at.Add(time.Duration(genBetween(r, 10, 120)) * time.Minute),
			Revision:   1,
		}
		if r.IntN(100) < 45 {
			for range genBetween(r, 1, 2) {
				n.NextSteps = append(n.NextSteps, genPick(r, genNextSteps))
			}
		}
		notes = append(notes, n)
		for _, step := range n.NextSteps {
			tasks = append(tasks, genTask(r, a.ID, len(tasks)+1, &n, step, asOf))
		}
	}
	// Now and then the CSM corrects a note; the original stays in history.
	if len(notes) > 0 && r.IntN(100) < 5 {
		old := notes[len(notes)-1]
		fix := old
		fix.ID = old.ID + "-r2"
		fix.Body = old.Body + " Correction: the follow-up call moved to next week."
		fix.CreatedAt = old.CreatedAt.Add(26 * time.Hour)
		fix.Revision = 2
		fix.Supersedes = &old.ID
		notes = append(notes, fix)
	}
	if a.Stage == StageRenewal {
		tasks = append(tasks, genTask(r, a.ID, len(tasks)+1, nil, "Prepare the renewal proposal", asOf))
	}
	return notes, tasks
}

// genSortNotes orders the notes by day (insertion sort: a handful of items).
func genSortNotes(days []Date, kinds []string) {
	for i := 1; i < len(days); i++ {
		for j := i; j > 0 && days[j] < days[j-1]; j-- {
			days[j], days[j-1] = days[j-1], days[j]
			kinds[j], kinds[j-1] = kinds[j-1], kinds[j]
		}
	}
}

// genTask makes a follow-up due a few days after it was written; past-due
// ones are mostly done, the rest are overdue.
func genTask(r *rand.Rand, accountID string, k int, note *Note, title string, asOf Date) Task {
	created := genWorkTime(r, asOf-Date(genBetween(r, 0, 30)))
	if note != nil {
		created = note.CreatedAt
	}
	due := DateOf(created) + Date(genBetween(r, 3, 21))
	t := Task{
		ID:        fmt.Sprintf("%s-t%d", accountID, k),
		AccountID: accountID,
		Title:     title,
		DueOn:     &due,
		CreatedAt: created,
	}
	if note != nil {
		t.NoteID = &note.ID
	}
	doneChance := 20
	if due < asOf {
		doneChance = 75
	}
	if r.IntN(100) < doneChance {
		day := min(DateOf(created)+Date(genBetween(r, 1, int(due-DateOf(created))+3)), asOf)
		done := genWorkTime(r, day)
		if done.Before(created) {
			done = created.Add(time.Hour)
		}
		t.DoneAt = &done
	}
	return t
}

// ---- Checklists and plays ----

// genChecklistItems ticks the onboarding checklist of accounts in (or just
// out of) onboarding, in order and as far as their progress goes, and the
// adoption checklist of accounts that finished onboarding in the last months.
func genChecklistItems(r *rand.Rand, g *genAccount, lists []Checklist, asOf Date) []ChecklistItem {
	a := g.acct
	var out []ChecklistItem
	for _, cl := range lists {
		var start, end Date
		progress := 0.0
		switch {
		case cl.Key == OnboardingChecklistKey && a.OnboardingCompletedOn == nil:
			start, end = a.OnboardingStartedOn, asOf
			progress = min(0.9, float64(asOf-a.OnboardingStartedOn)/float64(genBetween(r, 60, 120)))
		case cl.Key == OnboardingChecklistKey && asOf-*a.OnboardingCompletedOn <= 180:
			start, end, progress = a.OnboardingStartedOn, *a.OnboardingCompletedOn, 1
		case cl.Key == AdoptionChecklistKey && a.OnboardingCompletedOn != nil && asOf-*a.OnboardingCompletedOn <= 180:
			start, end = *a.OnboardingCompletedOn, asOf
			progress = min(0.95, float64(asOf-start)/120)
		default:
			continue
		}
		done := int(math.Round(progress * float64(len(cl.Items))))
		for k, item := range cl.Items[:done] {
			day := start + Date(int(end-start)*(k+1)/(done+1))
			out = append(out, ChecklistItem{
				ID: ChecklistItemID(a.ID, cl.Key, item.Key), AccountID: a.ID,
				ChecklistKey: cl.Key, ItemKey: item.Key, Done: true, ChangedAt: genWorkTime(r, day),
			})
		}
		// Sometimes the next item was ticked by mistake and unticked again.
		if done < len(cl.Items) && r.IntN(100) < 10 {
			item := cl.Items[done]
			out = append(out, ChecklistItem{
				ID: ChecklistItemID(a.ID, cl.Key, item.Key), AccountID: a.ID,
				ChecklistKey: cl.Key, ItemKey: item.Key, Done: false, ChangedAt: genWorkTime(r, end),
			})
		}
	}
	return out
}

// genPlayRuns starts the plays a CSM would have started: replacing a lost
// champion, recovering from a crisis, preparing a renewal; and a few closed
// runs from earlier in the year.
func genPlayRuns(r *rand.Rand, g *genAccount, books []Playbook, asOf Date) []PlayRun {
	a := g.acct
	byKey := func(key string) (Playbook, bool) {
		for _, p := range books {
			if p.Key == key {
				return p, true
			}
		}
		return Playbook{}, false
	}
	var out []PlayRun
	start := func(key string, day Date, stepsDone int, closed bool) {
		pb, ok := byKey(key)
		if !ok || day > asOf || day < a.PurchasedOn {
			return
		}
		run := PlayRun{
			ID: fmt.Sprintf("%s-r%d", a.ID, len(out)+1), AccountID: a.ID, PlaybookKey: key,
			StartedAt: genWorkTime(r, day), Steps: map[string]*time.Time{},
		}
		last := run.StartedAt
		for k, s := range pb.Steps {
			run.Steps[s.Key] = nil
			if k < stepsDone {
				doneDay := min(day+Date(s.DueDays), asOf)
				at := genWorkTime(r, doneDay)
				if floor := last.Add(time.Hour); at.Before(floor) {
					at = floor
				}
				run.Steps[s.Key] = &at
				last = at
			}
		}
		if closed {
			at := last.Add(time.Duration(genBetween(r, 24, 240)) * time.Hour)
			if DateOf(at) > asOf {
				return
			}
			outcomes, ok := genPlayOutcomes[key]
			if !ok {
				outcomes = genRiskOutcomes
			}
			outcome := genPick(r, outcomes)
			run.ClosedAt, run.Outcome = &at, &outcome
		}
		out = append(out, run)
	}

	if g.lostChamp != nil && r.IntN(100) < 60 {
		start("replace_champion", *g.lostChamp+Date(genBetween(r, 2, 6)), 1, false)
	}
	if g.plan.pattern == genCrisis && r.IntN(100) < 40 {
		start("recover_core_adoption", asOf-Date(r.IntN(4)), 0, false)
	}
	if a.Stage == StageRenewal && r.IntN(100) < 30 {
		start("renewal_prep", asOf-Date(genBetween(r, 1, 20)), 1, false)
	}
	if len(books) > 0 && r.IntN(100) < 6 {
		pb := books[r.IntN(len(books))]
		start(pb.Key, asOf-Date(genBetween(r, 60, 300)), len(pb.Steps), true)
	}
	return out
}
