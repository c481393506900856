package sync

import (
	"context"
	"testing"

	"csm/model"
)

// A sync keeps the CSM's name from /me, for campaign drafts to be signed
// with it.
func TestSyncKeepsTheCSMName(t *testing.T) {
	f := newFixture(t, 5, nil)
	ctx := context.Background()
	if _, err := Run(ctx, f.client(t), f.store); err != nil {
		t.Fatal(err)
	}
	want := model.Generate(model.GenOptions{Seed: 3, Accounts: 5, Days: 120, AsOf: model.MakeDate(2026, 11, 20), CSMs: 2})[0].CSM.Name
	name, err := f.store.CSMName(ctx)
	if err != nil || name == "" || name != want {
		t.Fatalf("CSMName after a sync = %q, %v; want %q", name, err, want)
	}
}
