package data

import (
	"context"
	"fmt"

	"csm/model"
)

// ImportBook replaces the store's server data with a whole book, as a full
// sync would, and recomputes metrics. Tests, benchmarks and fixtures use it
// to fill a real database without a server.
func (s *Store) ImportBook(ctx context.Context, b model.Book) error {
	if err := s.BeginFullResync(ctx); err != nil {
		return err
	}
	var cs []Change
	add := func(entity, id string, v any) {
		cs = append(cs, Change{Seq: int64(len(cs) + 1), Entity: entity, Op: "upsert", ID: id, Value: v})
	}
	for _, v := range b.Features {
		add(model.EntityFeature, v.Key, v)
	}
	for _, v := range b.Playbooks {
		add(model.EntityPlaybook, v.Key, v)
	}
	for _, v := range b.Checklists {
		add(model.EntityChecklist, v.Key, v)
	}
	for _, v := range b.Accounts {
		add(model.EntityAccount, v.ID, v)
	}
	for _, v := range b.Contacts {
		add(model.EntityContact, v.ID, v)
	}
	for _, v := range b.Usage {
		add(model.EntityUsageMonth, v.ID, v)
	}
	for _, v := range b.NPS {
		add(model.EntityNPS, v.ID, v)
	}
	for _, v := range b.Notes {
		add(model.EntityNote, v.ID, v)
	}
	for _, v := range b.Tasks {
		add(model.EntityTask, v.ID, v)
	}
	for _, v := range b.ChecklistItems {
		add(model.EntityChecklistItem, v.ID, v)
	}
	for _, v := range b.PlayRuns {
		add(model.EntityPlayRun, v.ID, v)
	}
	if _, err := s.ApplyPage(ctx, Page{Changes: cs, NextCursor: "", Last: true}); err != nil {
		return fmt.Errorf("import book: %w", err)
	}
	return s.Recompute(ctx)
}
