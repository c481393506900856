package data

import (
	"context"
	"testing"
	"time"

	"csm/model"
)

// A note written on this device is the CSM's: its author is the name /me
// gave at the last sync, for a new note and for a revision.
func TestNoteWrittenHereHasTheCSMAsAuthor(t *testing.T) {
	s, accts := bookStore(t)
	ctx := context.Background()
	in := NewNote{AccountID: accts[0].ID, Kind: model.NoteCall, HappenedAt: time.Now(), Body: "before the first sync"}
	before, err := s.CreateNote(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if before.Author != "" {
		t.Errorf("author before the name is known = %q, want none (the server fills it)", before.Author)
	}
	// As a sync keeps the name /me gave.
	if err := s.SetCSMName(ctx, "Dana Reyes"); err != nil {
		t.Fatal(err)
	}
	in.Body = "after a sync"
	after, err := s.CreateNote(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	revised, err := s.ReviseNote(ctx, before.ID, model.NoteCall, "corrected", before.HappenedAt, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []model.Note{after, revised} {
		if n.Author != "Dana Reyes" {
			t.Errorf("note %q: author %q, want Dana Reyes", n.Body, n.Author)
		}
	}
	d, err := s.AccountDetail(ctx, accts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range d.Notes {
		if n.ID == after.ID && n.Author != "Dana Reyes" {
			t.Errorf("saved note's author = %q, want Dana Reyes", n.Author)
		}
	}
	var queued int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM outbox WHERE data LIKE '%Dana Reyes%'").Scan(&queued); err != nil {
		t.Logf("outbox not inspected: %v", err)
	} else if queued == 0 {
		t.Errorf("the queued note.create does not carry the author")
	}
}
