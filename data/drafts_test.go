package data

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"csm/model"
)

func testDraft(account, body string) Draft {
	d := NewDraft(account, model.NoteCall, DraftFromTUI, time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC))
	d.Body = body
	return d
}

func TestDraftsLiveBesideTheDatabasePrivately(t *testing.T) {
	s := openTemp(t)
	dr := s.Drafts()
	if want := s.Path() + ".drafts"; dr.Dir() != want {
		t.Fatalf("drafts dir = %s, want %s", dr.Dir(), want)
	}
	if _, err := os.Stat(dr.Dir()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the directory exists before the first draft: %v", err)
	}
	d := testDraft("a1", "half a sentence")
	if err := dr.Save(d); err != nil {
		t.Fatal(err)
	}
	di, err := os.Stat(dr.Dir())
	if err != nil || di.Mode().Perm() != 0o700 {
		t.Fatalf("drafts dir mode = %v, %v; want 0700", di.Mode().Perm(), err)
	}
	fi, err := os.Stat(dr.Path(d.ID))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("draft file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if s.Drafts() != dr {
		t.Error("a second Drafts() of the store is another value: saves would not be ordered together")
	}
}

func TestDraftRoundTripAndOrder(t *testing.T) {
	dr := DraftsIn(filepath.Join(t.TempDir(), "x.drafts"))
	due := "2026-12-01"
	older := testDraft("a1", "first call")
	older.UpdatedAt = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	newer := testDraft("a1", "second call")
	newer.NextSteps = []DraftStep{{Title: "Send quote", Due: due}, {Title: "Call back", Due: "fr"}, {Title: "  ", Due: "tomorrow"}}
	newer.UpdatedAt = time.Date(2026, 11, 21, 14, 32, 0, 0, time.UTC)
	other := testDraft("a2", "another account")
	for _, d := range []Draft{older, newer, other} {
		if err := dr.Save(d); err != nil {
			t.Fatal(err)
		}
	}
	got, err := dr.ForAccount("a1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != newer.ID || got[1].ID != older.ID {
		t.Fatalf("ForAccount = %+v, want newer then older", got)
	}
	g := got[0]
	if g.Body != "second call" || g.Kind != model.NoteCall || !g.HappenedAt.Equal(newer.HappenedAt) ||
		!g.UpdatedAt.Equal(newer.UpdatedAt) || g.Source != DraftFromTUI || len(g.NextSteps) != 3 {
		t.Errorf("read back %+v", g)
	}
	in := g.NewNote()
	if in.ID != newer.ID || in.Body != "second call" || len(in.NextSteps) != 2 {
		t.Fatalf("NewNote = %+v", in)
	}
	if in.NextSteps[0].DueOn == nil || in.NextSteps[0].DueOn.String() != due {
		t.Errorf("step 1 = %+v, want due %s", in.NextSteps[0], due)
	}
	// A due text that is not a day is kept in the title, not dropped.
	if in.NextSteps[1].Title != "Call back due fr" || in.NextSteps[1].DueOn != nil {
		t.Errorf("step 2 = %+v", in.NextSteps[1])
	}
	all, bad, err := dr.List()
	if len(all) != 3 || len(bad) != 0 || err != nil {
		t.Errorf("List = %d drafts, %v, %v", len(all), bad, err)
	}
}

func TestDraftRemove(t *testing.T) {
	dr := DraftsIn(filepath.Join(t.TempDir(), "x.drafts"))
	d := testDraft("a1", "words")
	if err := dr.Save(d); err != nil {
		t.Fatal(err)
	}
	if err := dr.Remove(d.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := dr.ForAccount("a1"); len(got) != 0 {
		t.Fatalf("removed draft still listed: %+v", got)
	}
	if err := dr.Remove(d.ID); err != nil {
		t.Errorf("removing it again: %v, want nil", err)
	}
	// A write queued before the removal, arriving after it, must not bring
	// the draft of a saved note back.
	d.Body = "late snapshot"
	d.Seq = 99
	if err := dr.Save(d); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dr.Path(d.ID)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a late save recreated a removed draft: %v", err)
	}
	if err := dr.Remove("../../csm.db"); !errors.Is(err, ErrInvalid) {
		t.Errorf("Remove of a path: %v, want ErrInvalid", err)
	}
}

func TestDraftSaveRefusesBadDrafts(t *testing.T) {
	dr := DraftsIn(filepath.Join(t.TempDir(), "x.drafts"))
	for _, d := range []Draft{
		{ID: "../evil", AccountID: "a1"},
		{ID: "", AccountID: "a1"},
		{ID: NewDraft("a1", "call", DraftFromCLI, time.Now()).ID},
	} {
		if err := dr.Save(d); !errors.Is(err, ErrInvalid) {
			t.Errorf("Save(%+v) = %v, want ErrInvalid", d, err)
		}
	}
}

