// Package credentials keeps what `csm login` learnt, in csm's config
// directory ($XDG_CONFIG_HOME/csm, or the OS equivalent):
//
//   - server: the server URL, one line. Its presence means "logged in";
//     without it csm never wakes the keyring.
//   - the token: in the OS keyring (service "csm", user = the server URL)
//     where there is one; else in the file token, mode 0600, which then
//     belongs to the URL in server.
//
// A token is only ever handed out for the server it was saved for, so
// pointing csm at another server (--server, CSM_SERVER_URL) never sends it
// there.
package credentials

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

const (
	// KeyringService is the service csm's tokens are saved under.
	KeyringService = "csm"
	// ServerFile and TokenFile are the files' names in the directory.
	ServerFile = "server"
	TokenFile  = "token"
	// MaxTokenBytes is the longest token csm takes.
	MaxTokenBytes = 4096
	// DefaultTimeout is how long a keyring call may take.
	DefaultTimeout = 3 * time.Second

	filePerm = 0o600
)

// Keyring is the OS keyring as csm uses it; tests swap in a fake.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// OSKeyring is the system's keyring (Secret Service, Keychain, Credential
// Manager).
type OSKeyring struct{}

func (OSKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (OSKeyring) Set(service, user, secret string) error   { return keyring.Set(service, user, secret) }
func (OSKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// ErrKeyringTimeout: without a session bus a keyring call can block for
// ever, so each one gets the store's timeout and is then given up on.
var ErrKeyringTimeout = errors.New("the OS keyring did not answer in time")

// Store is where the server URL and its token are kept.
type Store struct {
	// Dir is the directory of the files; "" is csm's config directory.
	Dir string
	// Keyring holds the tokens; nil is the OS keyring.
	Keyring Keyring
	// Timeout bounds each keyring call; 0 is DefaultTimeout.
	Timeout time.Duration
}

func (s Store) dir() (string, error) {
	if s.Dir != "" {
		return s.Dir, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the config directory: %w", err)
	}
	return filepath.Join(d, "csm"), nil
}

// NormalizeServerURL makes the keyring's user name and the saved URL
// independent of a trailing slash.
func NormalizeServerURL(u string) string {
	return strings.TrimRight(strings.TrimSpace(u), "/")
}

// Server is the server URL of the last `csm login`, or "".
func (s Store) Server() string {
	dir, err := s.dir()
	if err != nil {
		return ""
	}
	raw, err := os.ReadFile(filepath.Join(dir, ServerFile))
	if err != nil {
		return ""
	}
	return NormalizeServerURL(string(raw))
}

// Token returns the token saved by `csm login` for server, or "" when
// there is none.
func (s Store) Token(server string) (string, error) {
	server = NormalizeServerURL(server)
	saved := s.Server()
	if saved == "" || server == "" {
		return "", nil
	}
	if server == saved {
		tok, err := s.readTokenFile()
		if err != nil {
			return "", err
		}
		if tok != "" {
			return tok, nil
		}
	}
	tok, err := s.keyringGet(server)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("read the token from the OS keyring: %w", err)
	}
	return strings.TrimSpace(tok), nil
}

// readTokenFile returns the token file's content, "" when there is no file.
func (s Store) readTokenFile() (string, error) {
	dir, err := s.dir()
	if err != nil {
		return "", err
	}
	raw, err := os.ReadFile(filepath.Join(dir, TokenFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the saved token: %w", err)
	}
	return strings.TrimSpace(string(raw)), nil
}

// Saved says where Save put the token.
type Saved struct {
	InKeyring  bool
	TokenFile  string // set when the token went to a file
	KeyringErr error  // why the keyring was not used
}

// Save stores the token, in the keyring if it answers, else in a file of
// mode 0600, then the server URL. The token goes first so that a saved
// server always has its token.
func (s Store) Save(server, token string) (Saved, error) {
	server = NormalizeServerURL(server)
	dir, err := s.dir()
	if err != nil {
		return Saved{}, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Saved{}, fmt.Errorf("create %s: %w", dir, err)
	}
	var where Saved
	tokenPath := filepath.Join(dir, TokenFile)
	if err := s.keyringSet(server, token); err == nil {
		where.InKeyring = true
		// A token file from an earlier login without a keyring would take
		// precedence over the keyring: remove it.
		if err := os.Remove(tokenPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return where, fmt.Errorf("remove the old token file: %w", err)
		}
	} else {
		where.KeyringErr = err
		if err := writeFile(tokenPath, []byte(token+"\n"), filePerm); err != nil {
			return where, fmt.Errorf("save the token: %w", err)
		}
		where.TokenFile = tokenPath
	}
	if err := writeFile(filepath.Join(dir, ServerFile), []byte(server+"\n"), filePerm); err != nil {
		return where, fmt.Errorf("save the server URL: %w", err)
	}
	return where, nil
}

// Remove forgets the saved server and the tokens of the servers given
// (the saved one is always included). It reports whether anything was
// there to remove; a keyring that does not answer is not an error, since
// the token may simply not be there.
func (s Store) Remove(servers ...string) (removed bool, err error) {
	dir, err := s.dir()
	if err != nil {
		return false, err
	}
	seen := map[string]bool{}
	for _, u := range append([]string{s.Server()}, servers...) {
		u = NormalizeServerURL(u)
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		if s.keyringDelete(u) == nil {
			removed = true
		}
	}
	for _, name := range []string{TokenFile, ServerFile} {
		err := os.Remove(filepath.Join(dir, name))
		switch {
		case err == nil:
			removed = true
		case !errors.Is(err, os.ErrNotExist):
			return removed, fmt.Errorf("remove %s: %w", name, err)
		}
	}
	return removed, nil
}
