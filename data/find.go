package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"csm/model"
)

// ErrAmbiguous is returned when a query names several accounts.
var ErrAmbiguous = errors.New("ambiguous")

// maxCandidates is how many accounts an ambiguous query lists.
const maxCandidates = 5

// FindAccount resolves what a CSM types on the command line to one account:
// an exact id, else a case-insensitive prefix of the name. When several
// names share the prefix, one whose whole name is the query wins (so that
// "Acme" still names Acme next to "Acme Labs"); otherwise the error lists up
// to five candidates. Names in errors are quoted with %q, which escapes
// control characters, because the error is printed as is.
func (s *Store) FindAccount(ctx context.Context, query string) (model.Account, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return model.Account{}, fmt.Errorf("no account given: pass an id or the start of a name")
	}
	a, err := s.Account(ctx, q)
	if err == nil {
		return a, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return model.Account{}, err
	}

	type candidate struct{ id, name string }
	var matches, exact []candidate
	rows, err := s.db.QueryContext(ctx, "SELECT id, name FROM accounts ORDER BY name, id")
	if err != nil {
		return model.Account{}, fmt.Errorf("find account %q: %w", q, err)
	}
	defer rows.Close()
	lq := strings.ToLower(q)
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.id, &c.name); err != nil {
			return model.Account{}, fmt.Errorf("find account %q: %w", q, err)
		}
		ln := strings.ToLower(c.name)
		if !strings.HasPrefix(ln, lq) {
			continue
		}
		matches = append(matches, c)
		if ln == lq {
			exact = append(exact, c)
		}
	}
	if err := rows.Err(); err != nil {
		return model.Account{}, fmt.Errorf("find account %q: %w", q, err)
	}

	switch {
	case len(matches) == 1:
		return s.Account(ctx, matches[0].id)
	case len(exact) == 1:
		return s.Account(ctx, exact[0].id)
	case len(matches) == 0:
		return model.Account{}, &matchError{fmt.Sprintf("no account matches %q (by id or start of name)", q), ErrNotFound}
	}
	var list []string
	for _, c := range matches[:min(len(matches), maxCandidates)] {
		list = append(list, fmt.Sprintf("%q (%q)", c.name, c.id))
	}
	more := ""
	if n := len(matches) - maxCandidates; n > 0 {
		more = fmt.Sprintf(" and %d more", n)
	}
	return model.Account{}, &matchError{fmt.Sprintf("%q matches %d accounts: %s%s; type more of the name, or the id",
		q, len(matches), strings.Join(list, ", "), more), ErrAmbiguous}
}

// matchError is a sentence for the CSM that still answers errors.Is with
// ErrNotFound or ErrAmbiguous, without ending in ": not found".
type matchError struct {
	msg  string
	kind error
}

func (e *matchError) Error() string { return e.msg }
func (e *matchError) Unwrap() error { return e.kind }

// metaThresholdsHash is the meta key of the hash of the thresholds the
// stored metrics were last computed with.
const metaThresholdsHash = "thresholds_hash"

// EnsureThresholds makes th the thresholds of later recomputes and, when the
// stored metrics were computed with other thresholds (the config file
// changed), recomputes them now, so that every screen and command agrees
// with the config. A database whose metrics were never computed is left
// for its first sync to compute. Recompute records the hash of the
// thresholds it used in the same transaction as the metrics, so the two
// never disagree.
func (s *Store) EnsureThresholds(ctx context.Context, th model.Thresholds) (recomputed bool, err error) {
	current, err := s.ThresholdsCurrent(ctx, th)
	if err != nil || current {
		return false, err
	}
	if err := s.Recompute(ctx); err != nil {
		return false, fmt.Errorf("recompute with new thresholds: %w", err)
	}
	return true, nil
}

// ThresholdsCurrent sets the thresholds of later recomputes and says
// whether the stored metrics were computed with them (or there are none
// yet, which the next sync computes). It only reads.
func (s *Store) ThresholdsCurrent(ctx context.Context, th model.Thresholds) (bool, error) {
	hash, err := thresholdsHash(th)
	if err != nil {
		return false, err
	}
	s.SetThresholds(th)
	var old string
	var computed int
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if old, err = getMeta(ctx, tx, metaThresholdsHash); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT count(*) FROM book_metrics").Scan(&computed)
	})
	if err != nil {
		return false, fmt.Errorf("check thresholds: %w", err)
	}
	return old == hash || computed == 0, nil
}

// thresholdsHash names a set of thresholds, and the rules that used them,
// compactly.
func thresholdsHash(th model.Thresholds) (string, error) {
	raw, err := json.Marshal(th)
	if err != nil {
		return "", fmt.Errorf("hash thresholds: %w", err)
	}
	// The rules' version is part of the hash: metrics computed by older
	// rules are stale as surely as metrics of other thresholds.
	raw = fmt.Appendf(raw, "\nrules %d", model.RulesVersion)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:]), nil
}