// Saves of one draft race as a TUI's commands do: each in its own
// goroutine, in any order. The file must end with the newest snapshot.
func TestConcurrentDraftSavesKeepTheNewest(t *testing.T) {
	dr := DraftsIn(filepath.Join(t.TempDir(), "x.drafts"))
	base := testDraft("a1", "")
	const n = 200
	order := rand.Perm(n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, i := range order {
		d := base
		d.Seq = int64(i + 1)
		d.Body = strings.Repeat("x", i+1)
		wg.Go(func() {
			if err := dr.Save(d); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := dr.ForAccount("a1")
	if err != nil || len(got) != 1 {
		t.Fatalf("ForAccount = %+v, %v", got, err)
	}
	if got[0].Seq != n || len(got[0].Body) != n {
		t.Errorf("file holds snapshot %d (%d bytes), want %d", got[0].Seq, len(got[0].Body), n)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dr.Dir(), ".*")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestDraftSaveWithoutSeqFollowsTheLast(t *testing.T) {
	dr := DraftsIn(filepath.Join(t.TempDir(), "x.drafts"))
	d := testDraft("a1", "one")
	for _, body := range []string{"one", "two", "three"} {
		d.Body = body
		if err := dr.Save(d); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := dr.ForAccount("a1")
	if len(got) != 1 || got[0].Body != "three" || got[0].Seq != 3 {
		t.Fatalf("got %+v, want body three at seq 3", got)
	}
}

// A write cut short leaves its temporary file and the previous version;
// garbage in the directory is reported, never deleted, never fatal.
func TestUnreadableDraftsAreReportedAndKept(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x.drafts")
	dr := DraftsIn(dir)
	good := testDraft("a1", "the real words")
	if err := dr.Save(good); err != nil {
		t.Fatal(err)
	}
	other := NewDraft("a1", "call", DraftFromCLI, time.Now())
	wrongName := testDraft("a1", "x")
	wrongRaw, _ := json.Marshal(wrongName)
	files := map[string][]byte{
		"." + good.ID + ".json.123.tmp":               []byte(`{"id":"` + good.ID + `","body":"the re`), // a kill mid-write
		other.ID + ".json":                            []byte("\x00\xff garbage"),
		NewDraft("", "", "", time.Now()).ID + ".json": []byte(`{"id":"x"}`),
		"notes.txt":                []byte("not ours"),
		"not-a-uuid.json":          []byte(`{"id":"not-a-uuid","account_id":"a1"}`),
		wrongName.ID[:8] + ".json": wrongRaw,
	}
	for name, raw := range files {
		if err := os.WriteFile(filepath.Join(dir, name), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, NewDraft("a1", "", "", time.Now()).ID+".json"), 0o700); err != nil {
		t.Fatal(err)
	}
	drafts, bad, err := dr.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) != 1 || drafts[0].Body != "the real words" {
		t.Errorf("drafts = %+v, want the one good draft", drafts)
	}
	if len(bad) != 5 {
		t.Errorf("unreadable = %+v, want 5", bad)
	}
	for _, b := range bad {
		if b.Err == nil || b.Path == "" {
			t.Errorf("unreadable entry without its path or reason: %+v", b)
		}
	}
	for name := range files {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s was removed: %v", name, err)
		}
	}
}

func TestDraftsOfAMissingOrUnreadableDirectory(t *testing.T) {
	dr := DraftsIn(filepath.Join(t.TempDir(), "none.drafts"))
	if d, bad, err := dr.List(); d != nil || bad != nil || err != nil {
		t.Errorf("List of a missing directory = %v, %v, %v; want nothing", d, bad, err)
	}
	// A file where the directory should be: saving fails with a reason.
	path := filepath.Join(t.TempDir(), "file.drafts")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := DraftsIn(path).Save(testDraft("a1", "x")); err == nil {
		t.Error("Save into a file succeeded")
	}
	if _, _, err := DraftsIn(path).List(); err == nil {
		t.Error("List of a file succeeded")
	}
}

// A draft saves as one note however often it is saved: the promise that
// lets a restored draft be saved after a crash.
func TestDraftSavesAsOneNote(t *testing.T) {
	s, accts := bookStore(t)
	ctx := context.Background()
	d := testDraft(accts[0].ID, "Pricing call")
	d.NextSteps = []DraftStep{{Title: "Send quote", Due: "2026-12-01"}}
	if err := s.Drafts().Save(d); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		got, err := s.Drafts().ForAccount(accts[0].ID)
		if err != nil || len(got) != 1 {
			t.Fatalf("ForAccount = %v, %v", got, err)
		}
		if _, err := s.CreateNote(ctx, got[0].NewNote()); err != nil {
			t.Fatal(err)
		}
		// No Remove: csm died before it.
	}
	if got := outboxTypes(t, s); got[model.MutNoteCreate] != 1 || got[model.MutTaskCreate] != 1 {
		t.Errorf("outbox = %v, want one note.create and one task.create", got)
	}
}
