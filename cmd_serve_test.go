package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
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

	"csm/model"
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

func slogTo(w io.Writer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }

var servedURL = regexp.MustCompile(`https?://127\.0\.0\.1:\d+`)

// runningServe is csm serve running in the test's process.
type runningServe struct {
	url       string
	out, logs *lockedOutput
	stop      func() error // cancels, as SIGTERM does, and waits for the end
}

// startServe runs o until stop or the end of the test, and returns once it
// prints where it listens.
func startServe(t *testing.T, o serveOptions) *runningServe {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	rs := &runningServe{out: &lockedOutput{}, logs: &lockedOutput{}}
	errc := make(chan error, 1)
	go func() { errc <- o.run(ctx, rs.out, rs.logs) }()
	var once gosync.Once
	var stopErr error
	rs.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-errc:
			case <-time.After(30 * time.Second):
				stopErr = errors.New("serve did not stop within 30 s of its cancel")
			}
		})
		return stopErr
	}
	t.Cleanup(func() { rs.stop() })
	deadline := time.Now().Add(30 * time.Second)
	for rs.url == "" {
		select {
		case err := <-errc:
			t.Fatalf("serve ended before listening: %v\n%s", err, rs.out.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not say where it listens within 30 s:\n%s", rs.out.String())
		}
		rs.url = servedURL.FindString(rs.out.String())
	}
	return rs
}

// demoServeOptions are serve's defaults with a small book on a free
// loopback port.
func demoServeOptions() serveOptions {
	return serveOptions{Addr: "127.0.0.1:0", Accounts: 3, Days: 30, Seed: 1, Token: "dev-token"}
}

