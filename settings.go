package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"csm/credentials"
	"csm/data"
	"csm/settings"
)

func addSettingsFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.String("data-dir", "", "where the database lives (env CSM_DATA_DIR; default the XDG data dir)")
	f.String("server", "", "server URL (env CSM_SERVER_URL)")
	f.Bool("demo", false, "read and write the demo's database (made by csm demo), not yours")
}

// settingsFrom resolves the settings of one invocation.
func settingsFrom(cmd *cobra.Command) settings.Settings {
	return settings.Resolve(flagValue(cmd, "data-dir"), flagValue(cmd, "server"), logins()).WithDemo(flagValue(cmd, "demo") == "true")
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

// openStore and openReadingStore open the user's database as
// settings.Settings.OpenStore and OpenReading do.
func openStore(ctx context.Context, s settings.Settings) (*data.Store, error) {
	return s.OpenStore(ctx)
}

func openReadingStore(ctx context.Context, s settings.Settings, warn io.Writer) (*data.Store, error) {
	return s.OpenReading(ctx, warn)
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

// requireServer checks that a server and token are configured.
func requireServer(s settings.Settings) error {
	if s.ConfigErr != nil {
		return s.ConfigErr
	}
	if s.Demo {
		return usageError{Err: fmt.Errorf("--demo: the demo syncs only inside `csm demo`, from its own server")}
	}
	if s.ServerURL == "" {
		return usageError{Err: fmt.Errorf("no server configured: run `csm login --server URL`, set CSM_SERVER_URL or pass --server")}
	}
	if s.Token == "" && s.TokenErr != nil {
		return fmt.Errorf("no token: %w (run `csm login` again, or set CSM_TOKEN)", s.TokenErr)
	}
	if s.Token == "" {
		return usageError{Err: fmt.Errorf("no token: run `csm login` or set CSM_TOKEN")}
	}
	return nil
}

// openForWriting and openForReading give a command package the user's
// database, as the settings of its invocation name it: command packages
// take one of these, so the root stays wiring.
func openForWriting(cmd *cobra.Command) (*data.Store, error) {
	return openStore(cmd.Context(), settingsFrom(cmd))
}

func openForReading(cmd *cobra.Command) (*data.Store, error) {
	return openReadingStore(cmd.Context(), settingsFrom(cmd), cmd.ErrOrStderr())
}
