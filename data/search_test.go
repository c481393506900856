package data

import (
	"context"
	"strings"
	"testing"
	"time"

	"csm/model"
)

// bookStore opens a temporary store filled with a generated book of 20
// accounts, as the command tests use.
func bookStore(t *testing.T) (*Store, []model.Account) {
	t.Helper()
	s := openTemp(t)
	ctx := context.Background()
	b := model.Generate(model.GenOptions{Seed: 1, Accounts: 20, Days: 60, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	if err := s.ImportBook(ctx, b); err != nil {
		t.Fatal(err)
	}
	accts, err := s.Accounts(ctx)
	if err != nil || len(accts) < 2 {
		t.Fatalf("accounts = %d, %v", len(accts), err)
	}
	return s, accts
}

// addNote saves a note on account id, failing the test on error.
func addNote(t *testing.T, s *Store, id, body string, steps ...string) model.Note {
	t.Helper()
	in := NewNote{AccountID: id, Kind: model.NoteCall, HappenedAt: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC), Body: body}
	for _, st := range steps {
		in.NextSteps = append(in.NextSteps, NextStep{Title: st})
	}
	n, err := s.CreateNote(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSearchFindsNotesAndFollowUps(t *testing.T) {
	s, accts := bookStore(t)
	ctx := context.Background()
	a, b := accts[0], accts[1]
	n1 := addNote(t, s, a.ID, "Talked about the zebracorn rollout over a café", "Send the quokkadeck")
	n2 := addNote(t, s, b.ID, "Renewal blocked by the wombatron integration")

	tests := []struct {
		name     string
		query    string
		wantKind []string // kinds of the hits, any order
		wantID   string   // one hit must have this id (for notes)
		account  string
	}{
		{"body word", "zebracorn", []string{HitNote}, n1.ID, a.Name},
		{"case-insensitive", "ZEBRACORN", []string{HitNote}, n1.ID, a.Name},
		{"diacritics removed from the query side", "cafe", []string{HitNote}, n1.ID, a.Name},
		{"diacritics on the query side", "wómbatron", []string{HitNote}, n2.ID, b.Name},
		{"next step and its follow-up", "quokkadeck", []string{HitNote, HitTask}, n1.ID, a.Name},
		{"prefix of the last word", "zebrac", []string{HitNote}, n1.ID, a.Name},
		{"every word must match", "zebracorn rollout", []string{HitNote}, n1.ID, a.Name},
		{"no match when one word is missing", "zebracorn wombatron", nil, "", ""},
		{"no prefix after a space", "zebrac ", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := s.Search(ctx, tt.query, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != len(tt.wantKind) {
				t.Fatalf("got %d hits %+v, want kinds %v", len(hits), hits, tt.wantKind)
			}
			kinds := map[string]int{}
			found := tt.wantID == ""
			for _, h := range hits {
				kinds[h.Kind]++
				if h.ID == tt.wantID {
					found = true
				}
				if h.AccountName != tt.account {
					t.Errorf("hit account = %q, want %q", h.AccountName, tt.account)
				}
				if !strings.Contains(h.Snippet, MatchStart) || !strings.Contains(h.Snippet, MatchEnd) {
					t.Errorf("snippet %q has no match markers", h.Snippet)
				}
				if h.When.IsZero() {
					t.Errorf("hit %s has no date", h.ID)
				}
			}
			for _, k := range tt.wantKind {
				if kinds[k] == 0 {
					t.Errorf("no hit of kind %s in %+v", k, hits)
				}
			}
			if !found {
				t.Errorf("note %s not among the hits", tt.wantID)
			}
		})
	}
}

func TestSearchRanksMoreMatchesFirst(t *testing.T) {
	s, accts := bookStore(t)
	once := addNote(t, s, accts[0].ID, "the platypod came up alpha beta gamma")
	twice := addNote(t, s, accts[1].ID, "the platypod came up platypod beta gamma")
	hits, err := s.Search(context.Background(), "platypod", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 || hits[0].ID != twice.ID || hits[1].ID != once.ID {
		t.Fatalf("hits = %+v, want %s then %s", hits, twice.ID, once.ID)
	}
	if hits[0].Rank >= hits[1].Rank {
		t.Errorf("ranks %v, %v: the better match must rank lower", hits[0].Rank, hits[1].Rank)
	}
}

func TestSearchLeavesOutSupersededRevisions(t *testing.T) {
	s, accts := bookStore(t)
	ctx := context.Background()
	old := addNote(t, s, accts[0].ID, "first draft about the narwhalix")
	rev, err := s.ReviseNote(ctx, old.ID, model.NoteCall, "corrected text about the narwhalix", old.HappenedAt, nil)
	if err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(ctx, "narwhalix", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].ID != rev.ID {
		t.Fatalf("hits = %+v, want only revision %s", hits, rev.ID)
	}
}

func TestSearchSurvivesHostileQueries(t *testing.T) {
	s, accts := bookStore(t)
	addNote(t, s, accts[0].ID, `weird "quoted" text with AND OR NOT NEAR col:val -x *star*`)
	for _, q := range []string{
		`"`, `""`, `"unterminated`, `AND`, `AND OR`, `OR`, `NOT`, `*`, `**`, `NEAR(`, `NEAR(a b`,
		`-x`, `col:val`, `body:weird`, `^weird`, `(`, `)`, `{body}: x`, `'`, `\`, `a AND`, `x"y`,
		"\x00", "\x1b[31m", strings.Repeat("word ", 1000), strings.Repeat("é", 5000),
	} {
		if _, err := s.Search(context.Background(), q, 10); err != nil {
			t.Errorf("Search(%.40q): %v", q, err)
		}
	}
	// Operators typed as words are searched as words.
	hits, err := s.Search(context.Background(), `"quoted" NEAR( col:val`, 10)
	if err != nil || len(hits) != 1 {
		t.Errorf("hits = %+v, %v; want the note", hits, err)
	}
}

func TestSearchEmptyAndLimit(t *testing.T) {
	s, accts := bookStore(t)
	ctx := context.Background()
	for i := range 5 {
		addNote(t, s, accts[i].ID, "the dugongle again")
	}
	for _, q := range []string{"", "   ", "* - \""} {
		hits, err := s.Search(ctx, q, 10)
		if err != nil || hits != nil {
			t.Errorf("Search(%q) = %v, %v; want nothing", q, hits, err)
		}
	}
	hits, err := s.Search(ctx, "dugongle", 3)
	if err != nil || len(hits) != 3 {
		t.Errorf("limit 3: %d hits, %v", len(hits), err)
	}
	hits, err = s.Search(ctx, "dugongle", 0)
	if err != nil || len(hits) != 5 {
		t.Errorf("limit 0 (default): %d hits, %v", len(hits), err)
	}
}

func TestFTSQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  ", ""},
		{"pricing", `"pricing"*`},
		{"pricing ", `"pricing"`},
		{"renewal pricing", `"renewal" "pricing"*`},
		{`say "hi"`, `"say" """hi"""*`},
		{"AND OR", `"AND" "OR"*`},
		{"NEAR(", `"NEAR("*`},
		{"-x", `"-x"*`},
		{"col:val", `"col:val"*`},
		{"foo * -", `"foo"*`},
		{"café", `"café"*`},
		{"42", `"42"*`},
	}
	for _, tt := range tests {
		if got := ftsQuery(tt.in); got != tt.want {
			t.Errorf("ftsQuery(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	long := ftsQuery(strings.Repeat("w ", maxQueryTerms+5))
	if n := strings.Count(long, `"w"`); n != maxQueryTerms || strings.HasSuffix(long, "*") {
		t.Errorf("long query kept %d terms (%q)", n, long)
	}
}

func TestMarkMatches(t *testing.T) {
	got := MarkMatches("a "+MatchStart+"b"+MatchEnd+" c", "[", "]")
	if got != "a [b] c" {
		t.Errorf("MarkMatches = %q", got)
	}
}

func BenchmarkSearch(b *testing.B) {
	s, err := Open(context.Background(), b.TempDir()+"/"+DBFile)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	book := model.Generate(model.GenOptions{Seed: 1, Accounts: 1000, Days: 30, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	if err := s.ImportBook(context.Background(), book); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Search(context.Background(), "call renewal", 50); err != nil {
			b.Fatal(err)
		}
	}
}
