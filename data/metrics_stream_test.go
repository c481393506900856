package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"reflect"
	"testing"

	"csm/model"
)

// The recompute streams the usage account by account; what it computes is
// what the rules give over the whole book read at once: with packed usage,
// months stored as JSON (before migration 6), accounts without usage first,
// among others and last, and no usage at all.
func TestComputeStoredMatchesComputeBook(t *testing.T) {
	ctx := context.Background()
	book := model.Generate(model.GenOptions{Seed: 5, Accounts: 12, Days: 100, CSMs: 1})[0]
	for _, tt := range []struct {
		name string
		edit string // SQL run on the imported book first
	}{
		{"packed usage", ""},
		{"some months as JSON", `UPDATE usage_months SET data = ?, bin = NULL WHERE id IN (SELECT id FROM usage_months ORDER BY id LIMIT 30)`},
		{"accounts without usage", `DELETE FROM usage_months WHERE account_id IN (SELECT id FROM accounts ORDER BY id LIMIT 2)
			OR account_id IN (SELECT id FROM accounts ORDER BY id LIMIT 2 OFFSET 5) OR account_id = (SELECT max(id) FROM accounts)`},
		{"no usage at all", `DELETE FROM usage_months`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := openTemp(t)
			if err := st.ImportBook(ctx, book); err != nil {
				t.Fatal(err)
			}
			if tt.edit != "" {
				if err := asJSON(ctx, st, tt.edit); err != nil {
					t.Fatal(err)
				}
			}
			th := model.DefaultThresholds()
			err := st.readTx(ctx, func(tx *sql.Tx) error {
				// The whole book at once, as the recompute read it before.
				accts, err := loadAccountData(ctx, tx)
				if err != nil {
					return err
				}
				index := map[string]int{}
				for i, a := range accts {
					index[a.Account.ID] = i
				}
				months, err := readUsage(ctx, tx, "ORDER BY account_id, month")
				if err != nil {
					return err
				}
				for _, u := range months {
					if i, ok := index[u.AccountID]; ok {
						accts[i].Usage = append(accts[i].Usage, u)
					}
				}
				cat, err := loadCatalogue(ctx, tx)
				if err != nil {
					return err
				}
				want := model.ComputeBook(accts, cat.Features, cat.Playbooks, th)
				_, got, err := computeStored(ctx, tx, th)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("streamed recompute differs: as of %s (known %v), want %s (known %v); %d accounts, want %d",
						got.AsOf, got.UsageKnown, want.AsOf, want.UsageKnown, len(got.Accounts), len(want.Accounts))
				}
				if len(months) > 0 && !got.UsageKnown {
					t.Error("usage stored but not known")
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// asJSON runs an edit of the stored book; a ? in it is each row's usage as
// JSON, so a month can be put back as migration 6 found it.
func asJSON(ctx context.Context, st *Store, edit string) error {
	return st.inTxRefetchable(ctx, func(tx *sql.Tx) error {
		if !containsMark(edit) {
			_, err := tx.ExecContext(ctx, edit)
			return err
		}
		months, err := readUsage(ctx, tx, "ORDER BY id LIMIT 30")
		if err != nil {
			return err
		}
		for _, u := range months {
			raw, err := json.Marshal(u)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE usage_months SET data = ?, bin = NULL WHERE id = ?`, string(raw), u.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

func containsMark(s string) bool {
	for _, r := range s {
		if r == '?' {
			return true
		}
	}
	return false
}
