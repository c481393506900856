package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"csm/model"
)

// createdHere are the mutation types that create something the server
// would not have without this device: a server restored from an older
// backup forgets them, and only this device can give them back.
var createdHere = map[string]bool{
	model.MutNoteCreate:    true,
	model.MutNoteRevise:    true,
	model.MutTaskCreate:    true,
	model.MutContactCreate: true,
}

// requeueForgotten runs at the end of a full resync, before the sweep:
// whatever this device created that the server did not send again (its
// row is of an older generation) and that no outbox entry still carries
// is queued again, with its own id, in the order it was made, so that the
// sweep keeps it and the next push gives it back to the server. It
// returns how many were queued.
func requeueForgotten(ctx context.Context, tx *sql.Tx, gen int64) (int, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT c.entity, c.entity_id FROM created_here c
		WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = c.entity AND o.entity_id = c.entity_id)
		ORDER BY c.seq`)
	if err != nil {
		return 0, fmt.Errorf("find what the server lost: %w", err)
	}
	type made struct{ entity, id string }
	var all []made
	for rows.Next() {
		var m made
		if err := rows.Scan(&m.entity, &m.id); err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, m := range all {
		queued, err := requeueOne(ctx, tx, m.entity, m.id, gen)
		if err != nil {
			return n, fmt.Errorf("queue %s %s again: %w", m.entity, m.id, err)
		}
		if queued {
			n++
		}
	}
	return n, nil
}

// requeueOne queues the creation of one entity again if the server did not
// send it in this resync; false when it did, or the row is gone.
func requeueOne(ctx context.Context, tx *sql.Tx, entity, id string, gen int64) (bool, error) {
	t, ok := tables[entity]
	if !ok {
		return false, nil
	}
	var rowGen int64
	var accountID, raw string
	err := tx.QueryRowContext(ctx, "SELECT gen, account_id, data FROM "+t.name+" WHERE id = ?", id).Scan(&rowGen, &accountID, &raw)
	if err == sql.ErrNoRows || (err == nil && rowGen >= gen) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	typ, data, at, err := creation(entity, json.RawMessage(raw))
	if err != nil {
		return false, err
	}
	return true, queue(ctx, tx, typ, entity, id, accountID, at, data)
}

// creation rebuilds the mutation that creates an entity as it stands now,
// and its time.
func creation(entity string, raw json.RawMessage) (typ string, data any, at time.Time, err error) {
	switch entity {
	case model.EntityNote:
		var n model.Note
		if err := json.Unmarshal(raw, &n); err != nil {
			return "", nil, at, err
		}
		if n.Supersedes == nil {
			return model.MutNoteCreate, n, n.CreatedAt, nil
		}
		return model.MutNoteRevise, model.NoteRevise{ID: n.ID, Supersedes: *n.Supersedes, Body: n.Body,
			NextSteps: n.NextSteps, Kind: n.Kind, HappenedAt: n.HappenedAt}, n.CreatedAt, nil
	case model.EntityTask:
		var t model.Task
		if err := json.Unmarshal(raw, &t); err != nil {
			return "", nil, at, err
		}
		return model.MutTaskCreate, t, t.CreatedAt, nil
	case model.EntityContact:
		var c model.Contact
		if err := json.Unmarshal(raw, &c); err != nil {
			return "", nil, at, err
		}
		return model.MutContactCreate, c, now(), nil
	}
	return "", nil, at, fmt.Errorf("%s is not made on a device", entity)
}
