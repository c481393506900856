package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"

	"csm/model"
	csmsync "csm/sync"
)

// Tests of how csm behaves as a command-line tool (issue 15): progress on
// a terminal and in a pipe, the brief drawn on a terminal, every exit code.

const shipToken = "tok-ship"

// shipServer is a reference server with a generated book that answers the
// feed in pages of 300 changes, so a full sync has several; wrap, when
// given, sees each request first.
func shipServer(t *testing.T, wrap func(http.ResponseWriter, *http.Request) bool) (string, model.Book) {
	t.Helper()
	book := model.Generate(model.GenOptions{Seed: 5, Accounts: 40, Days: 90, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	h := csmsync.NewServer([]csmsync.Tenant{{Token: shipToken, Book: book}}).Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wrap != nil && wrap(w, r) {
			return
		}
		if strings.HasSuffix(r.URL.Path, "/changes") {
			q := r.URL.Query()
			q.Set("limit", "300")
			r.URL.RawQuery = q.Encode()
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	return hs.URL, book
}

// child is csm run in a process of its own (TestCLIChild), with its own
// data directory and the ship server's token.
func child(t *testing.T, dataDir string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCLIChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), cliChildEnv+"="+strings.Join(args, "\n"),
		"CSM_DATA_DIR="+dataDir, "CSM_TOKEN="+shipToken, "CSM_CONFIG=", "CSM_SERVER_URL=",
		"XDG_CONFIG_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir(), "TERM=xterm-256color", "NO_COLOR=", "COLORFGBG=")
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// onTerminal runs cmd with its stdout or stderr (which says) on a
// pseudo-terminal, the other in a buffer, and returns what each got.
func onTerminal(t *testing.T, cmd *exec.Cmd, which string) (tty, other string, code int) {
	t.Helper()
	ptmx, tt, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 100})
	var buf bytes.Buffer
	if which == "stderr" {
		cmd.Stdout, cmd.Stderr = &buf, tt
	} else {
		cmd.Stdout, cmd.Stderr = tt, &buf
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tt.Close()
	var screen bytes.Buffer
	read := make(chan struct{})
	go func() { io.Copy(&screen, ptmx); close(read) }() // ends with EIO once the child is gone
	err = cmd.Wait()
	select {
	case <-read:
	case <-time.After(10 * time.Second):
		t.Error("the terminal was not closed after the child ended")
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return screen.String(), buf.String(), cmd.ProcessState.ExitCode()
}

// A full sync on a terminal shows its progress on stderr: one line redrawn
// in place, with pages, changes and a percentage, cleared before the
// summary.
func TestSyncProgressOnATerminal(t *testing.T) {
	url, _ := shipServer(t, nil)
	screen, stdout, code := onTerminal(t, child(t, t.TempDir(), "sync", "--server", url), "stderr")
	if code != 0 {
		t.Fatalf("exit %d: %q %q", code, stdout, screen)
	}
	if !regexp.MustCompile(`\rcsm: pulling the full book: 1 page, 300 changes \(\d+%\)`).MatchString(screen) ||
		!regexp.MustCompile(`\rcsm: pulling the full book: \d+ pages, \d+ changes \(100%\)`).MatchString(screen) {
		t.Errorf("no progress on the terminal:\n%q", screen)
	}
	if strings.Contains(screen, "csm: pulling the full book: 1 page, 300 changes (100%)\n") || strings.Contains(strings.ReplaceAll(screen, "\r\n", ""), "\n") {
		t.Errorf("progress in lines, not redrawn:\n%q", screen)
	}
	if !strings.HasSuffix(screen, "\r") {
		t.Errorf("the progress line is not cleared at the end:\n%q", screen)
	}
	if !strings.HasPrefix(stdout, "pulled ") || !strings.Contains(stdout, "(full)") {
		t.Errorf("summary %q", stdout)
	}
}

// In a pipe, progress is plain lines (no carriage returns); --quiet prints
// nothing at all, even the summary.
func TestSyncProgressInAPipe(t *testing.T) {
	url, _ := shipServer(t, nil)
	var stdout, stderr bytes.Buffer
	cmd := child(t, t.TempDir(), "sync", "--server", url)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if strings.Contains(stderr.String(), "\r") || len(lines) == 0 ||
		!regexp.MustCompile(`^csm: pulling the full book: 1 page, 300 changes \(\d+%\)$`).MatchString(lines[0]) {
		t.Errorf("stderr in a pipe:\n%q", stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "pulled ") {
		t.Errorf("stdout %q", stdout.String())
	}

	stdout.Reset()
	stderr.Reset()
	cmd = child(t, t.TempDir(), "sync", "--quiet", "--server", url)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stdout.Len()+stderr.Len() > 0 {
		t.Errorf("sync --quiet: %v, said %q %q", err, stdout.String(), stderr.String())
	}
}

// A retry says what it waits for, on the terminal as in a pipe.
func TestSyncRetrySaysWhatItWaitsFor(t *testing.T) {
	var mu sync.Mutex
	failures := 1
	url, _ := shipServer(t, func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/changes") && failures > 0 {
			failures--
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	var stderr bytes.Buffer
	cmd := child(t, t.TempDir(), "sync", "--server", url)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	if !regexp.MustCompile(`(?m)^csm: server answered 503, retrying in \d+(\.\d+)?m?s \(try 2 of 6\)$`).MatchString(stderr.String()) {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// csm brief is drawn on a terminal, Markdown in a pipe and with --raw.
func TestBriefOnATerminal(t *testing.T) {
	url, book := shipServer(t, nil)
	dataDir := t.TempDir()
	if out, err := child(t, dataDir, "sync", "--quiet", "--server", url).CombinedOutput(); err != nil {
		t.Fatalf("sync: %v %s", err, out)
	}
	a := book.Accounts[0]
	screen, _, code := onTerminal(t, child(t, dataDir, "brief", a.ID), "stdout")
	plain := ansi.Strip(screen)
	if code != 0 || !strings.Contains(screen, "\x1b[") || !strings.Contains(plain, a.Name) || strings.Contains(plain, "# "+a.Name) || strings.Contains(plain, "|---") {
		t.Errorf("brief on a terminal (exit %d), not drawn:\n%.600q", code, plain)
	}
	raw, _, code := onTerminal(t, child(t, dataDir, "brief", "--raw", a.ID), "stdout")
	if code != 0 || !strings.HasPrefix(raw, "# "+a.Name) || strings.Contains(raw, "\x1b[") {
		t.Errorf("brief --raw on a terminal (exit %d):\n%q", code, raw)
	}
	piped, err := child(t, dataDir, "brief", a.ID).Output()
	if err != nil || !strings.HasPrefix(string(piped), "# "+a.Name) || strings.Contains(string(piped), "\x1b[") {
		t.Errorf("brief in a pipe (%v):\n%q", err, piped)
	}
}

// Every exit code of csm help exit-codes, each from a real invocation.
func TestExitCodes(t *testing.T) {
	url, _ := shipServer(t, nil)
	refused := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return "http://" + l.Addr().String()
	}()
	tests := []struct {
		name  string
		token string
		args  []string
		code  int
		say   string
	}{
		{"0 done", shipToken, []string{"version"}, 0, ""},
		{"1 failure", shipToken, []string{"brief", "no-such-account"}, 1, `no account matches "no-such-account"`},
		{"2 usage", shipToken, []string{"sync", "--no-such-flag"}, 2, "Run 'csm --help' for usage."},
		{"3 offline", shipToken, []string{"sync", "--server", refused}, 3, "offline — the server at " + refused + " cannot be reached"},
		{"4 authentication", "not-the-token", []string{"sync", "--server", url}, 4, "the server refused the token: run `csm login` again"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := child(t, t.TempDir(), tc.args...)
			cmd.Env = append(cmd.Env, "CSM_TOKEN="+tc.token)
			out, _ := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code != tc.code || !strings.Contains(string(out), tc.say) {
				t.Errorf("csm %s: exit %d, want %d; said %q", strings.Join(tc.args, " "), code, tc.code, out)
			}
		})
	}

	// 130: Ctrl-C (SIGINT) while a sync waits on the server.
	asked := make(chan struct{}, 1)
	slow, _ := shipServer(t, func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/changes") {
			return false
		}
		select {
		case asked <- struct{}{}:
		default:
		}
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
		return true
	})
	cmd := child(t, t.TempDir(), "sync", "--server", slow)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-asked:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the sync never asked for the feed: %s", stderr.String())
	}
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 || !strings.Contains(stderr.String(), "csm: interrupted") {
		t.Errorf("Ctrl-C during a sync: exit %d, want 130; said %q", code, stderr.String())
	}
}

// csm --version names the commit it was built from: a binary built as
// the release builds it (-ldflags -X for the version and date) says them,
// and the commit comes from the build's VCS stamp.
func TestVersionNamesTheCommit(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "csm")
	ld := "-X csm/buildinfo.Version=1.2.3 -X csm/buildinfo.Date=2026-12-02T07:00:00Z"
	if out, err := exec.Command(goTool, "build", "-buildvcs=true", "-ldflags", ld, "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	want := `^csm 1\.2\.3 \(commit ` + string(head[:12]) + `(\+dirty)?, built 2026-12-02T07:00:00Z, go1\.\d+`
	if !regexp.MustCompile(want).Match(out) {
		t.Errorf("csm --version: %q, want %s", out, want)
	}
	man, err := exec.Command(bin, "man").Output()
	if err != nil || !bytes.HasPrefix(man, []byte(`.TH "CSM" "1" "Dec 2026" "csm 1.2.3"`)) {
		t.Errorf("csm man | head -1: %v %.80q", err, man)
	}
}
