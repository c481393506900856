package data

import (
	"context"
	"strings"
	"testing"
	"time"

	"csm/model"
)

// What a sync brings from colleagues is in "what changed": new notes and
// follow-ups, a checklist tick, a play started; not this device's own
// creations, not an echo of what is already stored, not a full sync.
func TestChangesListWhatTheFeedBrought(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	b := model.Generate(model.GenOptions{Seed: 5, Accounts: 5, Days: 60, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	if err := s.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	acct := b.Accounts[0]
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	mine := model.Note{ID: "n-mine", AccountID: acct.ID, Kind: "call", Body: "mine", Author: "Me", HappenedAt: now, CreatedAt: now, Revision: 1}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO created_here (entity, entity_id) VALUES ('note', 'n-mine')"); err != nil {
		t.Fatal(err)
	}
	theirs := model.Note{ID: "n-dana", AccountID: acct.ID, Kind: "meeting", Body: "QBR prep", Author: "Dana Lee", HappenedAt: now, CreatedAt: now, Revision: 1}
	task := model.Task{ID: "t-dana", AccountID: acct.ID, Title: "send the renewal quote", CreatedAt: now}
	item := model.ChecklistItem{ID: "ci-1", AccountID: acct.ID, ChecklistKey: "onboarding", ItemKey: "kickoff", Done: true, ChangedAt: now}
	page := Page{NextCursor: "c9", Changes: []Change{
		{Seq: 1, Entity: model.EntityNote, Op: "upsert", ID: mine.ID, Value: mine},
		{Seq: 2, Entity: model.EntityNote, Op: "upsert", ID: theirs.ID, Value: theirs},
		{Seq: 3, Entity: model.EntityTask, Op: "upsert", ID: task.ID, Value: task},
		{Seq: 4, Entity: model.EntityChecklistItem, Op: "upsert", ID: item.ID, Value: item},
	}}
	if err := s.BeginChangesRound(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyPage(ctx, page); err != nil {
		t.Fatal(err)
	}
	got, at, err := s.Changes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, c := range got {
		if c.Kind == ChangeFeed {
			texts = append(texts, c.AccountName+": "+c.Cause)
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"new meeting note by Dana Lee", "new follow-up: send the renewal quote", "checklist: kickoff ticked"} {
		if !strings.Contains(all, acct.Name+": "+want) {
			t.Errorf("what changed lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "by Me") || len(texts) != 3 || at.IsZero() {
		t.Errorf("what changed (at %v):\n%s", at, all)
	}
	// The same page again (an echo) brings nothing new; a sync that brings
	// nothing keeps the list.
	if err := s.BeginChangesRound(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyPage(ctx, page); err != nil {
		t.Fatal(err)
	}
	again, _, _ := s.Changes(ctx)
	if len(again) != len(got) {
		t.Errorf("an echo changed the list: %d → %d", len(got), len(again))
	}
	// The next sync that brings something replaces the list.
	item.Done = false
	if err := s.BeginChangesRound(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyPage(ctx, Page{NextCursor: "c10", Changes: []Change{{Seq: 5, Entity: model.EntityChecklistItem, Op: "upsert", ID: item.ID, Value: item}}}); err != nil {
		t.Fatal(err)
	}
	next, _, _ := s.Changes(ctx)
	if len(next) != 1 || next[0].Cause != "checklist: kickoff unticked" {
		t.Errorf("the next sync's list: %+v", next)
	}
}
