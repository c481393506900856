package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"csm/model"
)

// Snooze hides an account (key SnoozeAll) or one of its alerts from the top
// of the book until the day after until. The snooze is the CSM's: it is
// saved with its snooze.set in one transaction, and the next sync takes it
// to the server and the CSM's other devices.
func (s *Store) Snooze(ctx context.Context, accountID, key string, until model.Date) error {
	if err := s.setSnooze(ctx, accountID, key, &until); err != nil {
		return fmt.Errorf("snooze %s: %w", accountID, err)
	}
	return nil
}

// Unsnooze wakes an account (or one of its alerts). One that does not
// sleep is left as it is: nothing is queued.
func (s *Store) Unsnooze(ctx context.Context, accountID, key string) error {
	if err := s.setSnooze(ctx, accountID, key, nil); err != nil {
		return fmt.Errorf("unsnooze %s: %w", accountID, err)
	}
	return nil
}

func (s *Store) setSnooze(ctx context.Context, accountID, key string, until *model.Date) error {
	at := now()
	sn := model.Snooze{ID: model.SnoozeID(accountID, key), AccountID: accountID, Key: key, Until: until, ChangedAt: at}
	if err := sn.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := needAccount(ctx, tx, accountID); err != nil {
			return err
		}
		if until == nil {
			old, err := getRow[model.Snooze](ctx, tx, "snooze_states", sn.ID)
			if errors.Is(err, ErrNotFound) || err == nil && old.Until == nil {
				return nil // awake already
			}
			if err != nil {
				return err
			}
		}
		if err := putRow(ctx, tx, "snooze_states", sn.ID, accountID, sn); err != nil {
			return err
		}
		return queue(ctx, tx, model.MutSnoozeSet, model.EntitySnooze, sn.ID, accountID, at,
			model.SnoozeSet{AccountID: accountID, Key: key, Until: until})
	})
}

// Snoozes returns the snoozes still in force on day today: account id →
// key → last snoozed day.
func (s *Store) Snoozes(ctx context.Context, today model.Date) (map[string]map[string]model.Date, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT data FROM snooze_states WHERE json_extract(data, '$.until') >= ?", today.String())
	if err != nil {
		return nil, fmt.Errorf("read snoozes: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]model.Date{}
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("read snoozes: %w", err)
		}
		var sn model.Snooze
		if err := json.Unmarshal(raw, &sn); err != nil || sn.Until == nil {
			continue // a row this version cannot read hides nothing
		}
		if out[sn.AccountID] == nil {
			out[sn.AccountID] = map[string]model.Date{}
		}
		out[sn.AccountID][sn.Key] = *sn.Until
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read snoozes: %w", err)
	}
	return out, nil
}