// get sends one GET, with a token when one is given, and returns the
// status and body.
func get(t *testing.T, client *http.Client, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

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
			t.Setenv(serveDBEnv, c.env)
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
	t.Setenv(serveDBEnv, dbURL)
	var opened string
	old := openTeamStore
	openTeamStore = func(_ context.Context, u string) (teamStore, error) {
		opened = u
		return nil, errors.New("cannot reach " + u)
	}
	t.Cleanup(func() { openTeamStore = old })

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

func TestRedactDB(t *testing.T) {
	cases := map[string]string{
		"csm.db":                        "csm.db",
		"sqlite:/var/lib/csm/team.db":   "sqlite:/var/lib/csm/team.db",
		"postgres://db.internal/csm":    "postgres://db.internal/csm",
		"postgres://csm@db.internal/x":  "postgres://csm@db.internal/x",
		"postgres://csm:s3cr%2Ft@h/x":   "postgres://csm:xxxxx@h/x",
		"postgres://h/x?password=s3cr":  "postgres://h/x?password=xxxxx",
		"postgresql://u:p@h:1/x?a=b":    "postgresql://u:xxxxx@h:1/x?a=b",
		"postgres://u:p@h/x\x7f%zz?a=b": "(a URL csm cannot read)",
	}
	for in, want := range cases {
		if got := redactDB(in); got != want {
			t.Errorf("redactDB(%q) = %q, want %q", in, got, want)
		}
	}
}

// fakeTeamStore is a MemoryStore as a team database: it counts
// migrations and closes.
type fakeTeamStore struct {
	*csmsync.MemoryStore
	migrated, closed int
}

func (s *fakeTeamStore) Migrate(context.Context) (int, error) { s.migrated++; return 7, nil }
func (s *fakeTeamStore) Close() error                         { s.closed++; return s.MemoryStore.Close() }

// With --db, serve migrates and serves that store, with /healthz and the
// request log, and closes it when it stops.
func TestServeDB(t *testing.T) {
	book := model.Generate(model.GenOptions{Seed: 2, Accounts: 2, Days: 10, CSMs: 1})[0]
	store := &fakeTeamStore{MemoryStore: csmsync.NewMemoryStore([]csmsync.Tenant{{Token: "team-token", Book: book}})}
	old := openTeamStore
	openTeamStore = func(context.Context, string) (teamStore, error) { return store, nil }
	t.Cleanup(func() { openTeamStore = old })

	rs := startServe(t, serveOptions{Addr: "127.0.0.1:0", DB: "postgres://csm:hunter2@127.0.0.1:5432/csm", Token: "dev-token", Accounts: 1, Days: 1})
	want := "csm server on " + rs.url + ", database postgres://csm:xxxxx@127.0.0.1:5432/csm (schema version 7)\n"
	if got := rs.out.String(); got != want {
		t.Errorf("serve printed %q, want %q", got, want)
	}
	if status, body := get(t, http.DefaultClient, rs.url+csmsync.HealthPath, ""); status != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("/healthz: %d %s", status, body)
	}
	if status, body := get(t, http.DefaultClient, rs.url+csmsync.APIPrefix+"/me", "team-token"); status != 200 || !strings.Contains(body, book.CSM.ID) {
		t.Errorf("/me: %d %s", status, body)
	}
	if err := rs.stop(); err != nil {
		t.Fatal(err)
	}
	if store.migrated != 1 || store.closed != 1 {
		t.Errorf("migrated %d times, closed %d times; want once each", store.migrated, store.closed)
	}
	lines := logLines(t, rs.logs.String())
	if len(lines) != 2 || lines[1]["csm"] != book.CSM.ID {
		t.Errorf("log lines %v: want two, the second by %s", lines, book.CSM.ID)
	}
	if strings.Contains(rs.out.String()+rs.logs.String(), "hunter2") || strings.Contains(rs.logs.String(), "team-token") {
		t.Error("a password or a token is in the output")
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// their files and a pool that trusts the certificate.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "csm test"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestServeTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	o := demoServeOptions()
	o.TLSCert, o.TLSKey = certFile, keyFile
	rs := startServe(t, o)
	if !strings.HasPrefix(rs.url, "https://") {
		t.Fatalf("serve with a certificate listens on %s, want https", rs.url)
	}
	if !strings.Contains(rs.out.String(), "CSM_SERVER_URL="+rs.url+" ") {
		t.Errorf("the sync hint does not name the https URL:\n%s", rs.out.String())
	}

	trusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if status, body := get(t, trusting, rs.url+csmsync.HealthPath, ""); status != 200 || strings.TrimSpace(body) != `{"status":"ok"}` {
		t.Errorf("/healthz over TLS: %d %s", status, body)
	}
	// The sync client speaks to it when it trusts the certificate.
	c, err := csmsync.NewClient(rs.url, "dev-token", csmsync.WithHTTPClient(trusting))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if me, err := c.Me(ctx); err != nil || me.CSM.ID == "" {
		t.Errorf("Me over TLS: %v, %v", me, err)
	}

	// Nobody talks to it in plain HTTP or without trusting it.
	plain := strings.Replace(rs.url, "https://", "http://", 1)
	if status, _ := get(t, http.DefaultClient, plain+csmsync.HealthPath, ""); status != http.StatusBadRequest {
		t.Errorf("plain HTTP to the TLS port: status %d, want 400", status)
	}
	var unknown *tls.CertificateVerificationError
	if _, err := http.Get(rs.url + csmsync.HealthPath); !errors.As(err, &unknown) {
		t.Errorf("a client that does not trust the certificate: %v, want a verification error", err)
	}
	if err := rs.stop(); err != nil {
		t.Fatal(err)
	}
}

func TestServeBadTLSFiles(t *testing.T) {
	isolated(t)
	t.Setenv(serveDBEnv, "")
	missing := filepath.Join(t.TempDir(), "missing.pem")
	code, stdout, stderr := invoke(t, "serve", "--addr", "127.0.0.1:0", "--tls-cert", missing, "--tls-key", missing)
	if code != 1 || !strings.Contains(stderr, "load --tls-cert") || stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1, nothing served, load --tls-cert", code, stdout, stderr)
	}
}

