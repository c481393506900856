package credentials

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// fakeKeyring keeps secrets in memory; with down set, every call fails,
// and with hang set, every call waits for it to close, like a keyring
// call without a session bus.
type fakeKeyring struct {
	mu      sync.Mutex
	secrets map[string]string
	down    error
	hang    chan struct{}
}

func (k *fakeKeyring) call(f func() error) error {
	if k.hang != nil {
		<-k.hang
		return errors.New("late")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down != nil {
		return k.down
	}
	return f()
}

func (k *fakeKeyring) Get(service, user string) (v string, err error) {
	err = k.call(func() error {
		var ok bool
		if v, ok = k.secrets[service+"|"+user]; !ok {
			return keyring.ErrNotFound
		}
		return nil
	})
	return v, err
}

func (k *fakeKeyring) Set(service, user, secret string) error {
	return k.call(func() error { k.secrets[service+"|"+user] = secret; return nil })
}

func (k *fakeKeyring) Delete(service, user string) error {
	return k.call(func() error {
		if _, ok := k.secrets[service+"|"+user]; !ok {
			return keyring.ErrNotFound
		}
		delete(k.secrets, service+"|"+user)
		return nil
	})
}

func fileHolds(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "(none)"
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(raw))
}

func TestSaveTokenRemove(t *testing.T) {
	const server, token = "https://csm.example.com", "tok-123"
	cases := []struct {
		name      string
		keyring   Keyring
		inKeyring bool
	}{
		{"keyring", &fakeKeyring{secrets: map[string]string{}}, true},
		{"keyring that fails", &fakeKeyring{secrets: map[string]string{}, down: errors.New("no keyring here")}, false},
		{"keyring that hangs", &fakeKeyring{hang: make(chan struct{})}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if k := c.keyring.(*fakeKeyring); k.hang != nil {
				defer close(k.hang)
			}
			dir := filepath.Join(t.TempDir(), "csm")
			s := Store{Dir: dir, Keyring: c.keyring, Timeout: 50 * time.Millisecond}
			if s.Server() != "" {
				t.Fatal("a server before any login")
			}
			where, err := s.Save(server+"/", token)
			if err != nil {
				t.Fatal(err)
			}
			if where.InKeyring != c.inKeyring {
				t.Errorf("InKeyring = %v, want %v (%v)", where.InKeyring, c.inKeyring, where.KeyringErr)
			}
			wantFile := "(none)"
			if !c.inKeyring {
				wantFile = token
				if where.TokenFile != filepath.Join(dir, TokenFile) || where.KeyringErr == nil {
					t.Errorf("saved %+v, want the token file and why", where)
				}
				if fi, err := os.Stat(where.TokenFile); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("token file: %v, %v; want mode 0600", fi, err)
				}
			}
			if got := fileHolds(t, filepath.Join(dir, TokenFile)); got != wantFile {
				t.Errorf("token file holds %q, want %q", got, wantFile)
			}
			if got := s.Server(); got != server {
				t.Errorf("Server() = %q, want %q without the slash", got, server)
			}
			if got, err := s.Token(server); got != token || err != nil {
				t.Errorf("Token(server) = %q, %v", got, err)
			}
			// Another server never gets this one's token.
			if got, _ := s.Token("https://elsewhere.example.com"); got != "" {
				t.Errorf("Token(elsewhere) = %q, want none", got)
			}
			if got, err := s.Token(""); got != "" || err != nil {
				t.Errorf("Token(\"\") = %q, %v", got, err)
			}

			removed, err := s.Remove()
			if !removed || err != nil {
				t.Errorf("Remove = %v, %v", removed, err)
			}
			if s.Server() != "" || fileHolds(t, filepath.Join(dir, TokenFile)) != "(none)" {
				t.Error("the server or the token file is still there")
			}
			if got, _ := s.Token(server); got != "" {
				t.Errorf("Token after Remove = %q", got)
			}
			if removed, err := s.Remove(); removed || err != nil {
				t.Errorf("second Remove = %v, %v; want nothing removed", removed, err)
			}
		})
	}
}

// A login with the keyring removes the token file an earlier login without
// one left, which would otherwise win; Remove also forgets the tokens of
// the servers it is given.
func TestKeyringReplacesTheTokenFile(t *testing.T) {
	dir := t.TempDir()
	kr := &fakeKeyring{secrets: map[string]string{}, down: errors.New("locked")}
	s := Store{Dir: dir, Keyring: kr}
	if _, err := s.Save("https://a.example.com", "old"); err != nil {
		t.Fatal(err)
	}
	kr.down = nil
	if where, err := s.Save("https://a.example.com", "new"); err != nil || !where.InKeyring {
		t.Fatalf("Save = %+v, %v", where, err)
	}
	if got := fileHolds(t, filepath.Join(dir, TokenFile)); got != "(none)" {
		t.Errorf("token file holds %q after a login with the keyring", got)
	}
	if got, _ := s.Token("https://a.example.com"); got != "new" {
		t.Errorf("Token = %q, want the new one", got)
	}
	kr.secrets[KeyringService+"|https://b.example.com"] = "b-token"
	if removed, err := s.Remove("https://b.example.com/"); !removed || err != nil {
		t.Fatalf("Remove = %v, %v", removed, err)
	}
	if len(kr.secrets) != 0 {
		t.Errorf("keyring still holds %v", kr.secrets)
	}
}

func TestReadToken(t *testing.T) {
	tests := []struct {
		in, token, bad string
	}{
		{in: "tok-123\n", token: "tok-123"},
		{in: "  tok-123  \nsecond line\n", token: "tok-123"},
		{in: "tok-123", token: "tok-123"},
		{in: "\n\n", bad: "no token given"},
		{in: "", bad: "no token given"},
		{in: "tok 123", bad: "spaces or control characters"},
		{in: "tok\x1b[2J", bad: "spaces or control characters"},
		{in: "café", bad: "spaces or control characters"},
		{in: "tok\x7f", bad: "spaces or control characters"},
		{in: strings.Repeat("x", MaxTokenBytes+1), bad: "longer than 4096 bytes"},
	}
	for _, tt := range tests {
		var prompt strings.Builder
		token, err := ReadToken(strings.NewReader(tt.in), &prompt, "https://csm.example.com")
		var bad BadTokenError
		switch {
		case tt.bad == "" && (err != nil || token != tt.token):
			t.Errorf("ReadToken(%q) = %q, %v; want %q", tt.in, token, err, tt.token)
		case tt.bad != "" && (!errors.As(err, &bad) || !strings.Contains(err.Error(), tt.bad)):
			t.Errorf("ReadToken(%q) = %q, %v; want a BadTokenError %q", tt.in, token, err, tt.bad)
		case tt.bad != "" && len(tt.in) > 3 && strings.Contains(err.Error(), tt.in[:4]):
			t.Errorf("ReadToken(%q): the error %q shows the token", tt.in, err)
		case prompt.Len() > 0:
			t.Errorf("ReadToken(%q) prompted %q on a pipe", tt.in, prompt.String())
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret")
	for _, content := range []string{"first", "second, longer than the first"} {
		if err := writeFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(path)
		if err != nil || string(raw) != content {
			t.Errorf("file holds %q (%v), want %q", raw, err, content)
		}
		fi, _ := os.Stat(path)
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the secret", len(entries))
	}
	if err := writeFile(filepath.Join(dir, "no-such-dir", "x"), []byte("x"), 0o600); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}
