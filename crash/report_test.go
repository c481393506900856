package crash

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var reportLine = regexp.MustCompile(`A crash report is at (\S+);`)

// unusable is a directory that cannot be made: its parent is a file.
func unusable(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(file, "csm")
}

func TestReport(t *testing.T) {
	const token = "tok-0123456789-secret"
	data, tmp := t.TempDir(), t.TempDir()
	cases := []struct {
		name, dataDir, wantDir string
	}{
		{"in the data directory", data, data},
		{"made in the data directory's place", filepath.Join(data, "new", "csm"), filepath.Join(data, "new", "csm")},
		{"data directory unusable", unusable(t), tmp},
		{"no data directory", "", tmp},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("CSM_TOKEN", token)
			t.Setenv("TMPDIR", tmp)
			var stderr strings.Builder
			crash := &Crash{Value: "cannot reach the server with token " + token + "\x1b[2J\nnext line", Stack: []byte("goroutine 1 [running]:\n")}
			if code := Report(&stderr, c.dataDir, "csm sync", crash); code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			m := reportLine.FindStringSubmatch(stderr.String())
			if m == nil || strings.Count(strings.TrimSpace(stderr.String()), "\n") != 0 {
				t.Fatalf("stderr %q is not one line pointing at the report", stderr.String())
			}
			if strings.Contains(stderr.String(), token) || strings.Contains(stderr.String(), "\x1b") {
				t.Errorf("stderr shows the token or a control character: %q", stderr.String())
			}
			if filepath.Dir(m[1]) != c.wantDir {
				t.Errorf("report in %s, want it in %s", filepath.Dir(m[1]), c.wantDir)
			}
			fi, err := os.Stat(m[1])
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("report mode %v, want 0600", fi.Mode().Perm())
			}
			b, _ := os.ReadFile(m[1])
			for _, want := range []string{"time:", "version:", "go:", "command: csm sync", "panic: cannot reach the server with token [token removed]", "goroutine 1"} {
				if !strings.Contains(string(b), want) {
					t.Errorf("report lacks %q:\n%s", want, b)
				}
			}
			if strings.Contains(string(b), token) {
				t.Error("the report holds the token")
			}
		})
	}
}

// Where nothing can be written, the report goes to stderr whole.
func TestReportWithNowhereToWrite(t *testing.T) {
	t.Setenv("TMPDIR", unusable(t))
	var stderr strings.Builder
	if code := Report(&stderr, unusable(t), "csm", &Crash{Value: "boom", Stack: []byte("goroutine 7 [running]:\n")}); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	for _, want := range []string{"could not save a crash report", "csm crash report", "panic: boom", "goroutine 7"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

// Crashes in the same second get a report each.
func TestReportsDoNotOverwriteEachOther(t *testing.T) {
	dir := t.TempDir()
	for range 3 {
		Report(&strings.Builder{}, dir, "csm", &Crash{Value: "boom"})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("%d reports, want 3", len(entries))
	}
}

func TestOneLine(t *testing.T) {
	cases := map[string]string{
		"plain":                    "plain",
		"two\nlines\r\tand\x1b[2J": "two lines  and [2J",
		"c1 \u0085 del \x7f":       "c1   del  ",
		strings.Repeat("é", 250):   strings.Repeat("é", 200) + "…",
	}
	for in, want := range cases {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
