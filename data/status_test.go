package data

import (
	"context"
	"testing"
	"time"

	"csm/model"
)

func TestLastSyncRoundTrip(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	at, sum, err := s.LastSync(ctx)
	if err != nil || !at.IsZero() || sum != "" {
		t.Fatalf("fresh store: LastSync = %v, %q, %v; want never", at, sum, err)
	}
	when := time.Date(2026, 11, 23, 10, 15, 0, 123456000, time.FixedZone("CET", 3600))
	if err := s.SetLastSync(ctx, when, "pulled 3 changes"); err != nil {
		t.Fatal(err)
	}
	at, sum, err = s.LastSync(ctx)
	if err != nil || !at.Equal(when) || sum != "pulled 3 changes" {
		t.Fatalf("LastSync = %v, %q, %v", at, sum, err)
	}
}

func TestStatus(t *testing.T) {
	ctx := context.Background()
	t.Run("fresh store", func(t *testing.T) {
		s := openTemp(t)
		st, err := s.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !st.LastSyncAt.IsZero() || st.Pending != 0 || len(st.Rejected) != 0 || st.AsOfKnown {
			t.Errorf("fresh status = %+v", st)
		}
		if st.SchemaVersion != SchemaVersion || st.Path != s.Path() || st.Size <= 0 {
			t.Errorf("schema %d, path %q, size %d", st.SchemaVersion, st.Path, st.Size)
		}
	})

	t.Run("waiting and rejected changes", func(t *testing.T) {
		s, accts := bookStore(t)
		a, b := accts[0], accts[1]
		addNote(t, s, a.ID, "call went well", "send the deck", "book a training")
		addNote(t, s, b.ID, "they want a discount")
		// The server refuses b's note.
		pending, err := s.Pending(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var refused Mutation
		for _, m := range pending {
			if m.AccountID == b.ID {
				refused = m
			}
		}
		if err := s.RecordResults(ctx, []Result{{ID: refused.ID, ErrorCode: "invalid", ErrorMsg: "account is not in your book"}}); err != nil {
			t.Fatal(err)
		}

		st, err := s.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []TypeCount{{model.MutTaskCreate, 2}, {model.MutNoteCreate, 1}}
		if st.Pending != 3 || len(st.PendingByType) != 2 || st.PendingByType[0] != want[0] || st.PendingByType[1] != want[1] {
			t.Errorf("pending = %d %+v, want 3 %+v", st.Pending, st.PendingByType, want)
		}
		if len(st.Rejected) != 1 {
			t.Fatalf("rejected = %+v, want one", st.Rejected)
		}
		r := st.Rejected[0]
		if r.Type != model.MutNoteCreate || r.AccountName != b.Name || r.ErrorCode != "invalid" ||
			r.ErrorMsg != "account is not in your book" || r.At.IsZero() {
			t.Errorf("rejected change = %+v", r)
		}
		if !st.AsOfKnown || st.AsOf != model.MakeDate(2026, 11, 20) {
			t.Errorf("as of = %v (known %v), want 2026-11-20", st.AsOf, st.AsOfKnown)
		}
	})
}
