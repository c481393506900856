package data

import (
	"context"
	"fmt"
	"time"

	"csm/model"
)

// The account timeline reads AccountDetail and the history the triggers of
// schema version 10 record (timeline_history): a follow-up's due day
// moving and a contact made champion, when this device saw it, and a
// contact added on this device.

// readTimelineHistory reads an account's recorded history, oldest first.
func readTimelineHistory(ctx context.Context, q rowQuerier, accountID string) ([]model.TimelineFact, error) {
	rows, err := q.QueryContext(ctx, `SELECT entity, entity_id, change, before, after, at
		FROM timeline_history WHERE account_id = ? ORDER BY seq`, accountID)
	if err != nil {
		return nil, fmt.Errorf("read timeline history: %w", err)
	}
	defer rows.Close()
	var out []model.TimelineFact
	for rows.Next() {
		var f model.TimelineFact
		var at string
		if err := rows.Scan(&f.Entity, &f.EntityID, &f.Change, &f.Before, &f.After, &at); err != nil {
			return nil, fmt.Errorf("read timeline history: %w", err)
		}
		if f.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			continue // a row no csm wrote: not a fact to show
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read timeline history: %w", err)
	}
	return out, nil
}

// Timeline is the account's timeline, newest first: the one answer of
// model.BuildTimeline for the account page and csm timeline. Usage
// milestones are found up to the book's day.
func (d *AccountDetail) Timeline() []model.TimelineEvent {
	asOf := d.Book.AsOf
	if d.HasMetrics {
		asOf = d.Metrics.AsOf
	}
	return model.BuildTimeline(model.TimelineInput{
		Account:        d.Account,
		Contacts:       d.Contacts,
		Usage:          d.Usage,
		NPS:            d.NPS,
		Notes:          d.Notes,
		Tasks:          d.Tasks,
		ChecklistItems: d.ChecklistItems,
		PlayRuns:       d.PlayRuns,
		Playbooks:      d.Catalogue.Playbooks,
		Checklists:     d.Catalogue.Checklists,
		Facts:          d.History,
		AsOf:           asOf,
		Thresholds:     d.Thresholds,
	})
}
