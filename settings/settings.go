// Package settings resolves where csm keeps its database and which server
// it syncs with (flag > environment > config file > default), and opens
// the database with the config file's thresholds.
package settings

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"csm/config"
	"csm/credentials"
	"csm/data"
)

// Settings are one invocation's, resolved.
type Settings struct {
	DataDir   string
	ServerURL string
	Token     string
	// Demo points every command at the demo's database (csm --demo …),
	// never the CSM's own.
	Demo bool

	// Config is the config file's content (the defaults when there is no
	// file); ConfigPath is where it was looked for.
	Config     config.File
	ConfigPath string
	// ConfigErr is a bad config file. Resolve cannot fail, so it is kept
	// here and returned by the Open methods: every command that would act
	// on the config refuses a bad one.
	ConfigErr error
	// TokenErr is why the token saved by `csm login` could not be read (a
	// keyring that does not answer).
	TokenErr error
}

// Resolve resolves the settings from the flags' values ("" when not
// given), the environment, the config file and what `csm login` saved.
func Resolve(dataDirFlag, serverFlag string, logins credentials.Store) Settings {
	var s Settings
	s.ConfigPath, s.ConfigErr = config.Path()
	s.Config = config.Defaults()
	if s.ConfigErr == nil {
		s.Config, s.ConfigErr = config.Load(s.ConfigPath)
	}
	s.DataDir = cmp.Or(dataDirFlag, os.Getenv("CSM_DATA_DIR"), s.Config.DataDir, DefaultDataDir())
	// The server saved by `csm login` comes before the config file's: it
	// is the one the saved token belongs to, and the latest choice made.
	s.ServerURL = cmp.Or(serverFlag, os.Getenv("CSM_SERVER_URL"), logins.Server(), s.Config.ServerURL)
	s.Token = os.Getenv("CSM_TOKEN")
	if s.Token == "" {
		s.Token, s.TokenErr = logins.Token(s.ServerURL)
	}
	return s
}

// DataDir is the data directory alone, resolved as Resolve does but
// without touching the keyring or the network: where a crash report goes.
func DataDir(dataDirFlag string) string {
	var fromConfig string
	if p, err := config.Path(); err == nil {
		if cf, err := config.Load(p); err == nil {
			fromConfig = cf.DataDir
		}
	}
	return cmp.Or(dataDirFlag, os.Getenv("CSM_DATA_DIR"), fromConfig, DefaultDataDir())
}

// DefaultDataDir follows the XDG base directory convention.
func DefaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "csm")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ".csm"
	}
	return filepath.Join(home, ".local", "share", "csm")
}

// WithDemo is s with Demo set to demo. The demo has no server but its own
// (inside csm demo): its notes are never pushed to the CSM's.
func (s Settings) WithDemo(demo bool) Settings {
	s.Demo = demo
	if demo {
		s.ServerURL, s.Token, s.TokenErr = "", "", nil
	}
	return s
}

// DemoLabel is what the cockpit's header says on the demo's database.
const DemoLabel = "demo · notes reset by the next csm demo"

// Label is the cockpit's header label: DemoLabel with Demo set.
func (s Settings) Label() string {
	if s.Demo {
		return DemoLabel
	}
	return ""
}

// DemoDBFile is the demo's database inside the data directory, made anew by
// each `csm demo`: never the CSM's own (data.DBFile).
const DemoDBFile = "demo.db"

// DBPath is the user's database file, or the demo's with Demo set.
func (s Settings) DBPath() string {
	if s.Demo {
		return s.DemoDBPath()
	}
	return filepath.Join(s.DataDir, data.DBFile)
}

// DemoDBPath is the demo's database file.
func (s Settings) DemoDBPath() string { return filepath.Join(s.DataDir, DemoDBFile) }

// OpenStore opens the user's database for reading and writing.
func (s Settings) OpenStore(ctx context.Context) (*data.Store, error) {
	if err := s.noDemo(); err != nil {
		return nil, err
	}
	return data.Open(ctx, s.DBPath())
}

// OpenConfigured opens the user's database with the config file's
// thresholds, recomputing the stored metrics if they were computed with
// other ones. Every command that reads metrics opens the store this way.
func (s Settings) OpenConfigured(ctx context.Context) (*data.Store, error) {
	if err := s.noDemo(); err != nil {
		return nil, err
	}
	return s.OpenConfiguredAt(ctx, s.DBPath())
}

// noDemo is the error of --demo before any `csm demo` made its database:
// an empty demo database is not made in its place.
func (s Settings) noDemo() error {
	if !s.Demo {
		return nil
	}
	if _, err := os.Stat(s.DemoDBPath()); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("--demo: there is no demo yet: run `csm demo` first")
	}
	return nil
}

// OpenConfiguredAt is OpenConfigured on the database at path.
func (s Settings) OpenConfiguredAt(ctx context.Context, path string) (*data.Store, error) {
	if s.ConfigErr != nil {
		return nil, s.ConfigErr
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

// OpenReading opens the user's database for a command that only reads:
// it writes nothing, so it works on a read-only file and never waits for
// another csm's write. Metrics computed with other thresholds than the
// config file's are recomputed first by a brief writing open; where
// nothing can be written they are shown as they are, and warn says so.
func (s Settings) OpenReading(ctx context.Context, warn io.Writer) (*data.Store, error) {
	if s.ConfigErr != nil {
		return nil, s.ConfigErr
	}
	if err := s.noDemo(); err != nil {
		return nil, err
	}
	st, err := data.OpenReader(ctx, s.DBPath())
	if err != nil {
		return nil, err
	}
	current, err := st.ThresholdsCurrent(ctx, s.Config.Thresholds)
	if err != nil || current {
		return st, closeOnError(st, err)
	}
	st.Close()
	w, err := s.OpenConfigured(ctx)
	switch {
	case errors.Is(err, data.ErrReadOnly):
		fmt.Fprintf(warn, "csm: the figures were computed with other thresholds than %s, and the database cannot be written to recompute them\n", s.ConfigPath)
	case err != nil:
		return nil, err
	default:
		w.Close()
	}
	st, err = data.OpenReader(ctx, s.DBPath())
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
