package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"csm/credentials"
)

const (
	goodToken = "GOOD-sentinel-token-4c1d"
	badToken  = "WRONG-sentinel-token-9f3a"
)

// meServer answers GET /api/v1/me: 200 for goodToken, else 401 with a
// message that echoes the token it was sent, as a careless server might.
// status, when set, replaces every answer (a broken server).
func meServer(t *testing.T, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		w.Header().Set("Content-Type", "application/json")
		switch {
		case status != 0:
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": "oops", "message": "broken for " + tok}})
		case r.URL.Path != "/api/v1/me":
			w.WriteHeader(http.StatusNotFound)
		case tok != goodToken:
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": "unauthorized", "message": "unknown token " + tok}})
		default:
			json.NewEncoder(w).Encode(map[string]any{
				"csm":         map[string]string{"id": "c1", "name": "Dana \x1b[31mRuiz", "email": "dana@example.com"},
				"server_time": time.Now().UTC().Format(time.RFC3339),
			})
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// memKeyring is a working OS keyring.
type memKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *memKeyring) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[service+"|"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (k *memKeyring) Set(service, user, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[service+"|"+user] = secret
	return nil
}

func (k *memKeyring) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[service+"|"+user]; !ok {
		return keyring.ErrNotFound
	}
	delete(k.m, service+"|"+user)
	return nil
}

// hangingKeyring never answers, like a keyring call without a session bus.
type hangingKeyring struct{ stop chan struct{} }

func (k hangingKeyring) Get(string, string) (string, error) { <-k.stop; return "", errors.New("late") }
func (k hangingKeyring) Set(string, string, string) error   { <-k.stop; return errors.New("late") }
func (k hangingKeyring) Delete(string, string) error        { <-k.stop; return errors.New("late") }

func configFile(name string) string {
	return filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "csm", name)
}

func noToken(t *testing.T, r cliResult, tokens ...string) {
	t.Helper()
	for _, tok := range tokens {
		if strings.Contains(r.output(), tok) {
			t.Errorf("output shows the token %q:\n%s", tok, r.output())
		}
	}
}

