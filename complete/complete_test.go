package complete

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/model"
)

func TestMatch(t *testing.T) {
	list := []model.Account{
		{ID: "a-1", Name: "Acme Corp"},
		{ID: "a-2", Name: "acorn Labs"},
		{ID: "b-1", Name: "Evil\x1b]0;pwned\x07\tCo"},
		{ID: "bad\tid", Name: "Tabbed"},
	}
	tests := []struct {
		typed string
		want  []string
	}{
		{"", []string{"a-1\tAcme Corp", "a-2\tacorn Labs", "b-1\tEvil Co"}},
		{"a-", []string{"a-1\tAcme Corp", "a-2\tacorn Labs"}},
		{"AC", []string{"Acme Corp\ta-1", "acorn Labs\ta-2"}},
		{"acm", []string{"Acme Corp\ta-1"}},
		{"evil", []string{"Evil Co\tb-1"}},
		{"tab", nil},
		{"zzz", nil},
	}
	for _, tc := range tests {
		got := Match(list, tc.typed)
		var strs []string
		for _, c := range got {
			strs = append(strs, string(c))
		}
		if !reflect.DeepEqual(strs, tc.want) {
			t.Errorf("Match(%q) = %q, want %q", tc.typed, strs, tc.want)
		}
	}
}

// cmdWith is a command with the root's settings flags, as csm's are.
func cmdWith(dataDir string) *cobra.Command {
	c := &cobra.Command{Use: "brief ACCOUNT"}
	c.Flags().String("data-dir", dataDir, "")
	c.Flags().Bool("demo", false, "")
	return c
}

func TestAccountReadsTheDatabaseOnly(t *testing.T) {
	t.Setenv("CSM_CONFIG", filepath.Join(t.TempDir(), "none.toml"))
	empty := t.TempDir()
	got, dir := Account(cmdWith(empty), nil, "")
	if len(got) != 0 || dir != cobra.ShellCompDirectiveNoFileComp {
		t.Errorf("no database: %v, %v", got, dir)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("completion made files: %v", entries)
	}

	full := t.TempDir()
	st, err := data.Open(context.Background(), filepath.Join(full, data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	book := model.Generate(model.GenOptions{Seed: 2, Accounts: 12, Days: 40, CSMs: 1})[0]
	if err := st.ImportBook(context.Background(), book); err != nil {
		t.Fatal(err)
	}
	st.Close()
	start := time.Now()
	got, _ = Account(cmdWith(full), nil, "")
	if len(got) != len(book.Accounts) {
		t.Errorf("%d completions for %d accounts: %v", len(got), len(book.Accounts), got)
	}
	if took := time.Since(start); took > timeout {
		t.Errorf("took %v", took)
	}
	a := book.Accounts[3]
	got, _ = Account(cmdWith(full), nil, strings.ToLower(a.Name[:4]))
	found := false
	for _, c := range got {
		found = found || string(c) == a.Name+"\t"+a.ID
	}
	if !found {
		t.Errorf("typing %q: %v, want %q among them", a.Name[:4], got, a.Name)
	}
	if got, _ := Account(cmdWith(full), []string{a.ID}, ""); len(got) != 0 {
		t.Errorf("a second argument completed as an account: %v", got)
	}
	then := AccountThen(Templates)
	if got, _ := then(cmdWith(full), []string{a.ID}, "win"); len(got) != 1 || !strings.HasPrefix(string(got[0]), "win_back\t") {
		t.Errorf("campaign's TEMPLATE: %v", got)
	}
}

func TestFlagWords(t *testing.T) {
	c := &cobra.Command{Use: "note"}
	c.Flags().String("kind", "", "")
	Flag(c, "kind", NoteKinds)
	Flag(c, "nope", NoteKinds) // not a flag of c: left alone
	fn, ok := c.GetFlagCompletionFunc("kind")
	if !ok {
		t.Fatal("--kind has no completion")
	}
	got, _ := fn(c, nil, "")
	if len(got) != len(model.NoteKinds) || string(got[0]) != model.NoteKinds[0] {
		t.Errorf("--kind completes %v", got)
	}
}
