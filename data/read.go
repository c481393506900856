package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"csm/model"
)

// ErrNotFound is returned when a named row does not exist.
var ErrNotFound = errors.New("not found")

type rowQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadJSON runs a query whose single column is an entity's JSON and decodes
// every row into T.
func loadJSON[T any](ctx context.Context, q rowQuerier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	var raw []byte
	for rows.Next() {
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("decode stored row: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Accounts returns every account, by name.
func (s *Store) Accounts(ctx context.Context) ([]model.Account, error) {
	v, err := loadJSON[model.Account](ctx, s.db, "SELECT data FROM accounts ORDER BY name, id")
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	return v, nil
}

// Account returns one account.
func (s *Store) Account(ctx context.Context, id string) (model.Account, error) {
	v, err := loadJSON[model.Account](ctx, s.db, "SELECT data FROM accounts WHERE id = ?", id)
	if err != nil {
		return model.Account{}, fmt.Errorf("read account %s: %w", id, err)
	}
	if len(v) == 0 {
		return model.Account{}, fmt.Errorf("account %s: %w", id, ErrNotFound)
	}
	return v[0], nil
}

// Catalogue is the book-wide definitions the server sends: features,
// playbooks and checklists.
type Catalogue struct {
	Features   []model.Feature
	Playbooks  []model.Playbook
	Checklists []model.Checklist
}

// AccountDetail is everything stored about one account.
type AccountDetail struct {
	Account        model.Account
	Contacts       []model.Contact
	Usage          []model.UsageMonth
	NPS            []model.NPSResponse
	Notes          []model.Note
	Tasks          []model.Task
	ChecklistItems []model.ChecklistItem
	PlayRuns       []model.PlayRun
	// Metrics are the account's stored metrics; HasMetrics is false until
	// the first recompute after the account arrived.
	Metrics    model.AccountMetrics
	HasMetrics bool
	// Book has the book-wide figures (danger line, as-of day).
	Book model.BookMetrics
	// Catalogue has the playbooks, checklists and features.
	Catalogue Catalogue
	// PlayCooldownDays is rules.play_cooldown_days, for model.SuggestedPlays.
	PlayCooldownDays int
	// History is what the store recorded that the entities do not keep,
	// and Thresholds the rules in force: the timeline reads both
	// (timeline.go).
	History    []model.TimelineFact
	Thresholds model.Thresholds
}

// SuggestedPlays are the plays csm suggests for the account today: the one
// answer of model.SuggestedPlays, for the alert notes, the Plays section
// and the brief.
func (d *AccountDetail) SuggestedPlays(today model.Date) []model.Playbook {
	return model.SuggestedPlays(&d.Metrics, d.PlayRuns, d.Catalogue.Playbooks, today, d.PlayCooldownDays)
}

// AlertPlay is the play line of one of the account's alert notes today.
func (d *AccountDetail) AlertPlay(n model.AlertNote, today model.Date) string {
	return model.AlertPlay(n, d.SuggestedPlays(today), d.PlayRuns, d.Catalogue.Playbooks, today, d.PlayCooldownDays)
}

// AccountDetail reads one account and everything that hangs off it, in one
// snapshot.
func (s *Store) AccountDetail(ctx context.Context, id string) (AccountDetail, error) {
	var d AccountDetail
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		accts, err := loadJSON[model.Account](ctx, tx, "SELECT data FROM accounts WHERE id = ?", id)
		if err != nil {
			return err
		}
		if len(accts) == 0 {
			return fmt.Errorf("account %s: %w", id, ErrNotFound)
		}
		d.Account = accts[0]
		if d.Contacts, err = loadJSON[model.Contact](ctx, tx, "SELECT data FROM contacts WHERE account_id = ? ORDER BY id", id); err != nil {
			return err
		}
		if d.Usage, err = readUsage(ctx, tx, "WHERE account_id = ? ORDER BY month", id); err != nil {
			return err
		}
		if d.NPS, err = loadJSON[model.NPSResponse](ctx, tx, "SELECT data FROM nps WHERE account_id = ? ORDER BY id", id); err != nil {
			return err
		}
		if d.Notes, err = loadJSON[model.Note](ctx, tx, "SELECT data FROM notes WHERE account_id = ? ORDER BY id", id); err != nil {
			return err
		}
		if d.Tasks, err = loadJSON[model.Task](ctx, tx, "SELECT data FROM tasks WHERE account_id = ? ORDER BY id", id); err != nil {
			return err
		}
		if d.ChecklistItems, err = loadJSON[model.ChecklistItem](ctx, tx, "SELECT data FROM checklist_items WHERE account_id = ? ORDER BY id", id); err != nil {
			return err
		}
		if d.PlayRuns, err = loadJSON[model.PlayRun](ctx, tx, "SELECT data FROM play_runs WHERE account_id = ? ORDER BY id", id); err != nil {
			return err
		}
		ms, err := loadJSON[model.AccountMetrics](ctx, tx, "SELECT data FROM metrics WHERE account_id = ?", id)
		if err != nil {
			return err
		}
		if len(ms) == 1 {
			d.Metrics, d.HasMetrics = ms[0], true
		}
		bms, err := loadJSON[model.BookMetrics](ctx, tx, "SELECT data FROM book_metrics WHERE id = 1")
		if err != nil {
			return err
		}
		if len(bms) == 1 {
			d.Book = bms[0]
		}
		if d.History, err = readTimelineHistory(ctx, tx, id); err != nil {
			return err
		}
		d.Catalogue, err = loadCatalogue(ctx, tx)
		return err
	})
	d.Thresholds = s.Thresholds()
	d.PlayCooldownDays = d.Thresholds.PlayCooldownDays
	if err != nil {
		return d, fmt.Errorf("read account %s: %w", id, err)
	}
	return d, nil
}

// Snapshot reads every stored entity as a model.Book (CSM left empty), in
// one read transaction. Tests compare it with the server's book; it is not
// meant for screens.
func (s *Store) Snapshot(ctx context.Context) (model.Book, error) {
	var b model.Book
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if b.Accounts, err = loadJSON[model.Account](ctx, tx, "SELECT data FROM accounts ORDER BY id"); err != nil {
			return err
		}
		if b.Contacts, err = loadJSON[model.Contact](ctx, tx, "SELECT data FROM contacts ORDER BY id"); err != nil {
			return err
		}
		if b.Features, err = loadJSON[model.Feature](ctx, tx, "SELECT data FROM features ORDER BY id"); err != nil {
			return err
		}
		if b.Usage, err = readUsage(ctx, tx, "ORDER BY id"); err != nil {
			return err
		}
		if b.NPS, err = loadJSON[model.NPSResponse](ctx, tx, "SELECT data FROM nps ORDER BY id"); err != nil {
			return err
		}
		if b.Playbooks, err = loadJSON[model.Playbook](ctx, tx, "SELECT data FROM playbooks ORDER BY id"); err != nil {
			return err
		}
		if b.Checklists, err = loadJSON[model.Checklist](ctx, tx, "SELECT data FROM checklists ORDER BY id"); err != nil {
			return err
		}
		if b.Notes, err = loadJSON[model.Note](ctx, tx, "SELECT data FROM notes ORDER BY id"); err != nil {
			return err
		}
		if b.Tasks, err = loadJSON[model.Task](ctx, tx, "SELECT data FROM tasks ORDER BY id"); err != nil {
			return err
		}
		if b.ChecklistItems, err = loadJSON[model.ChecklistItem](ctx, tx, "SELECT data FROM checklist_items ORDER BY id"); err != nil {
			return err
		}
		b.PlayRuns, err = loadJSON[model.PlayRun](ctx, tx, "SELECT data FROM play_runs ORDER BY id")
		return err
	})
	if err != nil {
		return b, fmt.Errorf("read snapshot: %w", err)
	}
	return b, nil
}
