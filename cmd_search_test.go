package main

import (
	"strings"
	"testing"
	"time"

	"csm/data"
	"csm/search"
)

func TestSearch(t *testing.T) {
	cliEnv(t)
	accts := cliBook(t, nil)
	a, b := accts[0], accts[1]
	notes := []struct {
		account string
		args    []string
	}{
		{a.ID, []string{"-m", "Lunch at the café, talked about the zorbulator once", "--next", "Send the frobnitz deck", "--at", "2026-11-21 10:00"}},
		{b.ID, []string{"-m", "The zorbulator, and the zorbulator again", "--at", "2026-11-22 10:00"}},
		{b.ID, []string{"-m", "Escape \x1b]0;pwned\x07 attempt \x1b[31m grimwald\x1b[0m here"}},
	}
	for _, n := range notes {
		if r := cliRun(t, "", append([]string{"note", n.account}, n.args...)...); r.code != 0 {
			t.Fatal(r.output())
		}
	}

	tests := []struct {
		name  string
		args  []string
		code  int
		lines []string // each line of stdout must contain these, in order
	}{
		{"word in the body", []string{"cafe"}, 0, []string{"2026-11-21  " + a.Name + "  note  Lunch at the [café]"}},
		{"diacritics", []string{"café"}, 0, []string{"[café]"}},
		{"twice ranks above once", []string{"zorbulator"}, 0, []string{b.Name + "  note  The [zorbulator], and the [zorbulator] again", a.Name}},
		{"follow-up and the note's next step", []string{"frobnitz"}, 0, []string{"frobnitz", "frobnitz"}},
		{"several words", []string{"zorbulator", "lunch"}, 0, []string{a.Name}},
		{"prefix of the last word", []string{"zorbu"}, 0, []string{b.Name, a.Name}},
		{"limit", []string{"-n", "1", "zorbulator"}, 0, []string{b.Name}},
		{"no match", []string{"nothingmatchesthis"}, 0, []string{"no notes or follow-ups match"}},
		{"hostile snippet is sanitized", []string{"grimwald"}, 0, []string{"[grimwald] here"}},
		{"empty query", []string{" "}, 2, nil},
		{"no query", nil, 2, nil},
		{"bad limit", []string{"-n", "0", "x"}, 2, nil},
	}
	for _, q := range []string{`"`, `AND OR`, `*`, `NEAR(`, `-x`, `col:val`, `)`, `'`, `^`} {
		tests = append(tests, struct {
			name  string
			args  []string
			code  int
			lines []string
		}{"hostile " + q, []string{"--", q}, 0, nil})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cliRun(t, "", append([]string{"search"}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tt.code, r.output())
			}
			if strings.ContainsAny(r.output(), "\x1b\x07") {
				t.Errorf("output has control characters: %q", r.output())
			}
			if tt.lines == nil {
				return
			}
			got := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			if len(got) != len(tt.lines) {
				t.Fatalf("%d lines, want %d:\n%s", len(got), len(tt.lines), r.stdout)
			}
			for i, w := range tt.lines {
				if !strings.Contains(got[i], w) {
					t.Errorf("line %d = %q, want it to contain %q", i+1, got[i], w)
				}
			}
		})
	}
}

func TestSearchLine(t *testing.T) {
	h := data.Hit{Kind: data.HitTask, AccountName: "Acme\x1b[31m Co", When: time.Date(2026, 11, 21, 12, 0, 0, 0, time.Local),
		Snippet: "send " + data.MatchStart + "deck" + data.MatchEnd + "\nnow\x1b[0m"}
	want := "2026-11-21  Acme Co  follow-up  send [deck] now"
	if got := search.Line(h); got != want {
		t.Errorf("search.Line = %q, want %q", got, want)
	}
}