func TestLoginStoresTokenInAFileWithoutKeyring(t *testing.T) {
	cliEnv(t)
	srv := meServer(t, 0)
	r := cliRun(t, goodToken+"\n", "login", "--server", srv.URL+"/")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.output())
	}
	noToken(t, r, goodToken)
	if !strings.Contains(r.stdout, "logged in to "+srv.URL+" as Dana Ruiz <dana@example.com>") || strings.Contains(r.stdout, "\x1b") {
		t.Errorf("stdout = %q", r.stdout)
	}
	if !strings.Contains(r.stdout, "mode 0600; no OS keyring") {
		t.Errorf("stdout does not say where the token went: %q", r.stdout)
	}

	fi, err := os.Stat(configFile(credentials.TokenFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode = %v, want 0600", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(configFile(credentials.TokenFile))
	if strings.TrimSpace(string(raw)) != goodToken {
		t.Errorf("token file holds %q", raw)
	}
	raw, _ = os.ReadFile(configFile(credentials.ServerFile))
	if strings.TrimSpace(string(raw)) != srv.URL {
		t.Errorf("server file holds %q, want %q", raw, srv.URL)
	}
	if tmp, _ := filepath.Glob(configFile(".*tmp*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}

	// Later commands find the server and the token, and never print it.
	r = cliRun(t, "", "status")
	if r.code != 0 || !strings.Contains(r.stdout, srv.URL+" (token saved by csm login)") {
		t.Errorf("status after login: exit %d\n%s", r.code, r.output())
	}
	noToken(t, r, goodToken)
	if tok, err := logins().Token(srv.URL); tok != goodToken || err != nil {
		t.Errorf("logins().Token = %q, %v", tok, err)
	}
	// The token belongs to its server: another server does not get it
	// (the keyring, asked for that server's token, fails here).
	if tok, _ := logins().Token("https://elsewhere.example.com"); tok != "" {
		t.Errorf("logins().Token(elsewhere) = %q, want none", tok)
	}
	// CSM_TOKEN wins.
	t.Setenv("CSM_TOKEN", "from-env")
	r = cliRun(t, "", "status")
	if !strings.Contains(r.stdout, "token from CSM_TOKEN") {
		t.Errorf("status with CSM_TOKEN:\n%s", r.stdout)
	}
	t.Setenv("CSM_TOKEN", "")

	r = cliRun(t, "", "logout")
	if r.code != 0 || !strings.Contains(r.stdout, "logged out of "+srv.URL) {
		t.Errorf("logout: exit %d: %s", r.code, r.output())
	}
	for _, name := range []string{credentials.TokenFile, credentials.ServerFile} {
		if _, err := os.Stat(configFile(name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there after logout (%v)", name, err)
		}
	}
	r = cliRun(t, "", "logout")
	if r.code != 0 || !strings.Contains(r.stdout, "not logged in") {
		t.Errorf("second logout: exit %d: %s", r.code, r.output())
	}
}

func TestLoginUsesTheKeyring(t *testing.T) {
	cliEnv(t)
	kr := &memKeyring{m: map[string]string{}}
	keyringStore = kr
	srv := meServer(t, 0)
	// A token file from an earlier login without a keyring must go.
	os.MkdirAll(filepath.Dir(configFile(credentials.TokenFile)), 0o700)
	os.WriteFile(configFile(credentials.TokenFile), []byte("stale"), 0o600)

	r := cliRun(t, goodToken, "login", "--server", srv.URL)
	if r.code != 0 || !strings.Contains(r.stdout, "token saved in the OS keyring") {
		t.Fatalf("exit %d: %s", r.code, r.output())
	}
	noToken(t, r, goodToken)
	if got, _ := kr.Get(credentials.KeyringService, srv.URL); got != goodToken {
		t.Errorf("keyring holds %q", got)
	}
	if _, err := os.Stat(configFile(credentials.TokenFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("token file still there (%v)", err)
	}
	if tok, err := logins().Token(srv.URL); tok != goodToken || err != nil {
		t.Errorf("logins().Token = %q, %v", tok, err)
	}
	if r := cliRun(t, "", "logout"); r.code != 0 {
		t.Fatal(r.output())
	}
	if _, err := kr.Get(credentials.KeyringService, srv.URL); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("keyring still holds the token after logout (%v)", err)
	}
}

func TestLoginFallsBackWhenTheKeyringHangs(t *testing.T) {
	cliEnv(t)
	stop := make(chan struct{})
	defer close(stop)
	keyringStore = hangingKeyring{stop: stop}
	old := keyringTimeout
	keyringTimeout = 50 * time.Millisecond
	defer func() { keyringTimeout = old }()

	srv := meServer(t, 0)
	r := cliRun(t, goodToken, "login", "--server", srv.URL)
	if r.code != 0 || !strings.Contains(r.stdout, "did not answer in time") {
		t.Fatalf("exit %d: %s", r.code, r.output())
	}
	noToken(t, r, goodToken)
	if tok, err := logins().Token(srv.URL); tok != goodToken || err != nil {
		t.Errorf("logins().Token = %q, %v", tok, err)
	}
}

func TestLoginWithTheRealKeyringAndNoSessionBus(t *testing.T) {
	cliEnv(t)
	keyringStore = credentials.OSKeyring{}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	srv := meServer(t, 0)
	r := cliRun(t, goodToken, "login", "--server", srv.URL)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.output())
	}
	noToken(t, r, goodToken)
	if strings.Contains(r.stdout, "token saved in the OS keyring") {
		t.Skip("this machine has a keyring that answers without a session bus")
	}
	if fi, err := os.Stat(configFile(credentials.TokenFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file: %v, %v", fi, err)
	}
}

func TestLoginRefusals(t *testing.T) {
	tests := []struct {
		name   string
		stdin  string
		args   []string
		status int // the server's answer to every request; 0: meServer's rules
		code   int
		want   string
	}{
		{"wrong token", badToken + "\n", nil, 0, 1, "refused the token (401 unauthorized)"},
		{"server error echoing the token", goodToken, nil, http.StatusForbidden, 1, "broken for [token]"},
		{"no token", "\n\n", nil, 0, 2, "no token given"},
		{"token with a space", "WRONG-sentinel token-9f3a", nil, 0, 2, "spaces or control characters"},
		{"token with an escape", badToken + "\x1b[2J", nil, 0, 2, "spaces or control characters"},
		{"huge token", strings.Repeat("x", credentials.MaxTokenBytes+1), nil, 0, 2, "longer than"},
		{"no server", goodToken, []string{"login", "--server", ""}, 0, 2, "no server: pass --server URL"},
		{"plain http to another host", goodToken, []string{"login", "--server", "http://example.com"}, 0, 2, "allowed only to loopback"},
		{"not a URL", goodToken, []string{"login", "--server", "csm.example.com"}, 0, 2, "not an absolute http(s) URL"},
		{"arguments", goodToken, []string{"login", "extra"}, 0, 2, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cliEnv(t)
			srv := meServer(t, tt.status)
			args := tt.args
			if args == nil {
				args = []string{"login", "--server", srv.URL}
			}
			r := cliRun(t, tt.stdin, args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, tt.code, tt.want)
			}
			noToken(t, r, goodToken, badToken, "token-9f3a")
			for _, name := range []string{credentials.TokenFile, credentials.ServerFile} {
				if _, err := os.Stat(configFile(name)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s was saved (%v)", name, err)
				}
			}
		})
	}
}
