package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"csm/model"
)

// Thresholds returns the rules' thresholds the store computes with.
func (s *Store) Thresholds() model.Thresholds {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.th == nil {
		return model.DefaultThresholds()
	}
	return *s.th
}

// SetThresholds sets the thresholds of later recomputes (from the config
// file); call Recompute to apply them to stored metrics.
func (s *Store) SetThresholds(th model.Thresholds) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.th = &th
}

// metaStale is "1" while data changed since the last recompute.
const metaStale = "metrics_stale"

// markStale notes, inside a writing transaction, that the stored metrics no
// longer match the data.
func markStale(ctx context.Context, tx *sql.Tx) error { return setMeta(ctx, tx, metaStale, "1") }

// RecomputeIfStale recomputes only when data changed since the last
// recompute (or none was ever made), so a sync that brought nothing costs
// no recompute of a whole book.
func (s *Store) RecomputeIfStale(ctx context.Context) (bool, error) {
	var stale string
	var computed int
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if stale, err = getMeta(ctx, tx, metaStale); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT count(*) FROM book_metrics").Scan(&computed)
	})
	if err != nil {
		return false, fmt.Errorf("check metrics: %w", err)
	}
	if stale == "0" && computed > 0 {
		return false, nil
	}
	return true, s.Recompute(ctx)
}

// Recompute runs the rules over the whole stored book and replaces the
// stored metrics in one transaction. It runs after each sync and config
// change, so that screens read rows and never recompute on a keypress.
func (s *Store) Recompute(ctx context.Context) error {
	th := s.Thresholds()
	hash, err := thresholdsHash(th)
	if err != nil {
		return err
	}
	var accts []model.AccountData
	var bm model.BookMetrics
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		accts, bm, err = computeStored(ctx, tx, th)
		return err
	})
	if err != nil {
		return fmt.Errorf("recompute: %w", err)
	}
	return s.inTxRefetchable(ctx, func(tx *sql.Tx) error {
		return storeMetrics(ctx, tx, accts, bm, hash, true)
	})
}

// recomputeIn runs the rules over the whole book inside the caller's
// writing transaction, for a local change that moves the figures (a new
// champion clears champion_left at once, before any sync). What changed is
// not recorded: the list tells what syncs brought, not what the CSM did.
func (s *Store) recomputeIn(ctx context.Context, tx *sql.Tx) error {
	th := s.Thresholds()
	hash, err := thresholdsHash(th)
	if err != nil {
		return err
	}
	accts, bm, err := computeStored(ctx, tx, th)
	if err != nil {
		return fmt.Errorf("recompute: %w", err)
	}
	return storeMetrics(ctx, tx, accts, bm, hash, false)
}

// storeMetrics replaces the stored metrics and book rows with bm; record
// keeps the list of what changed.
func storeMetrics(ctx context.Context, tx *sql.Tx, accts []model.AccountData, bm model.BookMetrics, hash string, record bool) error {
	if err := setMeta(ctx, tx, metaThresholdsHash, hash); err != nil {
		return err
	}
	if err := setMeta(ctx, tx, metaStale, "0"); err != nil {
		return err
	}
	if record {
		before, err := loadBriefs(ctx, tx)
		if err != nil {
			return fmt.Errorf("recompute: read previous metrics: %w", err)
		}
		if err := saveChanges(ctx, tx, before, bm.Accounts); err != nil {
			return fmt.Errorf("recompute: %w", err)
		}
	}
	for _, table := range []string{"metrics", "book_rows"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return fmt.Errorf("recompute: clear %s: %w", table, err)
		}
	}
	rowStmt, err := tx.PrepareContext(ctx, "INSERT INTO book_rows (account_id, row) VALUES (?, ?)")
	if err != nil {
		return err
	}
	defer rowStmt.Close()
	accountOfID := accountsByID(accts)
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO metrics (account_id, urgency, health, data, brief) VALUES (?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, m := range bm.Accounts {
		raw, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("recompute: encode metrics of %s: %w", m.AccountID, err)
		}
		brief, err := json.Marshal(briefOf(m))
		if err != nil {
			return fmt.Errorf("recompute: encode metrics of %s: %w", m.AccountID, err)
		}
		if _, err := rowStmt.ExecContext(ctx, m.AccountID, bookRowOf(accountOfID[m.AccountID], m).encode()); err != nil {
			return fmt.Errorf("recompute: store row of %s: %w", m.AccountID, err)
		}
		if _, err := stmt.ExecContext(ctx, m.AccountID, m.Urgency, m.Health.Score, string(raw), string(brief)); err != nil {
			return fmt.Errorf("recompute: store metrics of %s: %w", m.AccountID, err)
		}
	}
	book := bm
	book.Accounts = nil
	raw, err := json.Marshal(book)
	if err != nil {
		return fmt.Errorf("recompute: encode book metrics: %w", err)
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO book_metrics (id, data) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data", string(raw))
	return err
}

