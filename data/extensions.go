package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"csm/model"
)

// What the server takes beyond docs/API.md, as its /me listed it at the
// last sync. A mutation that needs an extension the server did not list
// (model.Extensions) stays in the outbox, unsent and not counted
// as waiting, and goes once a server lists it: a contract-only server
// never sees a change it would refuse.

const metaServerExtensions = "server_extensions"

// SetServerExtensions keeps the extensions a server listed, among those
// this client speaks.
func (s *Store) SetServerExtensions(ctx context.Context, listed []string) error {
	var known []string
	for _, e := range model.ExtensionNames() {
		if slices.Contains(listed, e) {
			known = append(known, e)
		}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error { return setMeta(ctx, tx, metaServerExtensions, strings.Join(known, ",")) })
	if err != nil {
		return fmt.Errorf("record the server's extensions: %w", err)
	}
	return nil
}

// sendable is the SQL condition of an outbox row that can go to the
// server now: pending, and of a type the server takes. Its values are
// the model's constants, never data.
var sendable = sendableCondition()

func sendableCondition() string {
	cond := "state = 'pending'"
	for _, e := range model.Extensions {
		types := make([]string, len(e.Mutations))
		for i, t := range e.Mutations {
			types[i] = "'" + t + "'"
		}
		cond += fmt.Sprintf(" AND (type NOT IN (%s) OR EXISTS (SELECT 1 FROM meta WHERE key = '%s' AND instr(',' || value || ',', ',%s,') > 0))",
			strings.Join(types, ", "), metaServerExtensions, e.Name)
	}
	return cond
}
