package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/zalando/go-keyring"
)

// emptyKeyring is an OS keyring that holds nothing.
type emptyKeyring struct{}

func (emptyKeyring) Get(string, string) (string, error) { return "", keyring.ErrNotFound }
func (emptyKeyring) Set(string, string, string) error   { return nil }
func (emptyKeyring) Delete(string, string) error        { return nil }

// isolated gives a test its own data, config and temporary directories, no
// server, no token and an empty keyring. It returns the directories csm
// could write to, which bad invocations must leave empty.
func isolated(t *testing.T) []string {
	t.Helper()
	dirs := []string{t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()}
	t.Setenv("CSM_DATA_DIR", dirs[0])
	t.Setenv("XDG_CONFIG_HOME", dirs[1])
	t.Setenv("XDG_DATA_HOME", dirs[2])
	t.Setenv("TMPDIR", dirs[3])
	for _, k := range []string{"CSM_CONFIG", "CSM_SERVER_URL", "CSM_TOKEN", "VISUAL", "EDITOR"} {
		t.Setenv(k, "")
	}
	old := keyringStore
	keyringStore = emptyKeyring{}
	t.Cleanup(func() { keyringStore = old })
	return dirs
}

// invoke runs csm through run(), the real entry point, with stdin empty,
// and returns the exit code and what it printed.
func invoke(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return invokeRoot(t, newRootCmd(), args...)
}

// invokeRoot is invoke with a command tree of the test's own.
func invokeRoot(t *testing.T, root *cobra.Command, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	dir := t.TempDir()
	files := make([]*os.File, 3)
	for i := range files {
		f, err := os.CreateTemp(dir, "std")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		files[i] = f
	}
	old := os.Stdin
	os.Stdin = files[2]
	defer func() { os.Stdin = old }()
	code = runRoot(root, args, files[0], files[1])
	read := func(f *os.File) string {
		b, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	return code, read(files[0]), read(files[1])
}

// untouched fails the test if any of dirs holds a file.
func untouched(t *testing.T, dirs []string) {
	t.Helper()
	for _, d := range dirs {
		var found []string
		filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if p != d {
				found = append(found, p)
			}
			return nil
		})
		if len(found) > 0 {
			t.Errorf("a bad invocation wrote %v", found)
		}
	}
}

