package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// Where `csm login` keeps what it learnt, in the config directory
// ($XDG_CONFIG_HOME/csm, or the OS equivalent):
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

const (
	keyringService  = "csm"
	serverFileName  = "server"
	tokenFileName   = "token"
	maxTokenBytes   = 4096
	credentialsPerm = 0o600
)

// secretStore is the OS keyring as csm uses it; tests swap in a fake.
type secretStore interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Set(service, user, secret string) error   { return keyring.Set(service, user, secret) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

var (
	keyringStore   secretStore = osKeyring{}
	keyringTimeout             = 3 * time.Second
)

// errKeyringTimeout: without a session bus a keyring call can block for
// ever, so each one gets keyringTimeout and is then given up on.
var errKeyringTimeout = errors.New("the OS keyring did not answer in time")

// withKeyring runs one keyring call with the timeout. A call that times out
// is left to finish (or hang) in its goroutine; csm exits soon anyway.
func withKeyring[T any](call func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := call()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-time.After(keyringTimeout):
		var zero T
		return zero, errKeyringTimeout
	}
}

// The keyring functions read keyringStore before starting the call's
// goroutine: a call that timed out may still be running when the store is
// replaced (in tests), and must not read the variable then.

func keyringGet(server string) (string, error) {
	ks := keyringStore
	return withKeyring(func() (string, error) { return ks.Get(keyringService, server) })
}

func keyringSet(server, token string) error {
	ks := keyringStore
	_, err := withKeyring(func() (struct{}, error) { return struct{}{}, ks.Set(keyringService, server, token) })
	return err
}

func keyringDelete(server string) error {
	ks := keyringStore
	_, err := withKeyring(func() (struct{}, error) { return struct{}{}, ks.Delete(keyringService, server) })
	return err
}

// credentialsDir is csm's config directory.
func credentialsDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the config directory: %w", err)
	}
	return filepath.Join(d, "csm"), nil
}

// normalizeServerURL makes the keyring's user name and the saved URL
// independent of a trailing slash.
func normalizeServerURL(u string) string {
	return strings.TrimRight(strings.TrimSpace(u), "/")
}

// savedServer is the server URL of the last `csm login`, or "".
func savedServer() string {
	dir, err := credentialsDir()
	if err != nil {
		return ""
	}
	raw, err := os.ReadFile(filepath.Join(dir, serverFileName))
	if err != nil {
		return ""
	}
	return normalizeServerURL(string(raw))
}

// storedToken returns the token saved by `csm login` for server, or "" when
// there is none.
func storedToken(server string) (string, error) {
	server = normalizeServerURL(server)
	saved := savedServer()
	if saved == "" || server == "" {
		return "", nil
	}
	if server == saved {
		tok, err := readTokenFile()
		if err != nil {
			return "", err
		}
		if tok != "" {
			return tok, nil
		}
	}
	tok, err := keyringGet(server)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("read the token from the OS keyring: %w", err)
	}
	return strings.TrimSpace(tok), nil
}

// readTokenFile returns the token file's content, "" when there is no file.
func readTokenFile() (string, error) {
	dir, err := credentialsDir()
	if err != nil {
		return "", err
	}
	raw, err := os.ReadFile(filepath.Join(dir, tokenFileName))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the saved token: %w", err)
	}
	return strings.TrimSpace(string(raw)), nil
}

// savedLogin says where saveLogin put the token.
type savedLogin struct {
	InKeyring  bool
	TokenFile  string // set when the token went to a file
	KeyringErr error  // why the keyring was not used
}

// saveLogin stores the token, in the keyring if it answers, else in a file
// of mode 0600, then the server URL. The token goes first so that a saved
// server always has its token.
func saveLogin(server, token string) (savedLogin, error) {
	server = normalizeServerURL(server)
	dir, err := credentialsDir()
	if err != nil {
		return savedLogin{}, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return savedLogin{}, fmt.Errorf("create %s: %w", dir, err)
	}
	var where savedLogin
	tokenPath := filepath.Join(dir, tokenFileName)
	if err := keyringSet(server, token); err == nil {
		where.InKeyring = true
		// A token file from an earlier login without a keyring would take
		// precedence over the keyring: remove it.
		if err := os.Remove(tokenPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return where, fmt.Errorf("remove the old token file: %w", err)
		}
	} else {
		where.KeyringErr = err
		if err := writeCredentialFile(tokenPath, []byte(token+"\n"), credentialsPerm); err != nil {
			return where, fmt.Errorf("save the token: %w", err)
		}
		where.TokenFile = tokenPath
	}
	if err := writeCredentialFile(filepath.Join(dir, serverFileName), []byte(server+"\n"), credentialsPerm); err != nil {
		return where, fmt.Errorf("save the server URL: %w", err)
	}
	return where, nil
}

// removeLogin forgets the saved server and the tokens of the servers
// given (the saved one is always included). It reports whether anything
// was there to remove; a keyring that does not answer is not an error,
// since the token may simply not be there.
func removeLogin(servers ...string) (removed bool, err error) {
	dir, err := credentialsDir()
	if err != nil {
		return false, err
	}
	seen := map[string]bool{}
	for _, s := range append([]string{savedServer()}, servers...) {
		s = normalizeServerURL(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		if keyringDelete(s) == nil {
			removed = true
		}
	}
	for _, name := range []string{tokenFileName, serverFileName} {
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

// writeCredentialFile replaces path with data so that a reader sees the old
// file or the new one, never a part: a temporary file in the same
// directory is written, synced, given its mode and renamed over path, and
// the directory is synced so the rename survives a crash. The temporary
// file is created 0600 (os.CreateTemp), so a secret is never readable by
// others, even for an instant.
func writeCredentialFile(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		// Not every system can sync a directory; the file itself is safe.
		d.Sync()
		d.Close()
	}
	return nil
}
