package sync

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"csm/model"
)

// The CSMs and their tokens, as `csm admin` manages them, and generated
// books for demos and tests.

// createdAtLayout is how csms.created_at is written.
const createdAtLayout = time.RFC3339Nano

// AddCSM adds a CSM with the hash of their first token; an empty hash
// leaves them without one (see RevokeToken).
func (s *SQLStore) AddCSM(ctx context.Context, csm model.CSM, tokenHash string) error {
	return s.writeTx(ctx, func(tx *sql.Tx) error { return insertCSM(ctx, tx, csm, tokenHash) })
}

// insertCSM adds a CSM, or fails with ErrCSMExists when the email (or the
// id) is taken.
func insertCSM(ctx context.Context, tx *sql.Tx, csm model.CSM, tokenHash string) error {
	if csm.ID == "" || csm.Email == "" {
		return fmt.Errorf("add CSM %q <%s>: a CSM needs an id and an email", csm.ID, csm.Email)
	}
	var hash any // NULL: no token
	if tokenHash != "" {
		hash = tokenHash
	}
	// DO NOTHING on any unique key, then count: a race between two admins
	// adding one email ends in ErrCSMExists for one, not in a driver's
	// constraint error.
	res, err := tx.ExecContext(ctx, `INSERT INTO csms (id, email, name, token_hash, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
		csm.ID, csm.Email, csm.Name, hash, time.Now().UTC().Format(createdAtLayout))
	if err != nil {
		return fmt.Errorf("add CSM %q <%s>: %w", csm.ID, csm.Email, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("add CSM %q <%s>: %w", csm.ID, csm.Email, ErrCSMExists)
	}
	return nil
}

// SetToken replaces the token hash of the CSM with that email; ErrNoCSM
// when there is none.
func (s *SQLStore) SetToken(ctx context.Context, email, tokenHash string) error {
	if tokenHash == "" {
		return fmt.Errorf("set the token of %s: empty token hash", email)
	}
	return s.setTokenHash(ctx, email, tokenHash)
}

// RevokeToken leaves the CSM with that email without a token.
func (s *SQLStore) RevokeToken(ctx context.Context, email string) error {
	return s.setTokenHash(ctx, email, nil)
}

func (s *SQLStore) setTokenHash(ctx context.Context, email string, hash any) error {
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE csms SET token_hash = $1 WHERE email = $2`, hash, email)
		if err != nil {
			return fmt.Errorf("set the token of %s: %w", email, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("set the token of %s: %w", email, ErrNoCSM)
		}
		return nil
	})
}

// CSMs lists every CSM by email, without tokens.
func (s *SQLStore) CSMs(ctx context.Context) ([]CSMInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, email, token_hash IS NOT NULL, created_at FROM csms ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("list CSMs: %w", err)
	}
	defer rows.Close()
	out := []CSMInfo{}
	for rows.Next() {
		var c CSMInfo
		var created string
		if err := rows.Scan(&c.CSM.ID, &c.CSM.Name, &c.CSM.Email, &c.HasToken, &created); err != nil {
			return nil, fmt.Errorf("list CSMs: %w", err)
		}
		if c.CreatedAt, err = time.Parse(createdAtLayout, created); err != nil {
			return nil, fmt.Errorf("list CSMs: created_at of %s: %w", c.CSM.Email, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list CSMs: %w", err)
	}
	return out, nil
}

// SeedTenants stores generated books: for each tenant a new CSM, with the
// hash of its token (none when the token is empty), and every entity of
// its book, in the order of its first feed (catalogues first, dependents
// after), as NewMemoryStore holds them. All tenants go in one
// transaction: a CSM that exists already (ErrCSMExists) writes nothing.
func (s *SQLStore) SeedTenants(ctx context.Context, tenants []Tenant) error {
	if len(tenants) == 0 {
		return nil
	}
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		for _, tn := range tenants {
			csm := tn.Book.CSM
			hash := ""
			if tn.Token != "" {
				hash = HashToken(tn.Token)
			}
			if err := insertCSM(ctx, tx, csm, hash); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
			b, err := s.lockBook(ctx, tx, csm.ID)
			if err != nil {
				return fmt.Errorf("seed: %w", err)
			}
			for _, e := range bookEntities(tn.Book) {
				id := EntityID(e.entity, e.v)
				if id == "" {
					return fmt.Errorf("seed CSM %q: a %s without an id", csm.ID, e.entity)
				}
				if _, err := b.Put(e.entity, id, encodeModel(e.v)); err != nil {
					return fmt.Errorf("seed CSM %q: %w", csm.ID, err)
				}
			}
			if err := b.saveSeq(); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
		}
		return nil
	})
}
