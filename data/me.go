package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"csm/model"
)

// The CSM this database belongs to, as the server's /me tells it at each
// sync: campaign drafts are signed with the name.

const metaCSMName = "csm_name"

// SetCSMName keeps the CSM's name; a blank name leaves the kept one alone.
func (s *Store) SetCSMName(ctx context.Context, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error { return setMeta(ctx, tx, metaCSMName, name) })
	if err != nil {
		return fmt.Errorf("record the CSM's name: %w", err)
	}
	return nil
}

// CSMName is the name SetCSMName kept, "" before the first sync.
func (s *Store) CSMName(ctx context.Context) (string, error) {
	var name string
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		name, err = getMeta(ctx, tx, metaCSMName)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("read the CSM's name: %w", err)
	}
	return name, nil
}

// CampaignFacts are what the campaign rules read about this account,
// signed with csmName; the as-of day is the book's, else today.
func (d *AccountDetail) CampaignFacts(csmName string, today model.Date) model.CampaignFacts {
	asOf := d.Book.AsOf
	if asOf == 0 {
		asOf = today
	}
	return model.CampaignFacts{
		Account:  d.Account,
		Contacts: d.Contacts,
		NPS:      d.NPS,
		Metrics:  d.Metrics,
		Features: d.Catalogue.Features,
		AsOf:     asOf,
		CSMName:  csmName,
	}
}