// loadAccountData reads what the rules need of every account but its usage
// (computeStored streams it), one query per table, grouped in memory.
func loadAccountData(ctx context.Context, tx *sql.Tx) ([]model.AccountData, error) {
	accts, err := loadJSON[model.Account](ctx, tx, "SELECT data FROM accounts ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	out := make([]model.AccountData, len(accts))
	index := make(map[string]int, len(accts))
	for i, a := range accts {
		out[i].Account = a
		index[a.ID] = i
	}
	contacts, err := loadJSON[model.Contact](ctx, tx, "SELECT data FROM contacts ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("read contacts: %w", err)
	}
	for _, c := range contacts {
		if i, ok := index[c.AccountID]; ok {
			out[i].Contacts = append(out[i].Contacts, c)
		}
	}
	nps, err := loadJSON[model.NPSResponse](ctx, tx, "SELECT data FROM nps ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("read nps: %w", err)
	}
	for _, n := range nps {
		if i, ok := index[n.AccountID]; ok {
			out[i].NPS = append(out[i].NPS, n)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT account_id, max(json_extract(data, '$.happened_at')) FROM notes
		WHERE json_extract(data, '$.kind') = 'qbr' GROUP BY account_id`)
	if err != nil {
		return nil, fmt.Errorf("read last QBRs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, at string
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		i, ok := index[id]
		if !ok || len(at) < 10 {
			continue
		}
		if d, err := model.ParseDate(at[:10]); err == nil {
			out[i].LastQBR = &d
		}
	}
	return out, rows.Err()
}

func loadCatalogue(ctx context.Context, q rowQuerier) (Catalogue, error) {
	var c Catalogue
	var err error
	if c.Features, err = loadJSON[model.Feature](ctx, q, "SELECT data FROM features ORDER BY id"); err != nil {
		return c, fmt.Errorf("read features: %w", err)
	}
	if c.Playbooks, err = loadJSON[model.Playbook](ctx, q, "SELECT data FROM playbooks ORDER BY id"); err != nil {
		return c, fmt.Errorf("read playbooks: %w", err)
	}
	if c.Checklists, err = loadJSON[model.Checklist](ctx, q, "SELECT data FROM checklists ORDER BY id"); err != nil {
		return c, fmt.Errorf("read checklists: %w", err)
	}
	return c, nil
}

// BookRow is one account as the book screen shows it.
type BookRow struct {
	Account model.Account
	Metrics model.AccountMetrics
}

// Book is the book screen's data: every account with its metrics, most
// urgent first, and the book-wide figures.
type Book struct {
	Rows []BookRow
	// Totals has the book-wide figures; its Accounts field is empty.
	Totals model.BookMetrics
	// Computed is false until metrics have been computed once.
	Computed bool
}

// Book reads the book screen's data in one snapshot.
func (s *Store) Book(ctx context.Context) (Book, error) {
	var b Book
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if b.Computed, b.Totals, err = readTotals(ctx, tx); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT a.data, m.data FROM accounts a JOIN metrics m ON m.account_id = a.id
			ORDER BY m.urgency DESC, m.health ASC, a.name, a.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var ra, rm []byte
		for rows.Next() {
			if err := rows.Scan(&ra, &rm); err != nil {
				return err
			}
			var r BookRow
			if err := json.Unmarshal(ra, &r.Account); err != nil {
				return fmt.Errorf("decode account: %w", err)
			}
			if err := json.Unmarshal(rm, &r.Metrics); err != nil {
				return fmt.Errorf("decode metrics: %w", err)
			}
			b.Rows = append(b.Rows, r)
		}
		return rows.Err()
	})
	if err != nil {
		return b, fmt.Errorf("read book: %w", err)
	}
	return b, nil
}
