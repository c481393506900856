package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"csm/model"
)

func timelineEvents(t *testing.T, s *Store, id string) []model.TimelineEvent {
	t.Helper()
	d, err := s.AccountDetail(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d.Timeline()
}

func eventsOf(ev []model.TimelineEvent, event string) []model.TimelineEvent {
	var out []model.TimelineEvent
	for _, e := range ev {
		if e.Event == event {
			out = append(out, e)
		}
	}
	return out
}

// TestTimelineHistoryRecordsWhatEntitiesForget: a due day moved by a sync
// and a contact made champion are recorded once each, when they change;
// the same data applied again records nothing, and neither does a change
// to anything else.
func TestTimelineHistoryRecordsWhatEntitiesForget(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if err := s.BeginFullResync(ctx); err != nil {
		t.Fatal(err)
	}
	due := func(d model.Date) *model.Date { return &d }
	task := model.Task{ID: "t1", AccountID: "a1", Title: "Send the deck", DueOn: due(model.MakeDate(2026, 11, 20)),
		CreatedAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	contact := model.Contact{ID: "c1", AccountID: "a1", Name: "Ann", Email: "ann@example.com", Role: model.RoleUser}
	page := Page{Changes: []Change{upsert("account", acct("a1", "Acme"), "a1"), upsert("task", task, "t1"), upsert("contact", contact, "c1")}, NextCursor: "c1"}
	if _, err := s.ApplyPage(ctx, page); err != nil {
		t.Fatal(err)
	}
	if ev := timelineEvents(t, s, "a1"); len(eventsOf(ev, model.EventFollowUpRedated))+len(eventsOf(ev, model.EventContactChampion)) != 0 {
		t.Fatalf("a first copy is not a change: %v", ev)
	}

	before := time.Now().UTC().Add(-time.Second)
	task.DueOn = due(model.MakeDate(2026, 11, 27))
	contact.IsChampion = true
	moved := Page{Changes: []Change{upsert("task", task, "t1"), upsert("contact", contact, "c1")}, NextCursor: "c2"}
	task.Title = "Send the new deck" // a change of title is no change of due day
	retitled := Page{Changes: []Change{upsert("task", task, "t1"), upsert("contact", contact, "c1")}, NextCursor: "c3"}
	for _, p := range []Page{moved, moved, retitled} {
		if _, err := s.ApplyPage(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	ev := timelineEvents(t, s, "a1")
	redated := eventsOf(ev, model.EventFollowUpRedated)
	if len(redated) != 1 || redated[0].Ref != "t1" ||
		redated[0].Summary != "Follow-up re-dated from 2026-11-20 to 2026-11-27: Send the new deck" {
		t.Fatalf("re-dated events: %+v", redated)
	}
	if at := *redated[0].At; at.Before(before) || at.After(time.Now().Add(time.Second)) {
		t.Errorf("re-dated at %s: want the moment the change was seen", at)
	}
	champ := eventsOf(ev, model.EventContactChampion)
	if len(champ) != 1 || champ[0].Ref != "c1" || champ[0].Summary != "Ann became the champion" {
		t.Fatalf("champion events: %+v", champ)
	}

	// Cleared due day, then a local tick: one more move, the tick none.
	task.DueOn = nil
	if _, err := s.ApplyPage(ctx, Page{Changes: []Change{upsert("task", task, "t1")}, NextCursor: "c4"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTaskDone(ctx, "t1", true); err != nil {
		t.Fatal(err)
	}
	redated = eventsOf(timelineEvents(t, s, "a1"), model.EventFollowUpRedated)
	if len(redated) != 2 || !strings.HasPrefix(redated[0].Summary, "Follow-up re-dated from 2026-11-27 to no due day") {
		t.Fatalf("after clearing the due day: %+v", redated)
	}
}

// TestTimelineHistoryContactAddedHere: a contact created through the
// write path (its row and contact.create in one transaction) is recorded
// as added at the change's time.
func TestTimelineHistoryContactAddedHere(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if err := s.BeginFullResync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyPage(ctx, Page{Changes: []Change{upsert("account", acct("a1", "Acme"), "a1")}, NextCursor: "c1"}); err != nil {
		t.Fatal(err)
	}
	c := model.Contact{ID: "c9", AccountID: "a1", Name: "Bo Lind", Title: "CTO", Email: "bo@example.com", Role: model.RoleSponsor}
	at := time.Date(2026, 11, 21, 10, 30, 0, 0, time.UTC)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := putRow(ctx, tx, "contacts", c.ID, c.AccountID, c); err != nil {
			return err
		}
		return queue(ctx, tx, model.MutContactCreate, model.EntityContact, c.ID, c.AccountID, at, c)
	})
	if err != nil {
		t.Fatal(err)
	}
	added := eventsOf(timelineEvents(t, s, "a1"), model.EventContactAdded)
	if len(added) != 1 || added[0].Ref != "c9" || !added[0].At.Equal(at) || added[0].Summary != "Contact added: Bo Lind (CTO)" {
		t.Fatalf("added events: %+v", added)
	}
}

// TestTimelineHistoryUpgradeKeepsContactsWaiting: contacts added before
// the upgrade and still in the outbox are recorded by the migration.
func TestTimelineHistoryUpgradeKeepsContactsWaiting(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), DBFile)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrateTo(ctx, db, 9); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO accounts (id, name, data, gen) VALUES ('a1', 'Acme', '{"id":"a1","name":"Acme"}', 1)`,
		`INSERT INTO contacts (id, account_id, data, gen) VALUES ('c1', 'a1', '{"id":"c1","account_id":"a1","name":"Ann"}', 1)`,
		`INSERT INTO outbox (id, type, at, entity, entity_id, account_id, data, created_at)
			VALUES ('m1', 'contact.create', '2026-11-19T08:00:00Z', 'contact', 'c1', 'a1', '{}', '2026-11-19T08:00:00Z')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	added := eventsOf(timelineEvents(t, s, "a1"), model.EventContactAdded)
	if len(added) != 1 || added[0].Ref != "c1" || added[0].At.Format(time.RFC3339) != "2026-11-19T08:00:00Z" {
		t.Fatalf("added events after the upgrade: %+v", added)
	}
}

// TestAccountTimelineOfAGeneratedBook: every kind the book has data for
// shows up, newest first, and usage milestones stop at the book's day.
func TestAccountTimelineOfAGeneratedBook(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	b := model.Generate(model.GenOptions{Seed: 3, Accounts: 4, Days: 120, CSMs: 1})[0]
	if err := s.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	for _, a := range b.Accounts {
		d, err := s.AccountDetail(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		ev := d.Timeline()
		if len(ev) == 0 {
			t.Fatalf("%s: empty timeline", a.ID)
		}
		notes := 0
		for i, e := range ev {
			if i > 0 && e.Day > ev[i-1].Day {
				t.Fatalf("%s: not newest first at %d: %v after %v", a.ID, i, e, ev[i-1])
			}
			if e.Kind == model.TimelineMilestone && d.HasMetrics && e.Day > d.Metrics.AsOf {
				t.Errorf("%s: milestone after the book's day: %+v", a.ID, e)
			}
			if e.Event == model.EventNoteLogged {
				notes++
			}
		}
		if want := len(d.Notes); notes > want || (want > 0 && notes == 0) {
			t.Errorf("%s: %d notes logged on the timeline, %d stored", a.ID, notes, want)
		}
	}
}

// TestTimelineHistoryThroughTheWritePaths: a contact added and made
// champion and a follow-up re-dated through the store's own write paths
// are on the timeline at once, each once.
func TestTimelineHistoryThroughTheWritePaths(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	b := model.Generate(model.GenOptions{Seed: 3, Accounts: 2, Days: 60, CSMs: 1})[0]
	a := b.Accounts[0]
	due := model.MakeDate(2031, 1, 10)
	b.Tasks = append(b.Tasks, model.Task{ID: "t-here", AccountID: a.ID, Title: "Send the deck", DueOn: &due, CreatedAt: a.UpdatedAt})
	if err := s.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateContact(ctx, a.ID, NewContact{Name: "Bo Lind", Email: "bo@example.com", Title: "CTO"})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := s.EditContact(ctx, c.ID, model.ContactEdit{IsChampion: &yes}); err != nil {
		t.Fatal(err)
	}
	later := model.MakeDate(2031, 1, 17)
	if _, err := s.SetTaskDue(ctx, "t-here", &later); err != nil {
		t.Fatal(err)
	}
	ev := timelineEvents(t, s, a.ID)
	for _, want := range []struct{ event, ref, summary string }{
		{model.EventContactAdded, c.ID, "Contact added: Bo Lind (CTO)"},
		{model.EventContactChampion, c.ID, "Bo Lind (CTO) became the champion"},
		{model.EventFollowUpRedated, "t-here", "Follow-up re-dated from 2031-01-10 to 2031-01-17: Send the deck"},
	} {
		got := eventsOf(ev, want.event)
		if len(got) != 1 || got[0].Ref != want.ref || got[0].Summary != want.summary || got[0].At == nil {
			t.Errorf("%s: %+v, want one about %s: %q", want.event, got, want.ref, want.summary)
		}
	}
}
