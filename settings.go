package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"csm/config"
	"csm/credentials"
	"csm/data"
)

// settings are resolved flag > environment > config file.
type settings struct {
	DataDir   string
	ServerURL string
	Token     string

	// Config is the config file's content (the defaults when there is no
	// file); ConfigPath is where it was looked for.
	Config     config.File
	ConfigPath string
	// configErr is a bad config file. settingsFrom cannot fail, so it is
	// kept here and returned by openConfiguredStore and requireServer:
	// every command that would act on the config refuses a bad one.
	configErr error
	// tokenErr is why the token saved by `csm login` could not be read
	// (a keyring that does not answer); requireServer returns it.
	tokenErr error
}

func addSettingsFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.String("data-dir", "", "where the database lives (env CSM_DATA_DIR; default the XDG data dir)")
	f.String("server", "", "server URL (env CSM_SERVER_URL)")
}

// settingsFrom resolves the settings of one invocation.
func settingsFrom(cmd *cobra.Command) settings {
	var s settings
	s.ConfigPath, s.configErr = config.Path()
	s.Config = config.Defaults()
	if s.configErr == nil {
		s.Config, s.configErr = config.Load(s.ConfigPath)
	}
	s.DataDir = firstNonEmpty(flagValue(cmd, "data-dir"), os.Getenv("CSM_DATA_DIR"), s.Config.DataDir, defaultDataDir())
	// The server saved by `csm login` comes before the config file's: it
	// is the one the saved token belongs to, and the latest choice made.
	s.ServerURL = firstNonEmpty(flagValue(cmd, "server"), os.Getenv("CSM_SERVER_URL"), logins().Server(), s.Config.ServerURL)
	s.Token = os.Getenv("CSM_TOKEN")
	if s.Token == "" {
		s.Token, s.tokenErr = logins().Token(s.ServerURL)
	}
	return s
}

// The OS keyring csm keeps tokens in, and how long a call to it may take;
// tests swap in a fake.
var (
	keyringStore   credentials.Keyring = credentials.OSKeyring{}
	keyringTimeout                     = credentials.DefaultTimeout
)

// logins is where `csm login` keeps the server URL and its token.
func logins() credentials.Store {
	return credentials.Store{Keyring: keyringStore, Timeout: keyringTimeout}
}

// dbPath is the user's database file.
func (s settings) dbPath() string { return filepath.Join(s.DataDir, data.DBFile) }

// openStore opens the user's database for reading and writing.
func openStore(ctx context.Context, s settings) (*data.Store, error) {
	return data.Open(ctx, s.dbPath())
}

// openReadingStore opens the user's database for a command that only
// reads: it writes nothing, so it works on a read-only file and never
// waits for another csm's write. Metrics computed with other thresholds
// than the config file's are recomputed first by a brief writing open;
// where nothing can be written they are shown as they are, and warn says
// so.
func openReadingStore(ctx context.Context, s settings, warn io.Writer) (*data.Store, error) {
	if s.configErr != nil {
		return nil, s.configErr
	}
	st, err := data.OpenReader(ctx, s.dbPath())
	if err != nil {
		return nil, err
	}
	current, err := st.ThresholdsCurrent(ctx, s.Config.Thresholds)
	if err != nil || current {
		return st, closeOnError(st, err)
	}
	st.Close()
	w, err := openConfiguredStore(ctx, s)
	switch {
	case errors.Is(err, data.ErrReadOnly):
		fmt.Fprintf(warn, "csm: the figures were computed with other thresholds than %s, and the database cannot be written to recompute them\n", s.ConfigPath)
	case err != nil:
		return nil, err
	default:
		w.Close()
	}
	st, err = data.OpenReader(ctx, s.dbPath())
	if err != nil {
		return nil, err
	}
	st.SetThresholds(s.Config.Thresholds)
	return st, nil
}

// closeOnError closes st when err is not nil, and returns err.
func closeOnError(st *data.Store, err error) error {
	if err != nil {
		st.Close()
	}
	return err
}

// openConfiguredStore opens the user's database with the config file's
// thresholds, recomputing the stored metrics if they were computed with
// other ones. Every command that reads metrics opens the store this way.
func openConfiguredStore(ctx context.Context, s settings) (*data.Store, error) {
	return openConfiguredStoreAt(ctx, s, s.dbPath())
}

// openConfiguredStoreAt is openConfiguredStore on the database at path.
func openConfiguredStoreAt(ctx context.Context, s settings, path string) (*data.Store, error) {
	if s.configErr != nil {
		return nil, s.configErr
	}
	st, err := data.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if _, err := st.EnsureThresholds(ctx, s.Config.Thresholds); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func flagValue(cmd *cobra.Command, name string) string {
	f := cmd.Flags().Lookup(name)
	if f == nil {
		return ""
	}
	return f.Value.String()
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// defaultDataDir follows the XDG base directory convention.
func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "csm")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ".csm"
	}
	return filepath.Join(home, ".local", "share", "csm")
}

// requireServer checks that a server and token are configured.
func (s settings) requireServer() error {
	if s.configErr != nil {
		return s.configErr
	}
	if s.ServerURL == "" {
		return usageError{fmt.Errorf("no server configured: run `csm login --server URL`, set CSM_SERVER_URL or pass --server")}
	}
	if s.Token == "" && s.tokenErr != nil {
		return fmt.Errorf("no token: %w (run `csm login` again, or set CSM_TOKEN)", s.tokenErr)
	}
	if s.Token == "" {
		return usageError{fmt.Errorf("no token: run `csm login` or set CSM_TOKEN")}
	}
	return nil
}
