// Package complete answers shell completion for csm's arguments and flags:
// account ids and names from the local database, and the fixed words of
// note kinds, segments, sorts, roles and campaign templates. Completion
// runs on every Tab: it only reads, gives up after a moment, and says
// nothing when it cannot help (the shell then offers nothing).
package complete

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"csm/data"
	"csm/model"
	"csm/safe"
	"csm/settings"
)

// timeout bounds one completion: a Tab must never hang the shell.
const timeout = 2 * time.Second

// Account completes an ACCOUNT argument, the first: the ids of the
// accounts in the local database (each with its name beside it) whose id
// or name starts with what is typed, any case. It reads the database the
// invocation names (--data-dir, --demo, CSM_DATA_DIR), read-only; with no
// database yet it offers nothing and makes none.
func Account(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return accounts(cmd, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// AccountFlag completes a flag that names an account (--account).
func AccountFlag(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return accounts(cmd, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// AccountThen completes ACCOUNT first, then the next argument with next
// (csm campaign ACCOUNT TEMPLATE).
func AccountThen(next cobra.CompletionFunc) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) == 0 {
			return Account(cmd, args, toComplete)
		}
		return next(cmd, args[1:], toComplete)
	}
}

// Words completes from a fixed list (no file names).
func Words(words []string) cobra.CompletionFunc {
	return cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp)
}

// Templates completes a campaign template key, with its name beside it,
// as the first argument it is given.
func Templates(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, t := range model.CampaignTemplates() {
		if strings.HasPrefix(t.Key, toComplete) {
			out = append(out, cobra.CompletionWithDesc(t.Key, safe.Line(t.Name)))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// The fixed word lists csm's flags take.
var (
	NoteKinds = Words(model.NoteKinds)
	Segments  = Words(model.ViewKeys())
	Sorts     = Words(model.BookSortKeys())
	Roles     = Words(model.ContactRoles)
	Timeline  = Words(model.TimelineKinds)
)

// Flag registers the completion of one flag of cmd; a flag the command
// does not have is left alone.
func Flag(cmd *cobra.Command, name string, fn cobra.CompletionFunc) {
	if cmd.Flags().Lookup(name) != nil {
		_ = cmd.RegisterFlagCompletionFunc(name, fn)
	}
}

func accounts(cmd *cobra.Command, typed string) []cobra.Completion {
	path := dbPath(cmd)
	if _, err := os.Stat(path); err != nil {
		return nil // no database yet: nothing to offer, and none is made
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	st, err := data.OpenReader(ctx, path)
	if err != nil {
		return nil
	}
	defer st.Close()
	list, err := st.Accounts(ctx)
	if err != nil {
		return nil
	}
	return Match(list, typed)
}

// Match is the completion of typed among accounts: an id that starts with
// it, as "id<TAB>name", and, when something is typed, a name that starts
// with it (any case), as "name<TAB>id". Names are made safe for the
// shell's line: no control character, no tab.
func Match(list []model.Account, typed string) []cobra.Completion {
	lower := strings.ToLower(typed)
	var ids, names []cobra.Completion
	for _, a := range list {
		name := strings.TrimSpace(safe.Line(a.Name))
		if safe.Line(a.ID) != a.ID || strings.ContainsAny(a.ID, " \t") {
			continue // an id the shell's line cannot carry as it is
		}
		if strings.HasPrefix(strings.ToLower(a.ID), lower) {
			ids = append(ids, cobra.CompletionWithDesc(a.ID, name))
		}
		if typed != "" && name != "" && strings.HasPrefix(strings.ToLower(name), lower) && !strings.EqualFold(name, a.ID) {
			names = append(names, cobra.CompletionWithDesc(name, a.ID))
		}
	}
	return append(ids, names...)
}

// dbPath is the database an invocation reads, as its flags and the
// environment name it (no keyring, no server: completion needs neither).
func dbPath(cmd *cobra.Command) string {
	flag := func(name string) string {
		if f := cmd.Flags().Lookup(name); f != nil {
			return f.Value.String()
		}
		return ""
	}
	s := settings.Settings{DataDir: settings.DataDir(flag("data-dir"))}
	return s.WithDemo(flag("demo") == "true").DBPath()
}
