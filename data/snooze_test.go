package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"

	"csm/model"
)

// A snooze goes through the one write path: its state and its snooze.set
// in one transaction; waking one that sleeps queues the wake, waking one
// that does not queues nothing; a bad key or an unknown account changes
// nothing.
func TestSnoozeQueuesSnoozeSet(t *testing.T) {
	ctx := context.Background()
	s, b, today := dueBook(t)
	// As after a sync with a server that takes snoozes: Pending lists them.
	if err := s.SetServerExtensions(ctx, model.ExtensionNames()); err != nil {
		t.Fatal(err)
	}
	a := b.Accounts[0].ID
	week := today + 7
	cases := []struct {
		name    string
		do      func() error
		wantErr bool
		queued  []model.SnoozeSet
		in      map[string]model.Date // a's snoozes in force after
	}{
		{"snooze the account", func() error { return s.Snooze(ctx, a, SnoozeAll, week) }, false,
			[]model.SnoozeSet{{AccountID: a, Key: SnoozeAll, Until: &week}}, map[string]model.Date{SnoozeAll: week}},
		{"snooze an alert", func() error { return s.Snooze(ctx, a, model.AlertCrisis, today) }, false,
			[]model.SnoozeSet{{AccountID: a, Key: model.AlertCrisis, Until: &today}}, map[string]model.Date{SnoozeAll: week, model.AlertCrisis: today}},
		{"wake the account", func() error { return s.Unsnooze(ctx, a, SnoozeAll) }, false,
			[]model.SnoozeSet{{AccountID: a, Key: SnoozeAll}}, map[string]model.Date{model.AlertCrisis: today}},
		{"wake it again: nothing to do", func() error { return s.Unsnooze(ctx, a, SnoozeAll) }, false,
			nil, map[string]model.Date{model.AlertCrisis: today}},
		{"wake what never slept", func() error { return s.Unsnooze(ctx, a, model.AlertSurprise) }, false,
			nil, map[string]model.Date{model.AlertCrisis: today}},
		{"unknown account", func() error { return s.Snooze(ctx, "nowhere", SnoozeAll, week) }, true,
			nil, map[string]model.Date{model.AlertCrisis: today}},
	}
	for _, c := range cases {
		before, _ := s.Pending(ctx, 1000)
		err := c.do()
		if (err != nil) != c.wantErr {
			t.Fatalf("%s: err %v", c.name, err)
		}
		after, _ := s.Pending(ctx, 1000)
		added := after[len(before):]
		if len(added) != len(c.queued) {
			t.Fatalf("%s: queued %d, want %d", c.name, len(added), len(c.queued))
		}
		for i, m := range added {
			var d model.SnoozeSet
			if err := json.Unmarshal(m.Data, &d); err != nil || m.Type != model.MutSnoozeSet || m.Entity != model.EntitySnooze ||
				m.EntityID != model.SnoozeID(a, d.Key) || d.AccountID != c.queued[i].AccountID || d.Key != c.queued[i].Key ||
				!sameDue(d.Until, c.queued[i].Until) {
				t.Fatalf("%s: queued %s %s %s, want %+v", c.name, m.Type, m.EntityID, m.Data, c.queued[i])
			}
		}
		got, err := s.Snoozes(ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(got[a]) != len(c.in) {
			t.Fatalf("%s: snoozes %v, want %v", c.name, got[a], c.in)
		}
		for k, d := range c.in {
			if got[a][k] != d {
				t.Fatalf("%s: snoozes %v, want %v", c.name, got[a], c.in)
			}
		}
	}
	// Ended snoozes are not in force.
	if got, _ := s.Snoozes(ctx, today+1); len(got[a]) != 0 {
		t.Fatalf("tomorrow: %v", got[a])
	}
}

// The snoozes set before they synced (schema 10) keep working after the
// upgrade.
func TestSnoozesSurviveTheUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), DBFile)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := migrateTo(ctx, db, 10); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO accounts (id, name, data, gen) VALUES ('a1', 'Old Co', '{"id":"a1","name":"Old Co"}', 1)`,
		`INSERT INTO snoozes (account_id, key, until) VALUES ('a1', '', '2026-12-01'), ('a1', 'crisis', '2026-11-25')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetServerExtensions(ctx, model.ExtensionNames()); err != nil {
		t.Fatal(err)
	}
	got, err := s.Snoozes(ctx, model.MakeDate(2026, 11, 20))
	if err != nil {
		t.Fatal(err)
	}
	if got["a1"][SnoozeAll] != model.MakeDate(2026, 12, 1) || got["a1"][model.AlertCrisis] != model.MakeDate(2026, 11, 25) {
		t.Fatalf("after the upgrade: %v", got)
	}
	if err := s.Unsnooze(ctx, "a1", SnoozeAll); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Pending(ctx, 10); len(p) != 1 || p[0].Type != model.MutSnoozeSet {
		t.Fatalf("waking an upgraded snooze queued %+v", p)
	}
}