func TestBadInvocations(t *testing.T) {
	cases := []struct {
		args  []string
		token string // CSM_TOKEN
		want  string // in stderr
	}{
		{args: []string{"--bogus"}, want: "unknown flag: --bogus"},
		{args: []string{"bogus"}, want: `unknown command "bogus"`},
		{args: []string{"--data-dir"}, want: "flag needs an argument: --data-dir"},
		{args: []string{"sync", "extra"}, want: `unknown command "extra" for "csm sync"`},
		{args: []string{"sync", "--bogus"}, want: "unknown flag: --bogus"},
		{args: []string{"sync"}, want: "no server configured"},
		{args: []string{"sync", "--server", "http://127.0.0.1:1"}, want: "no token"},
		{args: []string{"sync", "--server", "ftp://example.com"}, token: "t0ken", want: "scheme must be http or https"},
		{args: []string{"sync", "--server", "http://example.com"}, token: "t0ken", want: "plain http is allowed only to loopback"},
		{args: []string{"serve", "--accounts", "-1"}, want: "--accounts must be between 1 and 100000, got -1"},
		{args: []string{"serve", "--accounts", "abc"}, want: `invalid argument "abc" for "--accounts"`},
		{args: []string{"serve", "--days", "0"}, want: "--days must be between 1 and 3660"},
		{args: []string{"serve", "--token", ""}, want: "--token must not be empty"},
		{args: []string{"serve", "extra"}, want: `unknown command "extra"`},
		{args: []string{"demo", "--accounts", "0"}, want: "--accounts must be between 1 and 100000"},
		{args: []string{"demo", "--days", "99999"}, want: "--days must be between 1 and 3660"},
		{args: []string{"demo", "--seed", "x"}, want: `invalid argument "x" for "--seed"`},
		{args: []string{"repair", "extra"}, want: `unknown command "extra" for "csm repair"`},
		{args: []string{"repair", "--bogus"}, want: "unknown flag: --bogus"},
		{args: []string{"accounts", "--sort", "bogus"}, want: `unknown sort field "bogus"`},
		{args: []string{"accounts", "--segment", "bogus"}, want: `unknown segment "bogus"`},
		{args: []string{"accounts", "extra"}, want: `unknown command "extra"`},
		{args: []string{"status", "extra"}, want: `unknown command "extra"`},
		{args: []string{"brief"}, want: "csm brief needs ACCOUNT: csm brief ACCOUNT [flags]"},
		{args: []string{"brief", "a", "b"}, want: "csm brief takes ACCOUNT only: csm brief ACCOUNT [flags]"},
		{args: []string{"note"}, want: "csm note needs ACCOUNT: csm note ACCOUNT [flags]"},
		{args: []string{"note", "acme", "--kind", "bogus", "-m", "hi"}, want: `"bogus" is not a kind of note`},
		{args: []string{"note", "acme", "--at", "yesterday", "-m", "hi"}, want: `--at "yesterday"`},
		{args: []string{"note", "acme", "--due", "2026-01-01", "-m", "hi"}, want: "more --due than --next"},
		{args: []string{"search"}, want: "csm search needs TEXT: csm search TEXT... [flags]"},
		{args: []string{"search", "-n", "0", "x"}, want: "--limit 0: must be at least 1"},
		{args: []string{"config", "check", "extra"}, want: `unknown command "extra"`},
		{args: []string{"config", "bogus"}, want: `unknown command "bogus"`},
		{args: []string{"login", "extra"}, want: `unknown command "extra"`},
		{args: []string{"logout", "extra"}, want: `unknown command "extra"`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			dirs := isolated(t)
			t.Setenv("CSM_TOKEN", c.token)
			code, stdout, stderr := invoke(t, c.args...)
			if code != 2 {
				t.Errorf("exit code %d, want 2 (stdout %q, stderr %q)", code, stdout, stderr)
			}
			if !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "--help") {
				t.Errorf("stderr %q lacks %q and the pointer to --help", stderr, c.want)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
				t.Errorf("stderr is more than the error and the pointer to --help: %q", stderr)
			}
			untouched(t, dirs)
		})
	}
}

// Every command's --help lists all its flags and those it inherits, and
// exits 0 without touching anything.
func TestHelpOfEveryCommand(t *testing.T) {
	var walk func(c *cobra.Command)
	var cmds []*cobra.Command
	walk = func(c *cobra.Command) {
		// Help topics (csm help exit-codes) are pages, not commands: no
		// usage line, no flags; about's tests check them.
		if !c.IsAdditionalHelpTopicCommand() {
			cmds = append(cmds, c)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd())
	if len(cmds) < 20 {
		t.Fatalf("only %d commands found", len(cmds))
	}
	for _, c := range cmds {
		path := strings.Fields(c.CommandPath())[1:]
		t.Run(c.CommandPath(), func(t *testing.T) {
			dirs := isolated(t)
			code, stdout, stderr := invoke(t, append(path, "--help")...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			about := c.Long
			if about == "" {
				about = c.Short
			}
			if !strings.Contains(stdout, "Usage:") || !strings.Contains(stdout, about) {
				t.Errorf("help lacks the usage line or the description:\n%s", stdout)
			}
			check := func(f *pflag.Flag) {
				if f.Hidden {
					return
				}
				want := "--" + f.Name
				if f.Shorthand != "" {
					want = "-" + f.Shorthand + ", --" + f.Name
				}
				_, usage := pflag.UnquoteUsage(f)
				if !strings.Contains(stdout, want) || !strings.Contains(stdout, usage) {
					t.Errorf("help does not list %s (%s)", want, usage)
				}
			}
			c.LocalFlags().VisitAll(check)
			c.InheritedFlags().VisitAll(check)
			untouched(t, dirs)
		})
	}
}
