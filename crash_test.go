package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"csm/crash"
	"csm/data"
	"csm/model"
)

// panicsInUpdate is a cockpit that panics on its first message. The
// crash package tests every place a program can panic; here it is the way
// out through csm's own entry point that is tested.
type panicsInUpdate struct{}

func (panicsInUpdate) Init() tea.Cmd                       { return func() tea.Msg { return struct{}{} } }
func (panicsInUpdate) Update(tea.Msg) (tea.Model, tea.Cmd) { panic("boom in update") }
func (panicsInUpdate) View() tea.View                      { return tea.NewView("fine") }

// headless runs programs without a terminal.
var headless = []tea.ProgramOption{tea.WithInput(nil), tea.WithOutput(io.Discard)}

// crashRoot is csm's command tree with two commands that panic: one in
// the command itself, one in a terminal UI.
func crashRoot(token string) *cobra.Command {
	root := newRootCmd()
	root.AddCommand(&cobra.Command{Use: "boom", RunE: func(*cobra.Command, []string) error {
		panic("cannot reach the server with token " + token)
	}}, &cobra.Command{Use: "boom-tui", RunE: func(cmd *cobra.Command, _ []string) error {
		return crash.RunTea(cmd.Context(), panicsInUpdate{}, headless...)
	}})
	return root
}

var reportLine = regexp.MustCompile(`A crash report is at (\S+);`)

func TestCrashReport(t *testing.T) {
	const token = "tok-0123456789-secret"
	cases := []struct {
		name, command, panicText string
		dataDirUsable            bool
	}{
		{"panic in a command", "boom", "cannot reach the server with token [token removed]", true},
		{"panic in the cockpit", "boom-tui", "boom in update", true},
		{"data dir unusable", "boom", "cannot reach the server", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dirs := isolated(t)
			t.Setenv("CSM_TOKEN", token)
			t.Setenv("CSM_TEST_CANARY", "canary-env-value")
			wantDir := dirs[0]
			if !c.dataDirUsable {
				file := filepath.Join(dirs[0], "file")
				os.WriteFile(file, nil, 0o600)
				t.Setenv("CSM_DATA_DIR", filepath.Join(file, "csm"))
				wantDir = os.TempDir()
			}
			code, stdout, stderr := invokeRoot(t, crashRoot(token), c.command)
			if code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			m := reportLine.FindStringSubmatch(stderr)
			if m == nil || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Fatalf("stderr %q is not one line pointing at the report (stdout %q)", stderr, stdout)
			}
			t.Logf("user sees: %s", stderr)
			if strings.Contains(stderr, token) {
				t.Error("stderr shows the token")
			}
			path := m[1]
			if filepath.Dir(path) != wantDir {
				t.Errorf("report in %s, want it in %s", filepath.Dir(path), wantDir)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("report mode %v, want 0600", fi.Mode().Perm())
			}
			b, _ := os.ReadFile(path)
			report := string(b)
			for _, want := range []string{"time:", "version:", "command: csm " + c.command, "panic: " + c.panicText, "goroutine "} {
				if !strings.Contains(report, want) {
					t.Errorf("report lacks %q:\n%s", want, report)
				}
			}
			for _, secret := range []string{token, "canary-env-value"} {
				if strings.Contains(report, secret) {
					t.Errorf("report holds %q", secret)
				}
			}
		})
	}
}

// signalChildEnv makes the test binary a csm cockpit for
// TestSignalStopsTheCockpitCleanly.
const signalChildEnv = "CSM_TEST_SIGNAL_CHILD"

// TestSignalChild is the child process: the real `csm` (no arguments: the
// cockpit) on the data directory it is given, without a terminal. It
// prints "ready" once the program handles its first message.
func TestSignalChild(t *testing.T) {
	if os.Getenv(signalChildEnv) == "" {
		t.Skip("run by TestSignalStopsTheCockpitCleanly")
	}
	keyringStore = emptyKeyring{}
	var once sync.Once
	programOptions = append(headless, tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
		once.Do(func() { fmt.Println("ready") })
		return msg
	}))
	os.Exit(run(nil, os.Stdout, os.Stderr))
}

// SIGTERM and SIGHUP (and SIGINT, sent by kill rather than typed) make the
// cockpit quit, close the database and exit 0: csm handles them, so the
// exit is csm's own, not 143 (128+SIGTERM) as for a process killed by one.
func TestSignalStopsTheCockpitCleanly(t *testing.T) {
	if os.Getenv(signalChildEnv) != "" {
		t.Skip()
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dirs := isolated(t)
			path := filepath.Join(dirs[0], data.DBFile)
			st, err := data.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			book := model.Generate(model.GenOptions{Seed: 3, Accounts: 10, Days: 60, CSMs: 1})[0]
			if err := st.ImportBook(context.Background(), book); err != nil {
				t.Fatal(err)
			}
			if _, err := st.CreateTask(context.Background(), book.Accounts[0].ID, "queued before the signal", nil); err != nil {
				t.Fatal(err)
			}
			st.Close()

			cmd := exec.Command(os.Args[0], "-test.run=^TestSignalChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), signalChildEnv+"=1")
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			ready := make(chan bool, 1)
			go func() {
				line, _ := bufio.NewReader(out).ReadString('\n')
				ready <- line == "ready\n"
				io.Copy(io.Discard, out)
			}()
			select {
			case ok := <-ready:
				if !ok {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("child did not start: %s", stderr.String())
				}
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("child not ready after 30 s: %s", stderr.String())
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("after %v the child exited with %v (stderr %q); want exit 0", sig, err, stderr.String())
				}
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("the child did not stop within 30 s of %v", sig)
			}
			if stderr.Len() > 0 {
				t.Errorf("stderr: %q", stderr.String())
			}

			// Close ran: the WAL was checkpointed and removed, and the
			// process's marker is gone (one left behind means a crash).
			if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the WAL is still there (%v): the database was not closed", err)
			}
			db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if m, err := os.ReadDir(path + ".locks/procs"); err != nil || len(m) != 0 {
				t.Errorf("process markers left: %v, %v", m, err)
			}
			var check string
			var pending int
			if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
				t.Errorf("integrity_check = %q, %v", check, err)
			}
			if err := db.QueryRow("SELECT count(*) FROM outbox").Scan(&pending); err != nil || pending != 1 {
				t.Errorf("outbox holds %d (%v), want the 1 queued change", pending, err)
			}
		})
	}
}
