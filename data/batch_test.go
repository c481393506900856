package data

import (
	"context"
	"fmt"
	"testing"
	"time"

	"csm/model"
)

// A page of many rows is written in batches and reads back whole: every
// row of every table, the notes found by search, rows written before a
// delete of their account gone with it, later ones kept, and an upsert of
// a row already stored replacing it.
func TestApplyPageInBatches(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	note := func(i int, account string) Change {
		return upsert(model.EntityNote, model.Note{ID: fmt.Sprintf("n%03d", i), AccountID: account, Kind: model.NoteCall,
			HappenedAt: at, Body: fmt.Sprintf("word%03d spoke about renewal", i), Author: "Sam", CreatedAt: at, Revision: 1}, fmt.Sprintf("n%03d", i))
	}
	month := func(i int, account string) Change {
		id := fmt.Sprintf("%s/2026-%02d", account, i%12+1)
		return upsert(model.EntityUsageMonth, model.UsageMonth{ID: id, AccountID: account, Month: fmt.Sprintf("2026-%02d", i%12+1), Days: 1,
			DAU: []int{i}, WAU: []int{i}, MAU: []int{i}, Sessions: []int{i}, Minutes: []int{i}}, id)
	}
	var page []Change
	for _, a := range []string{"a1", "a2", "a3"} {
		page = append(page, upsert(model.EntityAccount, acct(a, "Acme "+a), a))
	}
	for i := range 2*batchRows + 10 {
		page = append(page, note(i, []string{"a1", "a2"}[i%2]))
	}
	for i := range 12 {
		page = append(page, month(i, "a3"))
	}
	page = append(page, Change{Entity: model.EntityAccount, Op: "delete", ID: "a2"}, note(999, "a1"))
	if _, err := s.ApplyPage(ctx, Page{Changes: page, NextCursor: "c1"}); err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		var n int
		if err := s.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count("SELECT count(*) FROM notes"); n != batchRows+5+1 {
		t.Errorf("%d notes, want the %d of a1 (those of a2 went with it)", n, batchRows+6)
	}
	if n := count("SELECT count(*) FROM usage_months WHERE account_id = 'a3'"); n != 12 {
		t.Errorf("%d usage months, want 12", n)
	}
	if n := count("SELECT count(*) FROM accounts"); n != 2 {
		t.Errorf("%d accounts, want 2", n)
	}
	for _, q := range []string{"word000", "word198", "word999"} {
		if hits, err := s.Search(ctx, q, 0); err != nil || len(hits) != 1 {
			t.Errorf("search %s: %d hits, %v", q, len(hits), err)
		}
	}
	if hits, _ := s.Search(ctx, "word001", 0); len(hits) != 0 {
		t.Errorf("a note of the deleted account is still found: %+v", hits)
	}
	// The same note again, revised: one row, the new text found.
	again := note(0, "a1")
	n := again.Value.(model.Note)
	n.Body = "rewritten entirely"
	again.Value = n
	if _, err := s.ApplyPage(ctx, Page{Changes: []Change{again}, NextCursor: "c2"}); err != nil {
		t.Fatal(err)
	}
	if hits, _ := s.Search(ctx, "rewritten", 0); len(hits) != 1 {
		t.Errorf("the rewritten note: %d hits", len(hits))
	}
	if hits, _ := s.Search(ctx, "word000", 0); len(hits) != 0 {
		t.Errorf("the old text is still found: %+v", hits)
	}
}
