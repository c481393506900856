package sync

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"csm/model"
)

func slogTo(w io.Writer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }

var servedURL = regexp.MustCompile(`https?://127\.0\.0\.1:\d+`)

// runningServe is csm serve running in the test's process.
type runningServe struct {
	url       string
	out, logs *lockedBuffer
	stop      func() error // cancels, as SIGTERM does, and waits for the end
}

// startServe runs c until stop or the end of the test, and returns once it
// prints where it listens.
func startServe(t *testing.T, c ServeConfig) *runningServe {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	rs := &runningServe{out: &lockedBuffer{}, logs: &lockedBuffer{}}
	errc := make(chan error, 1)
	go func() { errc <- Serve(ctx, c, rs.out, rs.logs) }()
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
func demoServeOptions() ServeConfig {
	return ServeConfig{Addr: "127.0.0.1:0", Demo: DemoBooks{Accounts: 3, Days: 30, Seed: 1, Token: "dev-token"}}
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
		if got := RedactDB(in); got != want {
			t.Errorf("RedactDB(%q) = %q, want %q", in, got, want)
		}
	}
}

// fakeTeamStore is a MemoryStore as a team database: it counts
// migrations and closes.
type fakeTeamStore struct {
	*MemoryStore
	migrated, closed int
}

func (s *fakeTeamStore) Migrate(context.Context) (int, error) { s.migrated++; return 7, nil }
func (s *fakeTeamStore) Close() error                         { s.closed++; return s.MemoryStore.Close() }

// With a team database, Serve migrates and serves that store, with /healthz and the
// request log, and closes it when it stops.
func TestServeDB(t *testing.T) {
	book := model.Generate(model.GenOptions{Seed: 2, Accounts: 2, Days: 10, CSMs: 1})[0]
	store := &fakeTeamStore{MemoryStore: NewMemoryStore([]Tenant{{Token: "team-token", Book: book}})}
	open := func(context.Context, string) (TeamDB, error) { return store, nil }
	rs := startServe(t, ServeConfig{Addr: "127.0.0.1:0", DB: "postgres://csm:hunter2@127.0.0.1:5432/csm", Open: open})
	want := "csm server on " + rs.url + ", database postgres://csm:xxxxx@127.0.0.1:5432/csm (schema version 7)\n"
	if got := rs.out.String(); got != want {
		t.Errorf("serve printed %q, want %q", got, want)
	}
	if status, body := get(t, http.DefaultClient, rs.url+HealthPath, ""); status != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("/healthz: %d %s", status, body)
	}
	if status, body := get(t, http.DefaultClient, rs.url+APIPrefix+"/me", "team-token"); status != 200 || !strings.Contains(body, book.CSM.ID) {
		t.Errorf("/me: %d %s", status, body)
	}
	if err := rs.stop(); err != nil {
		t.Fatal(err)
	}
	if store.migrated != 1 || store.closed != 1 {
		t.Errorf("migrated %d times, closed %d times; want once each", store.migrated, store.closed)
	}
	lines := rs.logs.lines(t)
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
	if status, body := get(t, trusting, rs.url+HealthPath, ""); status != 200 || strings.TrimSpace(body) != `{"status":"ok"}` {
		t.Errorf("/healthz over TLS: %d %s", status, body)
	}
	// The sync client speaks to it when it trusts the certificate.
	c, err := NewClient(rs.url, "dev-token", WithHTTPClient(trusting))
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
	if status, _ := get(t, http.DefaultClient, plain+HealthPath, ""); status != http.StatusBadRequest {
		t.Errorf("plain HTTP to the TLS port: status %d, want 400", status)
	}
	var unknown *tls.CertificateVerificationError
	if _, err := http.Get(rs.url + HealthPath); !errors.As(err, &unknown) {
		t.Errorf("a client that does not trust the certificate: %v, want a verification error", err)
	}
	if err := rs.stop(); err != nil {
		t.Fatal(err)
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
	logs := &lockedBuffer{}
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

// On a SQLite file, Serve opens and migrates it and serves its
// CSMs; what was pushed is still there after a restart.
func TestServeSQLite(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "team.db")
	ctx := context.Background()
	st, err := OpenSQLStore(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	book := model.Generate(model.GenOptions{Seed: 4, Accounts: 2, Days: 10, CSMs: 1})[0]
	if err := st.SeedTenants(ctx, []Tenant{{Token: "sqlite-token", Book: book}}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	for run := range 2 {
		rs := startServe(t, ServeConfig{Addr: "127.0.0.1:0", DB: dbURL})
		if want := ", database " + dbURL + " (schema version "; !strings.Contains(rs.out.String(), want) {
			t.Errorf("run %d printed %q, want %q", run, rs.out.String(), want)
		}
		if status, body := get(t, http.DefaultClient, rs.url+HealthPath, ""); status != 200 {
			t.Errorf("run %d: /healthz %d %s", run, status, body)
		}
		c, err := NewClient(rs.url, "sqlite-token")
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
		if lines := rs.logs.lines(t); len(lines) != 2 || lines[1]["csm"] != book.CSM.ID {
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
