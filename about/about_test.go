package about

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"csm/buildinfo"
)

// tree is a small csm: a root with a command, a flag of each kind, and
// Register's commands and topics.
func tree() *cobra.Command {
	root := &cobra.Command{Use: "csm", Short: "A terminal cockpit", Long: "csm keeps a local copy of your book.", RunE: func(*cobra.Command, []string) error { return nil }}
	root.PersistentFlags().String("data-dir", "", "where the database lives")
	sync := &cobra.Command{Use: "sync", Short: "Push and pull", Long: "Push the outbox, pull the feed.\n\nExit codes:\n  0  synced\n  3  offline", RunE: func(*cobra.Command, []string) error { return nil }}
	sync.Flags().BoolP("verbose", "v", false, "list every invalid entity")
	sync.Flags().Int("limit", 20, "at most this many")
	root.AddCommand(sync)
	Register(root)
	return root
}

func execute(t *testing.T, root *cobra.Command, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestVersionFlagAndCommandSayTheSame(t *testing.T) {
	flag, err := execute(t, tree(), "--version")
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := execute(t, tree(), "version")
	if err != nil {
		t.Fatal(err)
	}
	want := buildinfo.Get().String() + "\n"
	if flag != want || cmd != want {
		t.Errorf("--version %q, version %q, want %q", flag, cmd, want)
	}
	if !regexp.MustCompile(`^csm \S+ \(commit \S+, built \S+, go1\.\d+`).MatchString(flag) {
		t.Errorf("--version %q", flag)
	}
	js, err := execute(t, tree(), "version", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatalf("version --json: %v\n%s", err, js)
	}
	for _, k := range []string{"version", "commit", "date", "go_version", "modified"} {
		if _, ok := got[k]; !ok {
			t.Errorf("version --json lacks %q: %s", k, js)
		}
	}
}

func TestManPage(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1764662400") // 2025-12-02
	out, err := execute(t, tree(), "man")
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(out, "\n")
	if first != `.TH "CSM" "1" "Dec 2025" "csm `+buildinfo.Get().Version+`" "csm manual"` {
		t.Errorf("first line %q", first)
	}
	for _, w := range []string{
		`.SH NAME`, `.SH COMMANDS`, `.SS csm sync`, `list every invalid entity`, `--verbose`, `--data-dir`,
		`.SH EXIT STATUS`, `130  interrupted`, `.SH ENVIRONMENT`, `CSM_TOKEN`, `.SS csm version`,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("the man page lacks %q", w)
		}
	}
	// The help topics are sections of their own, not commands.
	if strings.Contains(out, ".SS csm exit-codes") {
		t.Error("exit-codes listed as a command")
	}
	// man itself reads it without a warning, where man is installed.
	if man, err := exec.LookPath("man"); err == nil {
		path := filepath.Join(t.TempDir(), "csm.1")
		os.WriteFile(path, []byte(out), 0o644)
		c := exec.Command(man, "--warnings", "-l", path)
		c.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=80")
		text, err := c.CombinedOutput()
		if err == nil && !strings.Contains(string(text), "Push the outbox") {
			t.Errorf("man -l: %s", text)
		}
	}
	file := filepath.Join(t.TempDir(), "man1", "csm.1")
	if _, err := execute(t, tree(), "man", "--output", file); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(file); string(b) != out {
		t.Errorf("man --output wrote %d bytes, stdout had %d", len(b), len(out))
	}
	if _, err := execute(t, tree(), "man", "--bad"); err == nil {
		t.Error("man --bad: no error")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if _, err := execute(t, tree(), "man"); err == nil || !strings.Contains(err.Error(), "SOURCE_DATE_EPOCH") {
		t.Errorf("a bad SOURCE_DATE_EPOCH: %v", err)
	}
}

func TestHelpTopics(t *testing.T) {
	for topic, want := range map[string][]string{
		"exit-codes":  {"0    done", "1    the command failed", "2    bad invocation", "3    offline", "4    authentication", "130  interrupted"},
		"environment": {"CSM_DATA_DIR", "CSM_TOKEN", "NO_COLOR", "EDITOR"},
	} {
		out, err := execute(t, tree(), "help", topic)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("csm help %s lacks %q:\n%s", topic, w, out)
			}
		}
	}
	help, _ := execute(t, tree(), "--help")
	if !strings.Contains(help, "Additional help topics:") || !strings.Contains(help, "exit-codes") || !strings.Contains(help, "environment") {
		t.Errorf("csm --help does not list the topics:\n%s", help)
	}
}

// Every environment variable the code reads is in csm help environment:
// the names of the os.Getenv and os.LookupEnv calls, and the constants
// named ...Env, in every non-test Go file of the module.
func TestEnvironmentNamesEveryVariable(t *testing.T) {
	root := ".."
	call := regexp.MustCompile(`os\.(?:Getenv|LookupEnv)\("([A-Z_0-9]+)"\)`)
	constant := regexp.MustCompile(`\w*Env\s*=\s*"([A-Z_0-9]+)"`)
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != root) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range []*regexp.Regexp{call, constant} {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				seen[m[1]] = true
				if !strings.Contains(Environment, m[1]) {
					t.Errorf("%s reads %s, which csm help environment does not name", path, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !seen["CSM_TOKEN"] || !seen["CSM_SERVE_DB"] || !seen["VISUAL"] {
		t.Errorf("the scan found only %v: it cannot fail", seen)
	}
}
