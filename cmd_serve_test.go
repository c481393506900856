package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"csm/servercmd"
	csmsync "csm/sync"
)

// lockedOutput is an output the server's goroutines and the test share.
type lockedOutput struct {
	mu  gosync.Mutex
	buf bytes.Buffer
}

func (o *lockedOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *lockedOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// logLines decodes the JSON lines of a server's log.
func logLines(t *testing.T, log string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(log), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

var servedURL = regexp.MustCompile(`https?://127\.0\.0\.1:\d+`)

func TestServeUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		env  string // CSM_SERVE_DB
		args []string
		want string
	}{
		{name: "db and accounts", args: []string{"--db", "x.db", "--accounts", "5"}, want: "--accounts shapes the generated book"},
		{name: "db and days", args: []string{"--db", "x.db", "--days", "5"}, want: "--days shapes the generated book"},
		{name: "db and seed", args: []string{"--db", "x.db", "--seed", "5"}, want: "--seed shapes the generated book"},
		{name: "db and token", args: []string{"--db", "x.db", "--token", "t"}, want: "--token shapes the generated book"},
		{name: "env db and token", env: "x.db", args: []string{"--token", "t"}, want: "(--db or CSM_SERVE_DB)"},
		{name: "cert alone", args: []string{"--tls-cert", "c.pem"}, want: "--tls-cert and --tls-key go together"},
		{name: "key alone", args: []string{"--tls-key", "k.pem"}, want: "--tls-cert and --tls-key go together"},
		{name: "db flag without value", args: []string{"--db"}, want: "flag needs an argument: --db"},
		{name: "db of another kind", args: []string{"--db", "mysql://u:hunter2@h/x"}, want: `--db mysql://u:xxxxx@h/x: unknown scheme "mysql"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dirs := isolated(t)
			t.Setenv(servercmd.DBEnv, c.env)
			t.Chdir(dirs[3])
			code, stdout, stderr := invoke(t, append([]string{"serve"}, c.args...)...)
			if code != 2 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, c.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if _, err := os.Stat(filepath.Join(dirs[3], "x.db")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a bad invocation created the database (%v)", err)
			}
		})
	}
}

// The database URL is taken from CSM_SERVE_DB when --db is absent, and no
// message shows its password, even when the driver's error quotes it.
func TestServeDBFromEnvNeverShowsThePassword(t *testing.T) {
	isolated(t)
	const dbURL = "postgres://csm:hunter2@127.0.0.1:5432/csm?sslmode=disable"
	t.Setenv(servercmd.DBEnv, dbURL)
	var opened string
	old := servercmd.OpenTeamStore
	servercmd.OpenTeamStore = func(_ context.Context, u string) (csmsync.TeamDB, error) {
		opened = u
		return nil, errors.New("cannot reach " + u)
	}
	t.Cleanup(func() { servercmd.OpenTeamStore = old })

	code, stdout, stderr := invoke(t, "serve")
	if opened != dbURL {
		t.Errorf("opened %q, want CSM_SERVE_DB's %q", opened, dbURL)
	}
	// The database is named once: the error quoted it already.
	if code != 1 || !strings.HasPrefix(stderr, "csm: open the database: ") || strings.Count(stderr, "postgres://csm:xxxxx@127.0.0.1:5432/csm") != 1 {
		t.Errorf("exit %d, stderr %q; want 1 naming the redacted URL once", code, stderr)
	}
	if strings.Contains(stdout+stderr, "hunter2") {
		t.Errorf("the password is printed: stdout %q, stderr %q", stdout, stderr)
	}
}

func TestServeBadTLSFiles(t *testing.T) {
	isolated(t)
	t.Setenv(servercmd.DBEnv, "")
	missing := filepath.Join(t.TempDir(), "missing.pem")
	code, stdout, stderr := invoke(t, "serve", "--addr", "127.0.0.1:0", "--tls-cert", missing, "--tls-key", missing)
	if code != 1 || !strings.Contains(stderr, "load --tls-cert") || stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1, nothing served, load --tls-cert", code, stdout, stderr)
	}
}

// TestServeSIGTERM runs csm serve as a process, sends it SIGTERM while it
// writes a large full-sync page to a client that reads slowly, and wants
// the whole page, the request's log line, and exit 0.
func TestServeSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a book of 300 accounts in a child process")
	}
	isolated(t)
	t.Setenv(servercmd.DBEnv, "")
	args := []string{"serve", "--addr", "127.0.0.1:0", "--accounts", "300", "--days", "365"}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCLIChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), cliChildEnv+"="+strings.Join(args, "\n"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &lockedOutput{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var exitErr error
	exited := make(chan struct{})
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
	})
	out := &lockedOutput{}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			out.Write([]byte(sc.Text() + "\n"))
			if u := servedURL.FindString(sc.Text()); u != "" && strings.HasPrefix(sc.Text(), "csm reference server on") {
				urlc <- u
			}
		}
		exitErr = cmd.Wait()
		close(exited)
	}()
	var base string
	select {
	case base = <-urlc:
	case <-exited:
		t.Fatalf("serve exited before listening: %v\n%s", exitErr, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not listen within 60 s:\n%s", stderr.String())
	}

	// A receive buffer of a few KiB keeps the server writing the page
	// while the signal arrives.
	dialer := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	client := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext, DisableCompression: true}}
	req, _ := http.NewRequest(http.MethodGet, base+csmsync.APIPrefix+"/changes?limit=5000", nil)
	req.Header.Set("Authorization", "Bearer dev-token")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let the shutdown begin before the page is read
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("the page in flight was cut after %d bytes: %v", len(raw), err)
	}
	var page csmsync.Page
	if err := json.Unmarshal(raw, &page); err != nil || len(page.Changes) != 5000 {
		t.Fatalf("the page in flight: %d changes, %v; want 5000", len(page.Changes), err)
	}
	select {
	case <-exited:
		if exitErr != nil {
			t.Fatalf("after SIGTERM serve exited with %v, want 0\nstderr: %s", exitErr, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not exit within 30 s of SIGTERM")
	}
	if !strings.Contains(out.String(), "shutting down") {
		t.Errorf("stdout %q does not say it shuts down", out.String())
	}
	lines := logLines(t, stderr.String())
	if len(lines) != 1 || lines[0]["path"] != csmsync.APIPrefix+"/changes" || lines[0]["status"] != float64(200) || lines[0]["bytes"] != float64(len(raw)) {
		t.Errorf("log %v: want one line for the page, 200, %d bytes", lines, len(raw))
	}
}