// When the context ends (SIGTERM), a request in flight finishes and is
// answered in full, new connections are refused, and serving ends
// without error once it is done.
func TestServeFinishesRequestsInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	body := strings.Repeat("x", 1<<20)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, body)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &lockedOutput{}
	done := make(chan error, 1)
	go func() { done <- serveUntilDone(ctx, ln, slow, nil, slogTo(logs), io.Discard) }()

	url := "http://" + ln.Addr().String() + "/slow"
	type reply struct {
		body string
		err  error
	}
	replied := make(chan reply, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			replied <- reply{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		replied <- reply{string(b), err}
	}()
	<-entered
	cancel()
	// Shutting down, the server waits for the request rather than ending.
	select {
	case err := <-done:
		t.Fatalf("serving ended with a request in flight: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("a new connection was accepted after shutdown began")
	}
	close(release)
	r := <-replied
	if r.err != nil || r.body != body {
		t.Errorf("the request in flight got %d bytes, %v; want all %d", len(r.body), r.err, len(body))
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serveUntilDone: %v, want nil after a clean shutdown", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serving did not end after its last request")
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
	t.Setenv(serveDBEnv, "")
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

// With --db on a SQLite file, serve opens and migrates it and serves its
// CSMs; what was pushed is still there after a restart.
func TestServeSQLite(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "team.db")
	ctx := context.Background()
	st, err := csmsync.OpenSQLStore(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	book := model.Generate(model.GenOptions{Seed: 4, Accounts: 2, Days: 10, CSMs: 1})[0]
	if err := st.SeedTenants(ctx, []csmsync.Tenant{{Token: "sqlite-token", Book: book}}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	for run := range 2 {
		rs := startServe(t, serveOptions{Addr: "127.0.0.1:0", DB: dbURL, Token: "dev-token", Accounts: 1, Days: 1})
		if want := ", database " + dbURL + " (schema version "; !strings.Contains(rs.out.String(), want) {
			t.Errorf("run %d printed %q, want %q", run, rs.out.String(), want)
		}
		if status, body := get(t, http.DefaultClient, rs.url+csmsync.HealthPath, ""); status != 200 {
			t.Errorf("run %d: /healthz %d %s", run, status, body)
		}
		c, err := csmsync.NewClient(rs.url, "sqlite-token")
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		page, err := c.Changes(cctx, "", 5000)
		cancel()
		if err != nil || len(page.Changes) == 0 {
			t.Errorf("run %d: a full sync from the database: %d changes, %v", run, len(page.Changes), err)
		}
		if err := rs.stop(); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if lines := logLines(t, rs.logs.String()); len(lines) != 2 || lines[1]["csm"] != book.CSM.ID {
			t.Errorf("run %d: log %v", run, lines)
		}
	}
}

func TestDBError(t *testing.T) {
	const dbURL = "postgres://csm:hunter2@db:5432/csm"
	cases := []struct {
		err  error
		want string
	}{
		{errors.New("connection refused"), "open the database postgres://csm:xxxxx@db:5432/csm: connection refused"},
		{errors.New("cannot parse " + dbURL), "open the database: cannot parse postgres://csm:xxxxx@db:5432/csm"},
		{errors.New("password hunter2 rejected"), "open the database postgres://csm:xxxxx@db:5432/csm: password xxxxx rejected"},
	}
	for _, c := range cases {
		if got := dbError("open", dbURL, c.err).Error(); got != c.want {
			t.Errorf("dbError(%q) = %q, want %q", c.err, got, c.want)
		}
	}
	// An error that needs no scrubbing stays itself, for errors.Is.
	if err := dbError("open", dbURL, context.Canceled); !errors.Is(err, context.Canceled) {
		t.Errorf("dbError lost the error it wraps: %v", err)
	}
}
