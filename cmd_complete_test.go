package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"csm/model"
)

// Every ACCOUNT argument completes with the accounts of the local database
// (ids, and names once something is typed), whatever command it belongs
// to: the test walks the whole command tree, so a command added later
// without completion fails here.
func TestEveryAccountArgumentCompletes(t *testing.T) {
	cliEnv(t)
	accts := cliBook(t, nil)
	a := accts[2]
	var paths [][]string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if f := strings.Fields(sub.Use); len(f) > 1 && f[1] == "ACCOUNT" {
				paths = append(paths, strings.Fields(sub.CommandPath())[1:])
			}
			walk(sub)
		}
	}
	walk(newRootCmd())
	if len(paths) < 5 {
		t.Fatalf("only %d commands take ACCOUNT: %v", len(paths), paths)
	}
	for _, p := range paths {
		name := strings.Join(p, " ")
		code, out, errOut := invoke(t, append(append([]string{"__complete"}, p...), "")...)
		if code != 0 || !strings.Contains(out, a.ID+"\t"+a.Name+"\n") || !strings.HasSuffix(out, ":4\n") {
			t.Errorf("csm %s <TAB>: exit %d, %q %q; want %s among the accounts, no file names (:4)", name, code, trim(out), errOut, a.ID)
		}
		code, out, _ = invoke(t, append(append([]string{"__complete"}, p...), strings.ToLower(a.Name[:5]))...)
		if code != 0 || !strings.Contains(out, a.Name+"\t"+a.ID+"\n") {
			t.Errorf("csm %s %s<TAB>: %q, want the name %q", name, strings.ToLower(a.Name[:5]), trim(out), a.Name)
		}
	}
}

// The flags and arguments that take a fixed word complete with it.
func TestWordsComplete(t *testing.T) {
	cliEnv(t)
	accts := cliBook(t, nil)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"note", accts[0].ID, "--kind", ""}, model.NoteKinds[0] + "\n"},
		{[]string{"note", accts[0].ID, "--kind", "q"}, "qbr\n"},
		{[]string{"accounts", "--segment", ""}, "needs_me\n"},
		{[]string{"accounts", "--sort", ""}, model.BookSortKeys()[0] + "\n"},
		{[]string{"campaign", accts[0].ID, "win"}, "win_back\t"},
		{[]string{"timeline", accts[0].ID, "--kind", ""}, model.TimelineKinds[0] + "\n"},
		{[]string{"contact", "add", accts[0].ID, "--role", "cha"}, "champion\n"},
	}
	for _, tc := range tests {
		code, out, _ := invoke(t, append([]string{"__complete"}, tc.args...)...)
		if code != 0 || !strings.Contains(out, tc.want) || !strings.HasSuffix(out, ":4\n") {
			t.Errorf("csm %s<TAB>: %q, want %q", strings.Join(tc.args, " "), trim(out), tc.want)
		}
	}
}

func trim(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
