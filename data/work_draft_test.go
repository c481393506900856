package data

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"csm/model"
)

// outboxTypes counts the pending changes by type.
func outboxTypes(t *testing.T, s *Store) map[string]int {
	t.Helper()
	m, err := s.Pending(context.Background(), 10000)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, x := range m {
		counts[x.Type]++
	}
	return counts
}

func TestCreateNoteWithAnIDSavesItOnce(t *testing.T) {
	s, accts := bookStore(t)
	ctx := context.Background()
	due := model.MakeDate(2026, 12, 1)
	in := NewNote{ID: uuid.NewString(), AccountID: accts[0].ID, Kind: model.NoteCall, HappenedAt: time.Now(), Body: "Renewal call",
		NextSteps: []NextStep{{Title: "Send quote", DueOn: &due}, {Title: "Book training"}}}
	first, err := s.CreateNote(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if first.ID != in.ID {
		t.Fatalf("note id = %s, want the pre-assigned %s", first.ID, in.ID)
	}
	// The second save, as after a crash before the draft was removed; even
	// with other text it is the same note.
	in.Body = "Renewal call, edited"
	second, err := s.CreateNote(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if second.ID != first.ID || second.Body != "Renewal call" || !second.CreatedAt.Equal(first.CreatedAt) {
		t.Errorf("second save = %+v, want the first note %+v", second, first)
	}
	got := outboxTypes(t, s)
	if got[model.MutNoteCreate] != 1 || got[model.MutTaskCreate] != 2 {
		t.Errorf("outbox = %v, want 1 note.create and 2 task.create", got)
	}
	d, err := s.AccountDetail(ctx, accts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	tasks := 0
	for _, tk := range d.Tasks {
		if tk.NoteID != nil && *tk.NoteID == in.ID {
			tasks++
		}
	}
	if tasks != 2 {
		t.Errorf("%d follow-ups of the note, want 2", tasks)
	}
}

func TestCreateNoteMakesAnIDWhenNoneIsGiven(t *testing.T) {
	s, accts := bookStore(t)
	in := NewNote{AccountID: accts[0].ID, Kind: model.NoteCall, HappenedAt: time.Now(), Body: "x"}
	a, errA := s.CreateNote(context.Background(), in)
	b, errB := s.CreateNote(context.Background(), in)
	if errA != nil || errB != nil || a.ID == b.ID || !isCanonicalUUID(a.ID) {
		t.Fatalf("two saves without an id: %q %v, %q %v; want two notes", a.ID, errA, b.ID, errB)
	}
}

func TestCreateNoteRefusesABadOrForeignID(t *testing.T) {
	s, accts := bookStore(t)
	ctx := context.Background()
	base := NewNote{AccountID: accts[0].ID, Kind: model.NoteCall, HappenedAt: time.Now(), Body: "x"}
	for _, id := range []string{"not-a-uuid", "../../etc/passwd", "{" + uuid.NewString() + "}", "6BA7B810-9DAD-11D1-80B4-00C04FD430C8"} {
		in := base
		in.ID = id
		if _, err := s.CreateNote(ctx, in); !errors.Is(err, ErrInvalid) {
			t.Errorf("id %q: err = %v, want ErrInvalid", id, err)
		}
	}
	in := base
	in.ID = uuid.NewString()
	if _, err := s.CreateNote(ctx, in); err != nil {
		t.Fatal(err)
	}
	in.AccountID = accts[1].ID
	if _, err := s.CreateNote(ctx, in); !errors.Is(err, ErrInvalid) {
		t.Errorf("the same id on another account: err = %v, want ErrInvalid", err)
	}
	if got := outboxTypes(t, s)[model.MutNoteCreate]; got != 1 {
		t.Errorf("%d note.create queued, want 1", got)
	}
}
